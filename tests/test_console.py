"""The console channel, driven the way an operator would: a real process reading stdin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def console(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "console", *args],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_start_then_two_switches_to_english(tmp_path):
    result = console(tmp_path, "/start\n2\n")
    assert result.returncode == 0, result.stderr
    assert "Halo! Saya asisten UMKM Kota Bandung." in result.stdout
    assert "2. English" in result.stdout
    assert "All right, I will use English." in result.stdout


def test_label_typed_instead_of_number_and_plain_bot_py_without_token(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        input="/start\nbahasa melayu\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "saya akan menggunakan Bahasa Melayu" in result.stdout


def test_language_survives_a_restart(tmp_path):
    console(tmp_path, "/start\n2\n")
    result = console(tmp_path, "/help\n")
    assert "/register" in result.stdout


def test_ctrl_c_exits_without_a_traceback(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    process.stdin.write("/start\n")
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while not (tmp_path / "bot.sqlite3").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err
