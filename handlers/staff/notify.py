"""Tell an SME owner the review outcome, in their language, through their channel's Sender."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from handlers.deps import Deps
from handlers.outbound import RecipientBlocked, SendError
from handlers.types import Reply

log = logging.getLogger(__name__)
SEND_TIMEOUT = 15.0  # seconds; the verdict stays visible in /status if this runs out


def notice_text(deps: Deps, registration: Any) -> str:
    """The verdict message in the owner's language (the registration's language)."""
    return deps.knowledge.texts.render(
        registration.language,
        f"staff.notice_{registration.status}",
        reference=registration.reference,
        business=registration.business_name,
        note=registration.staff_note or "",
    )


async def tell_owner(deps: Deps, registration: Any) -> bool:
    """Send the verdict now; False if it could not be delivered (no sender, blocked, error)."""
    sender = deps.senders.get(registration.channel)
    if sender is None:
        return False
    try:
        await asyncio.wait_for(
            sender.send(registration.user_id, [Reply(notice_text(deps, registration))]),
            SEND_TIMEOUT,
        )
    except RecipientBlocked:
        await deps.storage.users.set_blocked_by_key(
            registration.channel, registration.user_id, True
        )
        return False
    except (SendError, TimeoutError) as exc:
        log.warning("review notice for registration %s not delivered: %s", registration.id, exc)
        return False
    return True
