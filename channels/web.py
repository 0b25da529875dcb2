"""What a channel adds to a running process: a WebPart (its routes and start/stop hooks).

The composition root (wiring/) collects the parts, serves their routes and runs their hooks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # starlette itself only where routes are served
    from starlette.routing import BaseRoute

Hook = Callable[[], Awaitable[None]]


@dataclass
class WebPart:
    """What one channel adds: routes for the web server, hooks to start and stop it."""

    name: str
    routes: list[BaseRoute]
    on_startup: list[Hook] = field(default_factory=list)
    on_shutdown: list[Hook] = field(default_factory=list)


class PartUnavailable(Exception):
    """A part could not start for a reason it has already logged (e.g. its server is down)."""
