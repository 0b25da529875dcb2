"""A registration's fields as staff see them: labelled, in order, values made readable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.context import Ctx
from handlers.registration.fields import BY_NAME, Kind
from handlers.wib import JAKARTA
from knowledge.languages import LANGUAGE_NAMES

# Column order for the review card and the export; labels are `staff.col_<name>` texts.
COLUMNS = (
    "reference",
    "status",
    "business_name",
    "owner_name",
    "subsector",
    "description",
    "city",
    "district",
    "phone",
    "phone_verified",
    "email",
    "nib",
    "scale",
    "export_experience",
    "export_countries",
    "interests",
    "website",
    "language",
    "contact",
    "consent_at",
    "consent_version",
    "submitted_at",
    "staff_note",
    "reviewed_by",
    "reviewed_at",
)


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
        return str(code).capitalize()
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
    """The column headers in the staff member's language."""
    return [ctx.t(f"staff.col_{name}") for name in COLUMNS]


def rows_for(ctx: Ctx, registration: Any) -> list[tuple[str, Any]]:
    """(label, value) pairs of every column, for the review card."""
    return [
        (label, raw_value(ctx, registration, name))
        for label, name in zip(labels(ctx), COLUMNS, strict=True)
    ]
