"""Composing in the chat: a version of the broadcast text per language, beside the main text."""

from __future__ import annotations

from handlers.broadcast.buttons import Press
from handlers.broadcast.compose import FLOW, ComposeError, allowed_list, compile_text
from handlers.broadcast.panel import panel
from handlers.context import Ctx
from handlers.types import Button, Reply
from knowledge.languages import LANGUAGE_NAMES, LANGUAGES
from storage.audience import Audience


async def versions_menu(ctx: Ctx, draft: dict) -> list[Reply]:
    """One button per language (✓ = has its own version), and back to the panel."""
    versions = draft.get("texts") or {}
    buttons = [
        Button(("✓ " if lang in versions else "") + LANGUAGE_NAMES[lang], Press.VERSIONS.payload(lang))
        for lang in LANGUAGES
    ]
    buttons.append(ctx.button("broadcast.btn_back", Press.BACK_TO_PANEL.payload()))
    return [ctx.say("bclang.menu", buttons=buttons)]


async def ask_version(ctx: Ctx, draft: dict, lang: str) -> list[Reply]:
    """Ask for the text in `lang` (the current one shown, with a button to remove it)."""
    current = (draft.get("texts") or {}).get(lang)
    await ctx.set_state(FLOW, "version", {**draft, "version_lang": lang})
    buttons = [ctx.button("bclang.btn_remove", Press.REMOVE_VERSION.payload())] if current else []
    buttons.append(ctx.button("broadcast.btn_back", Press.BACK_TO_PANEL.payload()))
    return [ctx.say("bclang.ask", language=LANGUAGE_NAMES[lang], current=current or "",
                    allowed=allowed_list(), buttons=buttons)]


async def take_version(ctx: Ctx, draft: dict, typed: str) -> list[Reply]:
    """Check the typed version; keep it and show the panel again, or explain what is wrong."""
    lang = draft.get("version_lang")
    if lang not in LANGUAGES:
        return await back_to_panel(ctx, draft)
    try:
        compile_text(typed)
    except ComposeError as exc:
        return [ctx.say(exc.key, **exc.data)]
    versions = {**(draft.get("texts") or {}), lang: typed.strip()}
    return await back_to_panel(ctx, {**draft, "texts": versions})


async def remove_version(ctx: Ctx, draft: dict) -> list[Reply]:
    """Drop the version being edited: that language gets the main text again."""
    lang = draft.get("version_lang")
    versions = {k: v for k, v in (draft.get("texts") or {}).items() if k != lang}
    return await back_to_panel(ctx, {**draft, "texts": versions})


async def back_to_panel(ctx: Ctx, draft: dict) -> list[Reply]:
    """Store the draft at the audience step and show the panel."""
    draft = {k: v for k, v in draft.items() if k != "version_lang"}
    await ctx.set_state(FLOW, "audience", draft)
    return await panel(ctx, draft["text"], Audience.from_data(draft["audience"]),
                       draft.get("media_id"), draft.get("texts"))
