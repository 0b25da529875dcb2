"""A circuit breaker per channel for token-level failures (expired token, account blocked).

When the platform refuses the whole channel, every message would fail one by one: instead the
channel's outbox pauses (nothing is marked failed), one probe goes out every `probe_every`
seconds, and the first success closes the breaker again. The admins are told once, on a
channel that still works, when it opens and when it closes.
"""

from __future__ import annotations

import logging

from handlers.deps import Deps
from handlers.outbound import Breaker, SendError
from handlers.types import Reply, channel_name
from knowledge.languages import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)


def breaker(deps: Deps, channel: str) -> Breaker:
    """The channel's breaker (made on first use)."""
    return deps.breakers.setdefault(channel, Breaker(channel))


async def refused(deps: Deps, channel: str, reason: str, began: float | None = None) -> None:
    """The platform refused the whole channel: open its breaker; log and alert once.

    `began`: when the refused call started (monotonic); one that started before the channel
    recovered is stale and reopens nothing.
    """
    if breaker(deps, channel).trip(began):
        log.error("%s refuses the channel (%s): its outbox pauses and retries every %.0f s",
                  channel, reason, breaker(deps, channel).probe_every)
        await alert_admins(deps, channel, "outage.channel_down", reason=reason)


async def accepted(deps: Deps, channel: str) -> None:
    """A message went through: close the breaker if it was open; log and alert once."""
    found = deps.breakers.get(channel)
    if found is not None and found.reset():
        log.warning("%s accepts messages again: its outbox resumes", channel)
        await alert_admins(deps, channel, "outage.channel_up")


async def alert_admins(deps: Deps, about: str, key: str, **data: object) -> int:
    """Tell each admin on another channel that works; return how many were told."""
    told = 0
    for channel, user_id in await _admins(deps):
        sender = deps.senders.get(channel)
        if channel == about or sender is None or breaker(deps, channel).is_open:
            continue
        user = await deps.storage.users.get(channel, user_id)
        lang = (user.language if user else None) or DEFAULT_LANGUAGE
        text = deps.knowledge.texts.render(lang, key, channel=channel_name(about), **data)
        try:
            await sender.send(user_id, [Reply(text)])
            told += 1
        except SendError as exc:
            log.warning("admin not told about the %s outage: %s", about, type(exc).__name__)
    return told


async def _admins(deps: Deps) -> list[tuple[str, str]]:
    """ADMIN_IDS and admins granted in the chat, as (channel, user id), without repeats."""
    keys = set(deps.settings.admin_ids)
    keys |= {f"{r.channel}:{r.user_id}" for r in await deps.storage.roles.all() if r.role == "admin"}
    return sorted(tuple(key.split(":", 1)) for key in keys)
