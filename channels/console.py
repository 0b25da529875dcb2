"""Chat with the assistant in a terminal; buttons show as numbered options; broadcasts print.

The console is one screen for several people: a line `@name` makes the next lines come from
console user `name` (first, messages still due for console users are delivered), and `@@text`
sends the text `@text`. So a citizen and an agent can hold a whole ticket in one session; buttons
sent to a person, in a reply or through the outbox (a ticket card), can be pressed by them after
switching.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from handlers import Assistant, Incoming, Reply, ReplyKind
from handlers.choices import match_choice, numbered
from handlers.types import Button

CHANNEL = "console"
SWITCH = re.compile(r"@([\w.-]{1,64})")  # a line that is only `@name`: speak as `name`
ESCAPE = "@@"  # a line `@@text` is the text `@text` (an Instagram handle, say), not a switch
SWITCH_HINT = (
    "(The next lines come from {name}; `@{previous}` switches back. To send a text that starts"
    " with @, such as an Instagram handle, type the @ twice: @@{name}.)"
)
Shown = dict[str, tuple[Button, ...]]  # per console user: the last buttons shown to them


class ConsoleChat:
    """One console user: turns typed lines into Incoming and prints the replies."""

    def __init__(
        self, assistant: Assistant, user_id: str, out: TextIO, files_dir: Path,
        shown: Shown | None = None,
    ) -> None:
        self.assistant = assistant
        self.user_id = user_id
        self.out = out
        self.files_dir = files_dir
        self.shown: Shown = shown if shown is not None else {}

    @property
    def buttons(self) -> tuple[Button, ...]:
        return self.shown.get(self.user_id, ())

    @buttons.setter
    def buttons(self, buttons: tuple[Button, ...]) -> None:
        self.shown[self.user_id] = buttons

    def to_incoming(self, line: str) -> Incoming:
        """A number or label of the last buttons presses it; anything else is typed text."""
        chosen = match_choice(line, self.buttons) if not line.startswith("/") else None
        if chosen is not None:
            return Incoming(CHANNEL, self.user_id, payload=chosen.payload)
        return Incoming.from_text(CHANNEL, self.user_id, line)

    async def send(self, line: str) -> list[Reply]:
        replies = await self.assistant.handle(self.to_incoming(line))
        self.show(replies)
        return replies

    def show(self, replies: list[Reply]) -> None:
        for reply in replies:
            print(reply.text, file=self.out)
            if reply.kind in (ReplyKind.DOCUMENT, ReplyKind.PHOTO) and reply.file is not None:
                print(f"[file: {self._save(reply)}]", file=self.out)
            if reply.buttons:
                self.buttons = reply.buttons
                print(numbered(reply.buttons), file=self.out)
            print(file=self.out)
        self.out.flush()

    def _save(self, reply: Reply) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        name = Path(reply.filename or "file.bin").name
        path = self.files_dir / name
        path.write_bytes(reply.file or b"")
        return path



class ConsoleSender:
    """Broadcasts to console users, printed in the terminal (the console has one screen)."""

    channel = "console"

    def __init__(self, out: TextIO, shown: Shown | None = None) -> None:
        self.out = out
        self.count = 0
        self.shown: Shown = shown if shown is not None else {}  # buttons each person may press

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        ids = []
        for reply in replies:
            self.count += 1
            shown = reply.text
            if reply.attachment is not None:  # a terminal shows the file's name, not the file
                label = f"[{reply.attachment.kind}: {reply.attachment.filename}]"
                shown = f"{label} {shown}".strip()
            if reply.buttons:
                self.shown[user_id] = reply.buttons
                shown = f"{shown}\n{numbered(reply.buttons)}"
            print(f"[console:{user_id}] {shown}\n", file=self.out, flush=True)
            ids.append(str(self.count))
        return ids


def _stdin_lines(loop: asyncio.AbstractEventLoop, stream: TextIO) -> asyncio.Queue[str | None]:
    """Lines of `stream` in a queue, read by a daemon thread (so Ctrl-C never waits for it)."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


async def run_console(
    assistant: Assistant,
    user_id: str = "console-user",
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    files_dir: Path = Path("data/console-files"),
    shown: Shown | None = None,
    settle: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """Read stdin line by line until it ends; each line is one message, or `@name` to speak as
    another person from then on (`settle` first delivers what is due to console users)."""
    shown = shown if shown is not None else {}
    chat = ConsoleChat(assistant, user_id, out, files_dir, shown)
    interactive = stdin.isatty()
    hinted = False
    queue = _stdin_lines(asyncio.get_running_loop(), stdin)
    while True:
        if interactive:
            print("> ", end="", file=out, flush=True)
        line = await queue.get()
        if line is None:
            return
        line = line.rstrip("\r\n")
        switch = SWITCH.fullmatch(line.strip())
        if switch:
            if settle is not None:
                await settle()
            previous, chat = chat.user_id, ConsoleChat(assistant, switch.group(1), out, files_dir,
                                                       shown)  # fmt: skip
            print(f"— {chat.user_id} —", file=out)
            if not hinted:  # someone who typed a handle sees at once what happened, and the way out
                print(SWITCH_HINT.format(name=chat.user_id, previous=previous), file=out)
                hinted = True
            print(file=out, flush=True)
        elif line.strip().startswith(ESCAPE):
            await chat.send(line.strip()[1:])
        elif line.strip():
            await chat.send(line)
