"""The real bot as a separate process (`python bot.py telegram`) against the stand-in Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakes.bot_methods import ApiError
from tests.fakes.telegram_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
REPLY_METHODS = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}


class WatchedBotApi(FakeBotApi):
    """The stand-in, telling each waiting user when the bot answered them (first reply)."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[int, asyncio.Future] = {}
        self.last_message: dict[int, dict] = {}
        self.reply_texts: dict[int, list[str]] = {}  # every reply per chat, edits included
        self.replies = 0
        self.rejected: dict[str, int] = {}  # calls the real Bot API would refuse, by reason
        self.processes: list[BotProcess] = []  # killed on exit, so a failed test leaves none

    async def __aexit__(self, *exc: object) -> None:
        for process in self.processes:
            await process.kill()
        await super().__aexit__(*exc)

    async def dispatch(self, method: str, params: dict, files: dict):
        try:
            result = await super().dispatch(method, params, files)
        except ApiError as exc:
            reason = f"{method}: {exc.description[:60]}"
            self.rejected[reason] = self.rejected.get(reason, 0) + 1
            raise
        if method in REPLY_METHODS:
            chat = int(params["chat_id"])
            self.last_message[chat] = result
            text = result.get("text", result.get("caption", ""))
            self.reply_texts.setdefault(chat, []).append(text)
            self.replies += 1
            future = self.waiting.pop(chat, None)
            if future is not None and not future.done():
                future.set_result((time.perf_counter(), result.get("text", "")))
        return result

    def expect_reply(self, chat: int) -> asyncio.Future:
        """A future resolved with (time, text) by the next reply to `chat`."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[chat] = future
        return future


class BotProcess:
    """Start, SIGKILL, SIGTERM and restart `python bot.py telegram` on one database."""

    def __init__(
        self,
        api: FakeBotApi,
        db_path: Path,
        log_path: Path,
        command: tuple[str, ...] = ("bot.py", "telegram"),
        **env: str,
    ) -> None:
        self.api = api
        self.command = command
        self.db_path = db_path
        self.log_path = log_path
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        if isinstance(api, WatchedBotApi):
            api.processes.append(self)

    def environ(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PTB_TIMEDELTA": "true",
            "TELEGRAM_BOT_TOKEN": self.api.token,
            "TELEGRAM_API_URL": self.api.base_url,
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "LOG_LEVEL": "INFO",
            "BROADCAST_PROGRESS_EVERY": "0.5",  # the end report comes sooner (default 5 s)
            "SEMANTIC_MATCHING": "false",  # start in a second: these tests are about Telegram
            **self.env,
        }

    async def start(self, within: float = 60.0) -> None:
        """Start the process and return once it polls for updates."""
        seen = len(self.api.calls)
        self._spawn()
        await self.api.wait_until(
            lambda: (
                any(c.method == "getUpdates" for c in self.api.calls[seen:])
                or self.proc.poll() is not None
            ),
            within,
        )
        if self.proc.poll() is not None:
            raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{self.log()[-2000:]}")

    def _spawn(self) -> None:
        """Start the process (its output appended to the log)."""
        log = self.log_path.open("ab")
        log.write(f"--- start {self.starts + 1}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - returns at once; waits happen in threads
            [sys.executable, *self.command],
            cwd=ROOT,
            env=self.environ(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        log.close()
        self.starts += 1

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, no goodbye."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            await asyncio.to_thread(self.proc.wait)

    async def stop(self, within: float = 30.0) -> int:
        """SIGTERM and wait for a clean exit; SIGKILL if it does not come."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.to_thread(self.proc.wait, within)
        except subprocess.TimeoutExpired:
            await self.kill()
            return -9

    async def __aenter__(self) -> BotProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Never leave a bot process behind, even when the test fails."""
        await self.kill()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        return (
            self.log_path.read_text(encoding="utf-8", errors="replace")
            if self.log_path.exists()
            else ""
        )

    def error_lines(self) -> list[str]:
        """Lines the bot logged at ERROR or CRITICAL (Tracebacks start on such a line)."""
        return [
            line for line in self.log().splitlines() if " ERROR " in line or " CRITICAL " in line
        ]
