"""Where an Incoming goes: commands, button payloads, the active flow, or free text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.context import Ctx
from handlers.types import Reply

Handler = Callable[[Ctx], Awaitable[list[Reply]]]
PayloadHandler = Callable[[Ctx, str], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    handler: Handler
    role: str | None = None  # staff role needed; without it the command does not exist


@dataclass(frozen=True)
class PayloadSpec:
    prefix: str
    handler: PayloadHandler
    role: str | None = None


class Router:
    """Registries that feature modules fill through decorators."""

    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}
        self.payloads: dict[str, PayloadSpec] = {}
        self.flows: dict[str, Handler] = {}
        self.returns: dict[str, Handler] = {}  # kept flows: what to say when one comes back
        self.cancels: dict[str, Handler] = {}  # flow -> asks before /batal ends it ([]: ends)
        self.text_handler: Handler | None = None
        # A message answering one of the bot's (Incoming.reply_to): returns None to pass it on.
        self.reply_handler: Callable[[Ctx], Awaitable[list[Reply] | None]] | None = None

    def command(self, *names: str, role: str | None = None) -> Callable[[Handler], Handler]:
        """Register a handler for `/name` (and aliases)."""

        def register(fn: Handler) -> Handler:
            for name in names:
                if name in self.commands:
                    raise ValueError(f"command /{name} registered twice")
                self.commands[name] = CommandSpec(names[0], fn, role)
            return fn

        return register

    def payload(
        self, prefix: str, role: str | None = None
    ) -> Callable[[PayloadHandler], PayloadHandler]:
        """Register a handler for button payloads `prefix:value`."""

        def register(fn: PayloadHandler) -> PayloadHandler:
            if prefix in self.payloads:
                raise ValueError(f"payload prefix {prefix!r} registered twice")
            self.payloads[prefix] = PayloadSpec(prefix, fn, role)
            return fn

        return register

    def flow(
        self, name: str, on_return: Handler | None = None, on_cancel: Handler | None = None
    ) -> Callable[[Handler], Handler]:
        """Register the handler for messages while a user is in flow `name`.

        With `on_return`, the flow is kept when another flow interrupts it; `on_return` runs
        (adding its replies) when the interrupting flow ends. With `on_cancel`, /batal asks it
        first: its replies (a confirmation) stop the cancel; no replies let the cancel go on.
        """

        def register(fn: Handler) -> Handler:
            self.flows[name] = fn
            if on_return is not None:
                self.returns[name] = on_return
            if on_cancel is not None:
                self.cancels[name] = on_cancel
            return fn

        return register

    def cancel_guard(self, name: str) -> Callable[[Handler], Handler]:
        """Register what /batal asks for a conversation state no flow runs (a kept form)."""

        def register(fn: Handler) -> Handler:
            self.cancels[name] = fn
            return fn

        return register

    def reply_to(self, fn: Callable[[Ctx], Awaitable[list[Reply] | None]]):
        """Register the handler for messages that reply to one of the bot's (staff answers)."""
        self.reply_handler = fn
        return fn

    def text(self, fn: Handler) -> Handler:
        """Register the handler for free text outside any flow (the FAQ)."""
        self.text_handler = fn
        return fn
