"""Test tools that read like a conversation: `await chat.send("/start")` returns the replies."""

from __future__ import annotations

from handlers import Assistant, Incoming, Reply
from handlers.types import Button


class Chat:
    """One user talking to the assistant; remembers the last buttons shown."""

    def __init__(
        self,
        assistant: Assistant,
        user_id: str = "1001",
        channel: str = "telegram",
        language_hint: str | None = None,
        display_name: str | None = "Sari",
    ) -> None:
        self.assistant = assistant
        self.user_id = user_id
        self.channel = channel
        self.language_hint = language_hint
        self.display_name = display_name
        self.replies: list[Reply] = []

    def _meta(self) -> dict:
        return {"display_name": self.display_name, "language_hint": self.language_hint}

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        self.replies = await self.assistant.handle(incoming)
        return self.replies

    async def send(self, text: str) -> list[Reply]:
        """Type a message (a command if it starts with /)."""
        return await self._handle(
            Incoming.from_text(self.channel, self.user_id, text, **self._meta())
        )

    async def press(self, label_or_payload: str) -> list[Reply]:
        """Press a button of the last replies, by its label (any case) or its payload."""
        return await self._handle(
            Incoming(
                self.channel,
                self.user_id,
                payload=self.find(label_or_payload).payload,
                **self._meta(),
            )
        )

    async def payload(self, payload: str) -> list[Reply]:
        """Send a raw button payload (possibly forged)."""
        return await self._handle(
            Incoming(self.channel, self.user_id, payload=payload, **self._meta())
        )

    async def share_contact(self, phone: str, own: bool = True) -> list[Reply]:
        return await self._handle(
            Incoming(
                self.channel, self.user_id, contact_phone=phone, contact_is_own=own, **self._meta()
            )
        )

    async def send_unsupported(self, kind: str = "photo") -> list[Reply]:
        return await self._handle(
            Incoming(self.channel, self.user_id, unsupported=kind, **self._meta())
        )

    @property
    def buttons(self) -> list[Button]:
        return [button for reply in self.replies for button in reply.buttons]

    @property
    def payloads(self) -> list[str]:
        return [button.payload for button in self.buttons]

    @property
    def labels(self) -> list[str]:
        return [button.label for button in self.buttons]

    @property
    def text(self) -> str:
        """All reply texts of the last exchange, joined."""
        return "\n".join(reply.text for reply in self.replies)

    def find(self, label_or_payload: str) -> Button:
        for button in self.buttons:
            if label_or_payload in (button.payload, button.label) or (
                button.label.casefold() == label_or_payload.casefold()
            ):
                return button
        raise AssertionError(f"no button {label_or_payload!r} among {self.labels}")
