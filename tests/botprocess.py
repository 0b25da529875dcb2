"""The real bot as a separate process (`python bot.py telegram`) against the stand-in Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.fakes.telegram_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent


class BotProcess:
    """Start, SIGKILL, SIGTERM and restart `python bot.py telegram` on one database."""

    def __init__(self, api: FakeBotApi, db_path: Path, log_path: Path, **env: str) -> None:
        self.api = api
        self.db_path = db_path
        self.log_path = log_path
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def environ(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PTB_TIMEDELTA": "true",
            "TELEGRAM_BOT_TOKEN": self.api.token,
            "TELEGRAM_API_URL": self.api.base_url,
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "LOG_LEVEL": "INFO",
            **self.env,
        }

    async def start(self, within: float = 60.0) -> None:
        """Start the process and return once it polls for updates."""
        seen = len(self.api.calls)
        log = self.log_path.open("ab")
        log.write(f"--- start {self.starts + 1}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - returns at once; waits happen in threads
            [sys.executable, "bot.py", "telegram"],
            cwd=ROOT,
            env=self.environ(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        log.close()
        self.starts += 1
        await self.api.wait_until(
            lambda: (
                any(c.method == "getUpdates" for c in self.api.calls[seen:])
                or self.proc.poll() is not None
            ),
            within,
        )
        if self.proc.poll() is not None:
            raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{self.log()[-2000:]}")

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
