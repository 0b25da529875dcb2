"""The question of each field: text with an example, its buttons, and the current answer."""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.registration import phone
from handlers.registration.fields import BY_NAME, Field, Kind
from handlers.registration.state import Draft, previous_step, progress
from handlers.types import Button, Reply, ReplyKind

BACK = "reg:back"
SKIP = "reg:skip"
DONE = "reg:done"
USE_WHATSAPP_NUMBER = "reg:phone:wa"
BACK_WORDS = {"kembali", "back", "balik"}
CHECK = "✅ "


def option_label(ctx: Ctx, field: Field, option: str) -> str:
    return ctx.t(f"{field.option_key}.{option}")


def display_value(ctx: Ctx, name: str, value: Any) -> str:
    """An answer as the user reads it: option labels in their language, phone formatted."""
    field = BY_NAME[name]
    if value is None or value == "" or value == []:
        return ctx.t("register.empty")
    if field.kind is Kind.CHOICE:
        return option_label(ctx, field, value)
    if field.kind is Kind.MULTI:
        return ", ".join(option_label(ctx, field, item) for item in value)
    if field.kind is Kind.PHONE:
        return phone.display(value)
    return str(value)


def picks(draft: Draft) -> list[str]:
    """The interests ticked so far on the multi-select question."""
    chosen = draft.get("picks")
    return list(chosen if chosen is not None else draft["answers"].get("interests", []))


def field_buttons(ctx: Ctx, field: Field, draft: Draft) -> list[Button]:
    """Option, toggle, skip and use-this-number buttons of a question (not "back")."""
    if field.kind is Kind.CHOICE:
        return [
            Button(option_label(ctx, field, option), f"reg:pick:{field.name}:{option}")
            for option in field.options
        ]
    if field.kind is Kind.MULTI:
        ticked = picks(draft)
        buttons = [
            Button((CHECK if option in ticked else "") + option_label(ctx, field, option),
                   f"reg:toggle:{option}")
            for option in field.options
        ]
        return [*buttons, ctx.button("register.done", DONE)]
    buttons = []
    if field.kind is Kind.PHONE and whatsapp_number(ctx):
        label_number = phone.display(whatsapp_number(ctx) or "")
        buttons.append(ctx.button("register.use_number", USE_WHATSAPP_NUMBER, number=label_number))
    if field.optional:
        buttons.append(ctx.button("register.skip", SKIP))
    return buttons


def whatsapp_number(ctx: Ctx) -> str | None:
    """On WhatsApp the user id is the sender's phone number: that number in E.164."""
    if ctx.incoming.channel != "whatsapp":
        return None
    return phone.from_whatsapp_id(ctx.user.user_id)


def question_text(ctx: Ctx, field: Field, draft: Draft) -> str:
    """The progress, the question with its example and limits, and the current answer."""
    number, total = progress(draft, field.name)
    key = f"register.q.{field.name}"
    wa_number = whatsapp_number(ctx) if field.kind is Kind.PHONE else None
    if wa_number:
        key = "register.q.phone_whatsapp"
    lines = [
        ctx.t("register.progress", number=number, total=total),
        ctx.t(key, number=phone.display(wa_number or ""), min=field.min_len, max=field.max_len),
    ]
    if field.name in draft["answers"] and field.kind is not Kind.MULTI:
        lines.append(ctx.t("register.current", value=display_value(
            ctx, field.name, draft["answers"][field.name])))
    return "\n".join(lines)


def ask(ctx: Ctx, draft: Draft, name: str, note: str | None = None) -> list[Reply]:
    """The question of field `name`, after `note` (an error, a hint) if given."""
    field = BY_NAME[name]
    text = question_text(ctx, field, draft)
    if note:
        text = f"{note}\n\n{text}"
    buttons = field_buttons(ctx, field, draft)
    if previous_step(draft, name) is not None:
        buttons.append(ctx.button("register.back", BACK))
    kind = ReplyKind.TEXT
    if field.kind is Kind.PHONE and ctx.incoming.channel == "telegram":
        kind = ReplyKind.ASK_CONTACT
    return [Reply(text, tuple(buttons), kind)]


def is_back_word(text: str) -> bool:
    return text.strip().strip(".!").casefold() in BACK_WORDS
