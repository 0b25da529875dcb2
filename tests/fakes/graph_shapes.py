"""The shapes the stand-in Graph API accepts for /messages, written from Meta's documented
limits apart from the channel's own checks (channels/whatsapp/limits.py), so a shape the channel
gets wrong is caught here rather than agreed with."""

from __future__ import annotations

import re
from typing import Any

MB = 1024 * 1024
# Meta's supported media: MIME type -> (message type, largest size)
MEDIA_TYPES = {
    "image/jpeg": ("image", 5 * MB),
    "image/png": ("image", 5 * MB),
    **{
        mime: ("document", 100 * MB)
        for mime in (
            "text/plain",
            "application/pdf",
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        )
    },
}


class Rejected(Exception):
    def __init__(self, code: int, details: str) -> None:
        super().__init__(details)
        self.code, self.details = code, details


def _text(value: Any, limit: int, what: str, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        raise Rejected(100, f"{what} is required")
    if len(value) > limit:
        raise Rejected(100, f"{what} is too long (max {limit})")


def _unique(values: list, what: str) -> None:
    if len(set(values)) != len(values):
        raise Rejected(100, f"{what} must be unique")


def check_message(
    body: Any, approved: set[tuple[str, str]], uploaded: dict, media_types: dict[str, str]
) -> None:
    """Refuse a /messages body the way the Graph API does (Rejected with its error code)."""
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        raise Rejected(100, "messaging_product must be whatsapp")
    if not re.fullmatch(r"\+?\d{6,15}", str(body.get("to", ""))):
        raise Rejected(100, "to must be a phone number")
    kind = body.get("type", "text")
    check = {
        "text": check_text,
        "interactive": check_interactive,
        "template": lambda template: check_template(template, approved),
        "image": lambda media: check_media(media, "image", uploaded, media_types),
        "document": lambda media: check_media(media, "document", uploaded, media_types),
    }.get(kind)
    if check is None or not isinstance(body.get(kind), dict):
        raise Rejected(100, f"unsupported or missing message type {kind!r}")
    check(body[kind])


def check_text(text: dict) -> None:
    _text(text.get("body"), 4096, "text.body")


def check_interactive(it: dict) -> None:
    action = it.get("action")
    if not isinstance(action, dict):
        raise Rejected(100, "interactive.action is required")
    if it.get("type") == "button":
        _text((it.get("body") or {}).get("text"), 1024, "body.text")
        buttons = action.get("buttons")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            raise Rejected(100, "buttons: between 1 and 3 required")
        for b in buttons:
            if b.get("type") != "reply":
                raise Rejected(100, "button type must be reply")
            _text(b["reply"].get("id"), 256, "button id")
            _text(b["reply"].get("title"), 20, "button title")
        _unique([b["reply"]["title"] for b in buttons], "button titles")
        _unique([b["reply"]["id"] for b in buttons], "button ids")
    elif it.get("type") == "list":
        _text((it.get("body") or {}).get("text"), 4096, "body.text")
        _text(action.get("button"), 20, "action.button")
        sections = action.get("sections")
        if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
            raise Rejected(100, "sections: between 1 and 10 required")
        rows = [r for s in sections for r in s.get("rows") or []]
        if not 1 <= len(rows) <= 10:
            raise Rejected(100, "rows: between 1 and 10 in total")
        for s in sections:
            _text(s.get("title"), 24, "section title", required=len(sections) > 1)
        for r in rows:
            _text(r.get("id"), 200, "row id")
            _text(r.get("title"), 24, "row title")
            _text(r.get("description"), 72, "row description", required=False)
        _unique([r["id"] for r in rows], "row ids")
    else:
        raise Rejected(100, "interactive.type must be button or list here")


def check_template(template: dict, approved: set[tuple[str, str]]) -> None:
    name, code = template.get("name"), (template.get("language") or {}).get("code")
    if (name, code) not in approved:
        raise Rejected(132001, f"template {name!r} does not exist in {code!r}")
    params = [p for c in template.get("components") or [] for p in c.get("parameters") or []]
    if len(params) != 1:
        raise Rejected(132000, "number of parameters does not match the template")
    text = params[0].get("text")
    _text(text, 1000, "parameter text")
    if re.search(r"[\n\t]| {5,}", text):
        raise Rejected(
            132000,
            "param text cannot have new-line/tab characters or more than 4 consecutive spaces",
        )


def check_media(media: dict, kind: str, uploaded: dict, media_types: dict[str, str]) -> None:
    if media.get("id") not in uploaded:
        raise Rejected(100, "media id is not an uploaded file")
    mime = media_types.get(media["id"])
    if mime is not None and MEDIA_TYPES[mime][0] != kind:
        raise Rejected(131053, f"a {mime} file cannot be sent as {kind}")
    _text(media.get("caption"), 1024, "caption", required=False)
    _text(media.get("filename"), 240, "filename", required=False)
