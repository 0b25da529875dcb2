"""The console channel, driven the way an operator would: a real process reading stdin."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def console(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
        "SEMANTIC_MATCHING": "false",
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
        "SEMANTIC_MATCHING": "false",
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


def read_until(stream, wanted: str, within: float = 60) -> str:
    """Lines of `stream` up to one containing `wanted` (read in a thread, so a hang fails)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    seen = []
    while not any(wanted in line for line in seen):
        seen.append(lines.get(timeout=within))
    return "".join(seen)


def test_ctrl_c_exits_without_a_traceback(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
        "SEMANTIC_MATCHING": "false",
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
    read_until(process.stdout, "Halo!")  # ready: the console answered and waits for a line
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err


async def test_a_handle_typed_twice_is_text_and_a_switch_says_how_to_go_back(
    assistant, tmp_path, monkeypatch
):
    """`@name` switches who speaks (with a hint, the first time, for someone who meant a handle);
    `@@name` is the text `@name`, as a registration form's social-account step wants it."""
    import io

    from channels import console as console_module

    said: list[tuple[str, str]] = []
    send = console_module.ConsoleChat.send

    async def recorded(self, line: str):
        said.append((self.user_id, line))
        return await send(self, line)

    monkeypatch.setattr(console_module.ConsoleChat, "send", recorded)
    out = io.StringIO()
    script = "/daftar\n@@keripikmangujang\n@warga\nhalo\n@console-user\n"
    await console_module.run_console(assistant, "console-user", io.StringIO(script), out, tmp_path)
    shown = out.getvalue()
    assert said == [("console-user", "/daftar"), ("console-user", "@keripikmangujang"),
                    ("warga", "halo")]  # fmt: skip
    assert shown.count("— warga —") == 1 and shown.count("— console-user —") == 1
    assert shown.count("type the @ twice: @@") == 1  # only at the first switch
    assert "`@console-user` switches back" in shown
