"""What tickets look like: the agents' card and thread, the user's staff replies and notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.deps import Deps
from handlers.handoff.buttons import HandButton, TicketButton
from handlers.handoff.hours import OfficeHours
from handlers.types import Attachment, Button, Reply, ReplyKind
from knowledge.languages import LANGUAGE_NAMES
from storage import User
from storage.tickets import Ticket, TicketMessage

CONTEXT = 4  # earlier messages shown on an agent's card
CHANNEL_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "console": "console"}


def t(deps: Deps, lang: str, key: str, **data: Any) -> str:
    return deps.knowledge.texts.render(lang, key, **data)


def card_buttons(deps: Deps, lang: str, ticket_id: int) -> tuple[Button, ...]:
    """Take, Reply, Close."""
    return tuple(
        Button(t(deps, lang, f"handoff.button_{code.value}"), code.payload(ticket_id))
        for code in (TicketButton.TAKE, TicketButton.REPLY, TicketButton.CLOSE)
    )


def card(
    deps: Deps, lang: str, ticket: Ticket, user: User | None, registration: Any,
    messages: list[TicketMessage], purpose: str, hours: OfficeHours, now: datetime,
) -> Reply:
    """The ticket as an agent sees it: who, where, registration, question and recent messages.

    Never the user's phone number: on WhatsApp the user id is the number, so it is not shown;
    only a number the user gave in their registration is.
    """
    earlier = [m for m in messages if m.text != ticket.question or m.author != "user"]
    text = t(
        deps, lang, "handoff.card",
        number=ticket.id, purpose=purpose,
        name=(user.display_name if user else None) or t(deps, lang, "handoff.no_name"),
        channel=CHANNEL_NAMES.get(ticket.channel, ticket.channel),
        language=LANGUAGE_NAMES.get(ticket.language, ticket.language),
        reference=registration.reference if registration else None,
        status=t(deps, lang, f"staff.status_{registration.status}") if registration else None,
        phone=getattr(registration, "phone", None) if registration else None,
        question=_short(ticket.question or "", 1500),
        earlier=[{"author": m.author, "text": _short(m.text)} for m in earlier[-CONTEXT:]],
        assignee=ticket.assignee_name or ticket.assignee,
        office_open=hours.is_open(now),
    )  # fmt: skip
    return Reply(text, card_buttons(deps, lang, ticket.id))


def thread_from_user(
    deps: Deps, lang: str, ticket: Ticket, text: str, attachment: Attachment | None
) -> list[Reply]:
    """The user's next message as it reaches the agent: `#N Name: text` (and the file)."""
    header = t(deps, lang, "handoff.thread_user", number=ticket.id, text=text,
               file=_file_named(text, attachment))  # fmt: skip
    return _with_media(header, attachment, (
        Button(t(deps, lang, "handoff.button_reply"), TicketButton.REPLY.payload(ticket.id)),
    ))  # fmt: skip


def staff_reply(
    deps: Deps, lang: str, text: str, name: str | None, attachment: Attachment | None
) -> list[Reply]:
    """A staff reply as the user sees it: "Petugas Dinas KUKM: …" (the name only if shown)."""
    said = t(deps, lang, "handoff.staff_says", name=name, text=text,
             file=_file_named(text, attachment))  # fmt: skip
    buttons = (Button(t(deps, lang, "handoff.button_done"), HandButton.DONE.payload()),)
    return _with_media(said, attachment, buttons)


def closed_for_user(deps: Deps, lang: str, ticket: Ticket) -> Reply:
    """Staff closed the ticket: say so and offer the one-tap rating."""
    return Reply(t(deps, lang, "handoff.closed_by_staff", number=ticket.id),
                 rating_buttons(deps, lang, ticket.id))  # fmt: skip


def rating_buttons(deps: Deps, lang: str, ticket_id: int) -> tuple[Button, ...]:
    return (
        Button(t(deps, lang, "handoff.rate_up"), HandButton.RATE.payload(ticket_id, "up")),
        Button(t(deps, lang, "handoff.rate_down"), HandButton.RATE.payload(ticket_id, "down")),
    )


def closed_for_agent(deps: Deps, lang: str, ticket: Ticket) -> Reply:
    return Reply(t(deps, lang, "handoff.closed_for_agent", number=ticket.id,
                   by_user=ticket.closed_by in ("user", "erased")))  # fmt: skip


def taken_text(deps: Deps, lang: str, ticket_id: int, agent: Any) -> str:
    return t(deps, lang, "handoff.taken_by", number=ticket_id, agent=agent.name or agent.key)


def _file_named(text: str, attachment: Attachment | None) -> str | None:
    """A file sent without words is named in the text that follows it."""
    return attachment.filename if attachment is not None and not text.strip() else None


def _with_media(
    text: str, attachment: Attachment | None, buttons: tuple[Button, ...]
) -> list[Reply]:
    """Text with its buttons, preceded by the file if there is one."""
    replies = []
    if attachment is not None:
        replies.append(Reply("", kind=ReplyKind(attachment.kind), attachment=attachment))
    replies.append(Reply(text, buttons))
    return replies


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
