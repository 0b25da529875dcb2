"""The dependencies a handler may use, built once by the composition root (wiring/) or a test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.media import Fetcher
from handlers.outbound import Breaker, Sender
from knowledge import Knowledge
from settings import Settings
from storage import Storage, User

RoleLookup = Callable[[User], Awaitable[set[str]]]


@dataclass
class Deps:
    settings: Settings
    storage: Storage
    knowledge: Knowledge
    senders: dict[str, Sender] = field(default_factory=dict)  # by channel: outbound messages
    fetchers: dict[str, Fetcher] = field(default_factory=dict)  # by channel: files users send
    role_lookup: RoleLookup | None = None  # roles granted from the chat (ADMIN_IDS aside)
    broadcast_wake: Callable[[], None] | None = None  # set while this process's worker runs
    breakers: dict[str, Breaker] = field(default_factory=dict)  # by channel: token failures
    # handlers.handoff.service.TicketService, made on first use (not imported: it uses Deps)
    tickets: Any = None
