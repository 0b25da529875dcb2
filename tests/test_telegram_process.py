"""`python bot.py telegram` and `python bot.py serve` as real processes: SIGTERM finishes in-flight work."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest

from channels.telegram.webhook import SECRET_HEADER
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_updates import text, user

ROOT = Path(__file__).resolve().parent.parent
SECRET = "process-test-secret"


def _env(api: FakeBotApi, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "PTB_TIMEDELTA": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "SEMANTIC_MATCHING": "false",
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "LOG_LEVEL": "INFO",
        **extra,
    }


async def _start(args: list[str], env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        *args,
        env=env,
        cwd=cwd,  # no .env here
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(60):
        _, stderr = await process.communicate()
    return process.returncode, stderr.decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("args", [["telegram"], []])
async def test_polling_process_finishes_in_flight_update_on_sigterm(
    telegram_api: FakeBotApi, tmp_path: Path, args: list[str]
) -> None:
    api = telegram_api
    process = await _start(args, _env(api, tmp_path), tmp_path)
    try:
        await api.wait_until(lambda: bool(api.calls_to("getUpdates")), within=60)
        api.send_text(user(1001, "Sari"), "/start")
        [greeting] = await api.wait_for_messages(1001, 1, within=60)
        assert greeting["text"].startswith("Halo Sari")

        api.slow_next("sendMessage", 1.5)  # the next reply is still on its way at SIGTERM
        api.send_text(user(1001, "Sari"), "/help")
        await api.wait_until(lambda: len(api.calls_to("sendMessage", 1001)) == 2, within=60)
    finally:
        code, log = await _stop(process)
    assert code == 0, log
    assert len(api.sent_to(1001)) == 2  # the in-flight reply was delivered before exit
    assert not (tmp_path / "bot.sqlite3-wal").exists()  # the database was closed cleanly
    assert api.token not in log


async def test_serve_process_answers_webhook_and_stops_cleanly(
    telegram_api: FakeBotApi, tmp_path: Path
) -> None:
    api, port = telegram_api, _free_port()
    env = _env(api, tmp_path, TELEGRAM_WEBHOOK_SECRET=SECRET, PUBLIC_URL="https://bot.example.id")
    process = await _start(["serve", "--port", str(port)], env, tmp_path)
    try:
        await api.wait_until(lambda: bool(api.calls_to("setWebhook")), within=60)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):  # the socket opens just after setWebhook
                try:
                    health = await client.get("/healthz")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert health.status_code == 200
            api.slow_next("sendMessage", 1.5)
            update = {**text(user(1001, "Sari"), "/start", 1), "update_id": 1}
            sent = await client.post(
                "/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET}
            )
            assert sent.status_code == 200
            await api.wait_until(lambda: bool(api.calls_to("sendMessage", 1001)), within=60)
    finally:
        code, log = await _stop(process)
    assert code == 0, log
    assert api.texts(1001)[0].startswith("Halo Sari")
    assert not (tmp_path / "bot.sqlite3-wal").exists()
    assert api.webhook["secret_token"] == SECRET and api.token not in log


async def test_refused_token_and_missing_secret_are_one_line_errors(
    telegram_api: FakeBotApi, tmp_path: Path
) -> None:
    wrong = "7000000001:AAWrongTokenWrongTokenWrongToken12"
    process = await _start(
        ["telegram"], _env(telegram_api, tmp_path, TELEGRAM_BOT_TOKEN=wrong), tmp_path
    )
    async with asyncio.timeout(60):
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN: Telegram refused this token" in stderr.decode()
    assert wrong not in stderr.decode()

    process = await _start(
        ["serve", "--port", str(_free_port())], _env(telegram_api, tmp_path), tmp_path
    )
    async with asyncio.timeout(60):
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "TELEGRAM_WEBHOOK_SECRET: must be set" in stderr.decode()


async def test_serve_with_a_refused_token_never_logs_it(
    telegram_api: FakeBotApi, tmp_path: Path
) -> None:
    wrong = "7000000001:AAWrongTokenWrongTokenWrongToken12"
    env = _env(telegram_api, tmp_path, TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_WEBHOOK_SECRET=SECRET)
    process = await _start(["serve", "--port", str(_free_port())], env, tmp_path)
    async with asyncio.timeout(60):
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "Configuration error: TELEGRAM_BOT_TOKEN: Telegram refused this token" in stderr.decode()
    assert wrong not in stderr.decode()
