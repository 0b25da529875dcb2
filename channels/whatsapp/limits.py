"""What the Cloud API accepts, checked before anything is sent (Meta's documented limits)."""

from __future__ import annotations

import re
from typing import Any

from channels.common.limits import Limits

TEXT_MAX = 4096
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
BUTTON_BODY_MAX = 1024
LIST_ROWS_MAX = 10
LIST_SECTIONS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
LIST_BUTTON_MAX = 20
LIST_BODY_MAX = 4096
CAPTION_MAX = 1024
LIMITS = Limits(text_max=TEXT_MAX, caption_max=CAPTION_MAX)
TEMPLATE_PARAM_MAX = 900  # the whole template body must stay under 1024 characters
# Template parameters may not hold new lines, tabs or more than four spaces in a row.
_BAD_PARAM = re.compile(r"[\n\t]| {5,}")


def problems(body: dict[str, Any]) -> list[str]:
    """Why the API would reject this message body (without 'to'); empty when it is fine."""
    kind = body.get("type")
    check = _CHECKS.get(kind)
    if check is None:
        return [f"unknown message type {kind!r}"]
    return check(body.get(kind) or {})


def _text(text: dict) -> list[str]:
    body = text.get("body")
    if not isinstance(body, str) or not body.strip():
        return ["text body empty"]
    return ["text body too long"] if len(body) > TEXT_MAX else []


def _sized(value: Any, limit: int, what: str) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{what} empty"]
    return [f"{what} over {limit} characters"] if len(value) > limit else []


def _interactive(interactive: dict) -> list[str]:
    kind = interactive.get("type")
    action = interactive.get("action") or {}
    body = (interactive.get("body") or {}).get("text")
    if kind == "button":
        buttons = [b.get("reply") or {} for b in action.get("buttons") or []]
        found = _sized(body, BUTTON_BODY_MAX, "body")
        if not 1 <= len(buttons) <= BUTTONS_MAX:
            found.append(f"{len(buttons)} buttons (1-{BUTTONS_MAX} allowed)")
        for b in buttons:
            found += _sized(b.get("title"), BUTTON_TITLE_MAX, "button title")
            found += _sized(b.get("id"), BUTTON_ID_MAX, "button id")
        if len({b.get("title") for b in buttons}) != len(buttons):
            found.append("button titles not unique")
        if len({b.get("id") for b in buttons}) != len(buttons):
            found.append("button ids not unique")
        return found
    if kind == "list":
        sections = action.get("sections") or []
        rows = [r for s in sections for r in s.get("rows") or []]
        found = _sized(body, LIST_BODY_MAX, "body") + _sized(
            action.get("button"), LIST_BUTTON_MAX, "list button"
        )
        if not 1 <= len(sections) <= LIST_SECTIONS_MAX:
            found.append(f"{len(sections)} sections")
        if not 1 <= len(rows) <= LIST_ROWS_MAX:
            found.append(f"{len(rows)} rows (1-{LIST_ROWS_MAX} allowed)")
        for row in rows:
            found += _sized(row.get("title"), ROW_TITLE_MAX, "row title")
            found += _sized(row.get("id"), ROW_ID_MAX, "row id")
            if "description" in row:
                found += _sized(row["description"], ROW_DESCRIPTION_MAX, "row description")
        if len({r.get("id") for r in rows}) != len(rows):
            found.append("row ids not unique")
        return found
    return [f"unknown interactive type {kind!r}"]


def _template(template: dict) -> list[str]:
    found = _sized(template.get("name"), 512, "template name")
    found += _sized((template.get("language") or {}).get("code"), 15, "template language")
    for component in template.get("components") or []:
        for parameter in component.get("parameters") or []:
            text = parameter.get("text")
            found += _sized(text, TEMPLATE_PARAM_MAX, "template parameter")
            if isinstance(text, str) and _BAD_PARAM.search(text):
                found.append("template parameter has new lines, tabs or 5+ spaces")
    return found


def _media(media: dict) -> list[str]:
    found = [] if media.get("id") else ["media id missing"]
    if "caption" in media:
        found += _sized(media["caption"], CAPTION_MAX, "caption")
    return found


_CHECKS = {
    "text": _text,
    "interactive": _interactive,
    "template": _template,
    "document": _media,
    "image": _media,
}
