"""The audience panel: filters shown as toggles, the exact count, and the recipient preview."""

from __future__ import annotations

from dataclasses import replace

from handlers.broadcast.buttons import Press
from handlers.broadcast.compose import attachment_of
from handlers.broadcast.preview import LanguagePreview, language_previews
from handlers.context import Ctx
from handlers.media import size_text
from handlers.types import Button, Reply, channel_name
from knowledge.languages import LANGUAGE_NAMES, LANGUAGES
from storage.audience import Audience

# Filter category (payload code) -> Audience field.
CATEGORIES = {"sub": "subsectors", "lang": "languages", "ch": "channels", "st": "statuses"}
MAX_VALUE_BYTES = 40  # keeps `bc:t:sub:<value>` within Telegram's 64-byte callback data


def value_label(ctx: Ctx, category: str, value: str) -> str:
    """A readable label for a filter value, in the staff member's language."""
    if category == "lang":
        return LANGUAGE_NAMES.get(value, value)
    if category == "ch":
        return channel_name(value)
    if category == "st":
        return ctx.t(f"broadcast.status_{value}")
    key = f"register.subsector.{value}"
    return ctx.t(key) if ctx.deps.knowledge.texts.has(key) else value.replace("_", " ")


def describe(ctx: Ctx, audience: Audience) -> str:
    """The filters as lines, e.g. '• Language: English'."""
    if audience.is_everyone():
        return ctx.t("broadcast.audience_everyone")
    lines = []
    if audience.registered:
        lines.append("• " + ctx.t("broadcast.filter_registered"))
    for code, field in CATEGORIES.items():
        values = getattr(audience, field)
        if values:
            labels = ", ".join(value_label(ctx, code, v) for v in values)
            lines.append("• " + ctx.t(f"broadcast.filter_{code}", values=labels))
    return "\n".join(lines)


def toggled(audience: Audience, category: str, value: str) -> Audience:
    """The audience with `value` added to or removed from the category's filter."""
    field = CATEGORIES[category]
    values = set(getattr(audience, field))
    values ^= {value}
    return replace(audience, **{field: tuple(sorted(values))})


async def panel(
    ctx: Ctx, text: str, audience: Audience, media_id: int | None = None,
    versions: dict[str, str] | None = None,
) -> list[Reply]:
    """The count and filters with their buttons, after a preview per language as its first
    recipient sees it (their version or the main text, the file if any, personalised)."""
    storage = ctx.deps.storage
    by_channel = await storage.audience.count_by_channel(audience)
    total = sum(by_channel.values())
    split = ", ".join(f"{channel_name(ch)} {n}" for ch, n in sorted(by_channel.items()))
    split = f" ({split})" if split else ""
    attachment = attachment_of(await storage.media.get(media_id) if media_id else None)
    summary = ctx.t("broadcast.panel", filters=describe(ctx, audience), count=total, split=split)
    if attachment is not None:
        summary += "\n" + ctx.t(f"broadcast.attached_{attachment.kind}",
                                name=attachment.filename, size=size_text(attachment.size))
    if versions:
        names = ", ".join(LANGUAGE_NAMES[lang] for lang in LANGUAGES if lang in versions)
        summary += "\n" + ctx.t("bclang.versions_line", languages=names)
    summary_reply = Reply(summary, panel_buttons(ctx, audience, total, attachment is not None))
    replies: list[Reply] = []
    for preview in await language_previews(
        storage, ctx.deps.knowledge, text, versions, audience, attachment
    ):
        replies += [preview_heading(ctx, preview), *preview.replies]
    return [*replies, summary_reply]


def preview_heading(ctx: Ctx, preview: LanguagePreview) -> Reply:
    """Whose preview follows: the first recipient of a language, or a sample without a name."""
    language = LANGUAGE_NAMES.get(preview.language, preview.language)
    if preview.sample:
        return ctx.say("bclang.preview_sample", language=language)
    first = preview.recipient
    who = first.owner_name or first.display_name or first.user_id
    return ctx.say("bclang.preview_heading", name=who, language=language, count=preview.count,
                   version=preview.own_version)


def panel_buttons(
    ctx: Ctx, audience: Audience, total: int, attached: bool = False
) -> tuple[Button, ...]:
    mark = "✓ " if audience.registered else ""
    buttons = [
        ctx.button("broadcast.btn_everyone", Press.EVERYONE.payload()),
        Button(mark + ctx.t("broadcast.filter_registered"), Press.REGISTERED_ONLY.payload()),
        *(ctx.button(f"broadcast.btn_{code}", Press.FILTER_MENU.payload(code)) for code in CATEGORIES),
    ]
    if total > 0:
        buttons += [
            ctx.button("broadcast.btn_send", Press.SEND_NOW.payload(), count=total),
            ctx.button("broadcast.btn_schedule", Press.SCHEDULE.payload()),
        ]
    buttons.append(ctx.button("broadcast.btn_edit", Press.EDIT_TEXT.payload()))
    buttons.append(ctx.button("bclang.btn_versions", Press.VERSIONS.payload()))
    # One file at most: a new one sent while the panel is open replaces it.
    buttons.append(ctx.button("broadcast.btn_remove_media", Press.REMOVE_FILE.payload()) if attached
                   else ctx.button("broadcast.btn_attach", Press.ATTACH_FILE.payload()))
    buttons.append(ctx.button("broadcast.btn_cancel", Press.CANCEL.payload()))
    return tuple(buttons)


async def category_menu(ctx: Ctx, category: str, audience: Audience) -> list[Reply]:
    """The values of one filter as toggles (✓ = chosen), and a button back to the panel."""
    chosen = set(getattr(audience, CATEGORIES[category]))
    buttons = [
        Button(("✓ " if value in chosen else "") + value_label(ctx, category, value),
               Press.TOGGLE_FILTER.payload(category, value))
        for value in await filter_values(ctx, category)
    ]
    buttons.append(ctx.button("broadcast.btn_back", Press.BACK_TO_PANEL.payload()))
    return [ctx.say(f"broadcast.menu_{category}", buttons=buttons)]


async def filter_values(ctx: Ctx, category: str) -> list[str]:
    """The values a filter can take now (subsectors and channels as found in the data)."""
    options = await ctx.deps.storage.audience.options()
    values = {
        "sub": options["subsectors"],
        "lang": sorted(set(options["languages"]) | set(LANGUAGE_NAMES)),
        "ch": options["channels"],
        "st": options["statuses"],
    }[category]
    return [v for v in values if v and len(v.encode()) <= MAX_VALUE_BYTES]
