"""The dependencies a handler may use, built once by bot.py (or a test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handlers.outbound import Sender
from knowledge import Knowledge
from settings import Settings
from storage import Storage


@dataclass
class Deps:
    settings: Settings
    storage: Storage
    knowledge: Knowledge
    senders: dict[str, Sender] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)  # feature services, by name
