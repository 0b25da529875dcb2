"""The summary of a draft with a change button per field, and the stored data as rows."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.registration.fields import FIELDS, active_fields
from handlers.registration.questions import BACK, display_value
from handlers.registration.state import SUMMARY, Draft, previous_step
from handlers.types import Button, Reply

SUBMIT = "reg:submit"


def rows(ctx: Ctx, answers: dict, every_field: bool = False) -> list[dict[str, str]]:
    """Label and readable value of each field asked (or of every field)."""
    shown = FIELDS if every_field else active_fields(answers)
    return [
        {"label": ctx.t(f"register.label.{field.name}"),
         "value": display_value(ctx, field.name, answers.get(field.name))}
        for field in shown
    ]


def render(ctx: Ctx, draft: Draft, note: str | None = None) -> list[Reply]:
    """Everything entered, a button per field to change it, then Submit."""
    answers = draft["answers"]
    text = ctx.t(
        "register.summary", rows=rows(ctx, answers), mode=draft["mode"], takeover=draft["takeover"]
    )
    if note:
        text = f"{note}\n\n{text}"
    buttons = [
        Button(ctx.t(f"register.label.{field.name}"), f"reg:edit:{field.name}")
        for field in active_fields(answers)
    ]
    buttons.append(ctx.button("register.submit", SUBMIT))
    if previous_step(draft, SUMMARY) is not None:
        buttons.append(ctx.button("register.back", BACK))
    return [Reply(text, tuple(buttons))]
