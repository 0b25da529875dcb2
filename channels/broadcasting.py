"""The broadcast worker wired into a running channel: polling, the web server, the console."""

from __future__ import annotations

from typing import TextIO

from channels.web import WebPart
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from handlers.types import Reply


def broadcast_web_part(assistant: Assistant) -> WebPart:
    """Start the worker after the channels' parts (their senders exist then); stop it first."""
    workers: list[BroadcastWorker] = []

    async def start() -> None:
        worker = BroadcastWorker(assistant.deps)
        await worker.start()
        workers.append(worker)

    async def stop() -> None:
        while workers:
            await workers.pop().stop()

    return WebPart("broadcasts", [], on_startup=[start], on_shutdown=[stop])


class ConsoleSender:
    """Broadcasts to console users, printed in the terminal (the console has one screen)."""

    channel = "console"

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        ids = []
        for reply in replies:
            self.count += 1
            shown = reply.text
            if reply.attachment is not None:  # a terminal shows the file's name, not the file
                label = f"[{reply.attachment.kind}: {reply.attachment.filename}]"
                shown = f"{label} {shown}".strip()
            print(f"[console:{user_id}] {shown}\n", file=self.out, flush=True)
            ids.append(str(self.count))
        return ids
