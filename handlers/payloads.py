"""A flow's button payloads declared in one table: readable names, short codes on the wire.

    class Press(ButtonCode, prefix="bc"):   # the router prefix
        SEND_NOW = "go"                      # bc:go
        TOGGLE_FILTER = "t"                  # bc:t:<category>:<value>

    Press.TOGGLE_FILTER.payload("sub", "kuliner")  -> "bc:t:sub:kuliner"
    Press.parse("t:sub:kuliner")                   -> (Press.TOGGLE_FILTER, "sub:kuliner")

Codes stay short (Telegram carries at most 64 bytes) and never change: buttons already sent
in a chat must keep working after an update.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class ButtonCode(StrEnum):
    """Base of a flow's button table: `class X(ButtonCode, prefix="...")` lists its codes."""

    def __init_subclass__(cls, prefix: str = "", **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.prefix = prefix

    def payload(self, *args: object) -> str:
        """The payload a button carries: `<prefix>:<code>[:<arg>...]`."""
        return ":".join([type(self).prefix, self.value, *(str(arg) for arg in args)])

    @classmethod
    def parse(cls, value: str) -> tuple[Self, str] | None:
        """What follows the prefix, as (code, the rest); None for a code not in the table."""
        code, _, rest = value.partition(":")
        try:
            return cls(code), rest
        except ValueError:
            return None
