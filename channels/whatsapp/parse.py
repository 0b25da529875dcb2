"""Webhook notifications (Meta's JSON) turned into inbound messages and delivery statuses."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from handlers.choices import match_choice
from handlers.types import Button, Incoming, Media

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"
# A WhatsApp id we can answer: the number in international form, digits only. Business-scoped
# ids ("US.1234") and anything else are not numbers: never sent to, never stored as a user.
_WA_ID = re.compile(r"^[1-9][0-9]{5,14}$")
# Notices that are not user content: nothing to answer (a reply would say "I read only text").
NOTICE_KINDS = {"revoke", "edit", "system", "call_permission_reply"}
# Typed on WhatsApp, these unsubscribe from announcements (Meta's own opt-out words too).
STOP_WORDS = {"STOP", "BERHENTI", "UNSUBSCRIBE", "BERHENTI LANGGANAN"}
STOP_COMMAND = "berhenti"
MEDIA_KINDS = {"image": "photo", "document": "document"}  # WhatsApp type -> Media.kind
# The country code of the number hints the language until the user chooses one.
_COUNTRY_LANGUAGE = {"62": "id", "60": "ms"}


class BadNotification(ValueError):
    """The body is JSON but not a WhatsApp Business Account notification."""


@dataclass(frozen=True)
class Inbound:
    """One message a user sent us."""

    message_id: str
    wa_id: str
    name: str | None
    kind: str  # text, interactive, button, contacts, image, audio, ...
    text: str | None = None
    payload: str | None = None
    contact_phone: str | None = None
    contact_is_own: bool = False
    media: Media | None = None  # an image or document: its media id, type, name, caption
    system: str | None = None  # kind "system": user_changed_number, customer_identity_changed...
    new_wa_id: str | None = None  # user_changed_number: the user's new number
    reply_to: str | None = None  # the wamid of our message this one replies to (context.id)


@dataclass(frozen=True)
class Status:
    """What became of a message we sent: sent, delivered, read, failed (with error code)."""

    wamid: str
    status: str
    recipient: str
    error_code: int | None = None
    error_title: str | None = None


def valid_wa_id(value: Any) -> bool:
    """True for an id we can answer: a number in international form, digits only."""
    return isinstance(value, str) and bool(_WA_ID.match(value))


def parse_notification(
    data: Any, phone_number_id: str | None = None
) -> tuple[list[Inbound], list[Status]]:
    """All messages and statuses in a notification; BadNotification for other shapes.

    With `phone_number_id`, changes addressed to another number of the business are skipped.
    """
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise BadNotification("not a whatsapp_business_account notification")
    messages: list[Inbound] = []
    statuses: list[Status] = []
    for entry in _list(data.get("entry")):
        for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value")
            if not isinstance(value, dict) or not _ours(value, phone_number_id):
                continue
            _log_errors(value)
            names = _contact_names(value)
            messages += [m for raw in _list(value.get("messages")) if (m := _message(raw, names))]
            statuses += [s for raw in _list(value.get("statuses")) if (s := _status(raw))]
    return messages, statuses


def _ours(value: dict, phone_number_id: str | None) -> bool:
    """False (and logged) for a change addressed to another phone number of the account."""
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    if phone_number_id is None or str(metadata.get("phone_number_id")) == phone_number_id:
        return True
    log.info("WhatsApp notification for another phone number id ignored")
    return False


def _log_errors(value: dict) -> None:
    """Webhook-level errors (value.errors): Meta tells us something failed on its side."""
    for error in _list(value.get("errors")):
        if isinstance(error, dict):
            log.warning("WhatsApp webhook error %s: %s", error.get("code"),
                        str(error.get("title") or "")[:200])


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _contact_names(value: dict) -> dict[str, str]:
    names = {}
    for contact in _list(value.get("contacts")):
        if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
            name = contact["profile"].get("name")
            if isinstance(name, str) and contact.get("wa_id"):
                names[str(contact["wa_id"])] = name
    return names


def _message(raw: Any, names: dict[str, str]) -> Inbound | None:
    if not _answerable(raw):
        return None
    wa_id, kind = str(raw["from"]), str(raw.get("type") or "unknown")
    base = {"message_id": str(raw["id"]), "wa_id": wa_id, "name": names.get(wa_id), "kind": kind}
    context = raw.get("context")
    if isinstance(context, dict) and isinstance(context.get("id"), str) and context["id"]:
        base["reply_to"] = context["id"]
    body = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
    if kind in NOTICE_KINDS:
        return _notice(base, body)
    if kind == "interactive" and body.get("type") == "call_permission_reply":
        return Inbound(**{**base, "kind": "call_permission_reply"})
    if kind == "text" and isinstance(body.get("body"), str):
        return Inbound(**base, text=body["body"])
    if kind == "interactive":
        reply = body.get(body.get("type") or "")
        if body.get("type") in ("button_reply", "list_reply") and isinstance(reply, dict):
            if isinstance(reply.get("id"), str) and reply["id"]:
                return Inbound(**base, payload=reply["id"])
    if kind == "button" and isinstance(body.get("text"), str):  # a template's quick reply
        return Inbound(**base, text=body["text"])
    if kind == "contacts":
        phone = _shared_phone(raw.get("contacts"))
        if phone is not None:
            return Inbound(**base, contact_phone=phone[0], contact_is_own=_is_own(phone, wa_id))
    if kind in MEDIA_KINDS and isinstance(body.get("id"), str) and body["id"]:
        return Inbound(**base, media=_media(kind, body))
    return Inbound(**base)  # unsupported kind (audio, location, sticker, ...)


def _answerable(raw: Any) -> bool:
    """A message from one user we can answer; anything else is dropped with a log line."""
    if not isinstance(raw, dict) or not raw.get("id"):
        log.warning("WhatsApp message without an id dropped")
        return False
    if raw.get("group_id"):
        log.debug("WhatsApp group message ignored")
        return False
    if not valid_wa_id(raw.get("from")):
        sender = raw.get("from")
        log.warning("WhatsApp message dropped: sender id %s",
                    "missing" if sender is None else f"not a number ({len(str(sender))} chars)")
        return False
    return True


def _notice(base: dict, body: dict) -> Inbound:
    """revoke, edit, system: not user content. A number change names the new number."""
    system = str(body.get("type") or "") if base["kind"] == "system" else None
    new = body.get("wa_id") or body.get("new_wa_id")
    new_wa_id = str(new) if system == "user_changed_number" and valid_wa_id(str(new)) else None
    return Inbound(**base, system=system, new_wa_id=new_wa_id)


def _media(kind: str, body: dict) -> Media:
    """An image or document message as Media (the size comes later, from GET /{media-id})."""

    def text(key: str) -> str | None:
        value = body.get(key)
        return value if isinstance(value, str) and value else None

    return Media(MEDIA_KINDS[kind], body["id"], text("filename"), text("mime_type"), None,
                 text("caption"))


def _shared_phone(contacts: Any) -> tuple[str, str | None] | None:
    for contact in _list(contacts):
        for phone in _list(contact.get("phones") if isinstance(contact, dict) else None):
            if isinstance(phone, dict) and isinstance(phone.get("phone"), str):
                return phone["phone"], phone.get("wa_id")
    return None


def _is_own(phone: tuple[str, str | None], sender: str) -> bool:
    """A shared card proves the number is the sender's own only when both its `phone` (what
    gets stored) and its `wa_id` are the sender's number: a card of someone else with the
    sender's wa_id must not let them take over that person's registration."""
    digits = "".join(ch for ch in phone[0] if ch.isdigit())
    return phone[1] == sender and digits == sender


def _status(raw: Any) -> Status | None:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("status"):
        return None
    errors = [e for e in _list(raw.get("errors")) if isinstance(e, dict)]
    code = errors[0].get("code") if errors else None
    return Status(
        wamid=str(raw["id"]),
        status=str(raw["status"]),
        recipient=str(raw.get("recipient_id") or ""),
        error_code=code if isinstance(code, int) else None,
        error_title=str(errors[0].get("title") or "") if errors else None,
    )


def language_hint(wa_id: str) -> str:
    """Indonesian for +62, Malay for +60, English for other countries."""
    return next((lang for cc, lang in _COUNTRY_LANGUAGE.items() if wa_id.startswith(cc)), "en")


def to_incoming(
    message: Inbound, options: tuple[Button, ...] = (), numbered: bool = False
) -> Incoming:
    """The channel-neutral Incoming; typed text matching the last options presses them."""
    meta = {"display_name": message.name, "language_hint": language_hint(message.wa_id),
            "reply_to": message.reply_to}
    if message.payload is not None:
        return Incoming(CHANNEL, message.wa_id, payload=message.payload, **meta)
    if message.contact_phone is not None:
        return Incoming(
            CHANNEL,
            message.wa_id,
            contact_phone=message.contact_phone,
            contact_is_own=message.contact_is_own,
            **meta,
        )
    if message.text is None:  # media also named in `unsupported`: flows without files answer it
        return Incoming(CHANNEL, message.wa_id, unsupported=message.kind, media=message.media,
                        **meta)
    text = message.text.strip()
    if " ".join(text.upper().split()) in STOP_WORDS:
        return Incoming(CHANNEL, message.wa_id, command=STOP_COMMAND, **meta)
    chosen = _choose(text, options, numbered)
    if chosen is not None:
        return Incoming(CHANNEL, message.wa_id, payload=chosen.payload, **meta)
    return Incoming.from_text(CHANNEL, message.wa_id, message.text, **meta)


def _choose(text: str, options: tuple[Button, ...], numbered: bool) -> Button | None:
    """A typed label always counts; a typed number only when the options were numbered."""
    if not options or text.startswith("/"):
        return None
    if not numbered and text.rstrip(".").strip().isdigit():
        return None
    return match_choice(text, options)
