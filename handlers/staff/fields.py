"""A registration's fields as staff see them: labelled, in order, values made readable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.context import Ctx
from handlers.registration.fields import BY_NAME, FIELDS, Kind
from handlers.registration.phone import display
from handlers.types import channel_name
from handlers.wib import JAKARTA
from knowledge.languages import LANGUAGE_NAMES

# Columns of the review card and the export. The form's fields come from their declaration
# (handlers/registration/fields.py), in form order, after what staff identify a registration by.
LEADING = ("reference", "status", "business_name")
SHOWN_IN = {"subsector_other": "subsector"}  # an answer shown inside another column
AFTER = {"phone": ("phone_verified",)}  # stored beside a field, not asked
TRAILING = ("language", "contact", "consent_at", "consent_version", "submitted_at",
            "staff_note", "reviewed_by", "reviewed_at")  # fmt: skip


def _columns() -> tuple[str, ...]:
    form = []
    for field in FIELDS:
        if field.name not in LEADING and field.name not in SHOWN_IN:
            form += [field.name, *AFTER.get(field.name, ())]
    return (*LEADING, *form, *TRAILING)


COLUMNS = _columns()


def local_time(value: datetime | None) -> str:
    """`YYYY-MM-DD HH:MM` in Asia/Jakarta (WIB), or ''."""
    return value.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M") if value else ""


def option_label(ctx: Ctx, name: str, code: str) -> str:
    """The label of a stored option code (subsector, scale...) in the staff member's language."""
    key = f"register.{name}.{code}"
    return ctx.t(key) if ctx.deps.knowledge.texts.has(key) else code


def code_label(ctx: Ctx, name: str, code: Any) -> Any:
    """A stored code as staff read it: options, statuses and languages by their labels."""
    if code is None:
        return code
    if name == "status":
        return ctx.t(f"staff.status_{code}")
    if name == "language":
        return LANGUAGE_NAMES.get(code, code)
    if name == "channel":
        return channel_name(str(code))
    field = BY_NAME.get(name)
    if field is not None and field.kind is Kind.MULTI:
        return ", ".join(option_label(ctx, name, item) for item in code)
    if field is not None and field.kind is Kind.CHOICE:
        return option_label(ctx, name, code)
    return code


def raw_value(ctx: Ctx, registration: Any, name: str) -> Any:
    """The value of column `name`, made readable (labels, times in WIB, lists joined, yes/no)."""
    if name == "contact":
        return f"{registration.channel}:{registration.user_id}"
    value = getattr(registration, name)
    if name == "subsector" and registration.subsector_other:
        return f"{option_label(ctx, name, value)} ({registration.subsector_other})"
    if name in ("status", "language") or name in BY_NAME and BY_NAME[name].options:
        return code_label(ctx, name, value)
    if isinstance(value, bool):
        return ctx.t("staff.yes" if value else "staff.no")
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return "" if value is None else value


def labels(ctx: Ctx) -> list[str]:
    """The column headers in the staff member's language (a form field's own label by default)."""
    has = ctx.deps.knowledge.texts.has
    return [ctx.t(f"staff.col_{name}" if has(f"staff.col_{name}") or name not in BY_NAME
                  else f"register.label.{name}") for name in COLUMNS]


def rows_for(ctx: Ctx, registration: Any) -> list[tuple[str, Any]]:
    """(label, value) pairs of every column, for the review card and the web page: the phone
    as the owner sees it in their summary (+62 812-3456-7890); exports keep +6281234567890."""
    return [
        (label, display(registration.phone) if name == "phone" else raw_value(ctx, registration, name))
        for label, name in zip(labels(ctx), COLUMNS, strict=True)
    ]
