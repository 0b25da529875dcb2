"""Ctx: one incoming message with the user, their language and conversation state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.deps import Deps
from handlers.types import Button, Incoming, Reply, ReplyKind
from knowledge.languages import pick_language
from storage import Conversation, User

KEPT = "_kept"  # draft key holding an interrupted flow's state


@dataclass
class Ctx:
    deps: Deps
    incoming: Incoming
    user: User
    conv: Conversation | None
    run_command: Callable[[Ctx, str], Awaitable[list[Reply]]] | None = field(
        default=None, repr=False
    )
    kept_flows: frozenset[str] = frozenset()  # flows put aside, not lost, when another starts
    commands: frozenset[str] = frozenset()  # the chat commands that exist
    cancel_guards: Mapping[str, Callable[[Ctx], Awaitable[list[Reply]]]] = field(
        default_factory=dict, repr=False
    )  # flow -> asks before /batal ends it
    returned_to: str | None = None  # set when clear_state() brought a kept flow back
    via: str | None = None  # where a staff action came from when not the chat ("web"); audited
    _roles: set[str] | None = field(default=None, repr=False)
    _last_topic: tuple[str | None] | None = field(default=None, repr=False)  # handlers/follow_up

    @property
    def lang(self) -> str:
        """The user's chosen language, else the channel's hint, else Indonesian."""
        return self.user.language or pick_language(self.incoming.language_hint)

    def t(self, key: str, **data: Any) -> str:
        """The text `key` in the user's language, with `data` as template variables."""
        return self.deps.knowledge.texts.render(self.lang, key, **data)

    def say(
        self,
        key: str,
        buttons: Iterable[Button] = (),
        kind: ReplyKind = ReplyKind.TEXT,
        **data: Any,
    ) -> Reply:
        """A Reply with the text `key` rendered in the user's language."""
        return Reply(self.t(key, **data), tuple(buttons), kind)

    def button(self, key: str, payload: str, **data: Any) -> Button:
        """A Button whose label is the text `key` in the user's language."""
        return Button(self.t(key, **data), payload)

    async def set_state(self, flow: str, step: str, draft: dict[str, Any]) -> None:
        """Store the conversation state now (every step).

        Starting another flow while in a kept one (a reviewer halfway through their own
        registration) keeps the interrupted state inside the new draft; clear_state() brings it
        back.
        """
        kept = self._kept_for(flow)
        if kept is not None:
            draft = {**draft, KEPT: kept}
        self.conv = await self.deps.storage.conversations.save(self.user.id, flow, step, draft)

    async def clear_state(self) -> None:
        """End the current flow, returning to a kept one if this flow interrupted it."""
        kept = self.conv.draft.get(KEPT) if self.conv is not None else None
        if isinstance(kept, dict) and kept.get("flow") in self.kept_flows:
            self.conv = await self.deps.storage.conversations.save(
                self.user.id, kept["flow"], kept["step"], kept["draft"]
            )
            self.returned_to = kept["flow"]
            return
        await self.deps.storage.conversations.clear(self.user.id)
        self.conv = None

    def _kept_for(self, flow: str) -> dict[str, Any] | None:
        if self.conv is None:
            return None
        if self.conv.flow != flow and self.conv.flow in self.kept_flows:
            return {"flow": self.conv.flow, "step": self.conv.step, "draft": self.conv.draft}
        return self.conv.draft.get(KEPT)

    async def command(self, name: str) -> list[Reply]:
        """Run `/name` as if the user typed it (role checks included)."""
        assert self.run_command is not None, "Ctx built outside the Assistant"
        return await self.run_command(self, name)

    def has_command(self, name: str) -> bool:
        """True if `/name` exists (whether this user may run it is checked when it runs)."""
        return name in self.commands

    def in_flow(self, flow: str) -> bool:
        return self.conv is not None and self.conv.flow == flow
