"""Composing a broadcast: text, audience, preview, then send now, schedule or cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from handlers.broadcast import attach, language_flow, manage
from handlers.broadcast.buttons import Press
from handlers.broadcast.compose import (
    FLOW,
    ComposeError,
    allowed_list,
    compile_text,
    compile_versions,
)
from handlers.broadcast.panel import (
    CATEGORIES,
    category_menu,
    describe,
    filter_values,
    panel,
    toggled,
)
from handlers.broadcast.receivers import named_audience
from handlers.broadcast.schedule import ScheduleError, parse_local, show_local
from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.numbers import whole_number
from handlers.roles import has_role
from handlers.types import Reply
from knowledge.languages import LANGUAGES
from storage.audience import Audience

ROLE = "broadcaster"
_SUBCOMMANDS = {"daftar": "list", "list": "list", "batal": "cancel", "cancel": "cancel",
                "status": "status"}  # fmt: skip


async def siaran(ctx: Ctx) -> list[Reply]:
    """Start composing, or run `/siaran daftar`, `/siaran batal ID`, `/siaran status ID`."""
    args = ctx.incoming.args.strip()
    word, _, rest = args.partition(" ")
    sub, rest = _SUBCOMMANDS.get(word.lower()), rest.strip()
    if sub == "list" and not rest:
        return await manage.list_open(ctx)
    number = whole_number(rest.lstrip("#"))
    if sub in ("cancel", "status") and (not rest or number is not None):
        if number is None:
            return [ctx.say("broadcast.usage")]
        return await (manage.cancel(ctx, number) if sub == "cancel" else manage.status(ctx, number))
    named = named_audience(ctx)  # "kirim pengumuman ke semua umkm kuliner"
    draft = {} if named.is_everyone() else {"audience": named.to_json()}
    if args:
        return await take_text(ctx, args, draft)
    await ctx.set_state(FLOW, "text", draft)
    asked = [ctx.say("broadcast.ask_text", allowed=allowed_list())]
    if not draft:
        return asked
    return [ctx.say("broadcast.receivers_named", filters=describe(ctx, named)), *asked]


def _kept(draft: dict) -> dict:
    """What survives a new main text: the attached file and the other languages' versions."""
    return {key: draft[key] for key in ("media_id", "texts") if draft.get(key)}


async def take_text(ctx: Ctx, text: str, draft: dict | None = None) -> list[Reply]:
    """Check the text; on success show the audience panel and preview (with the receivers the
    request named, if it did)."""
    named = (draft or {}).get("audience")
    kept = {**_kept(draft or {}), **({"audience": named} if named else {})}
    try:
        compile_text(text)
    except ComposeError as exc:
        await ctx.set_state(FLOW, "text", kept)
        return [ctx.say(exc.key, **exc.data)]
    audience = Audience.from_data(named) if named else Audience()
    await ctx.set_state(FLOW, "audience", {**kept, "text": text, "audience": audience.to_json()})
    return await panel(ctx, text, audience, kept.get("media_id"), kept.get("texts"))


async def in_flow(ctx: Ctx) -> list[Reply]:
    """A message while composing: the text, or the time to schedule it for."""
    if not await has_role(ctx, ROLE):  # the role was taken away meanwhile
        await ctx.clear_state()
        return [ctx.say("core.not_understood", buttons=main_menu_buttons(ctx))]
    step, typed, draft = ctx.conv.step, ctx.incoming.text, ctx.conv.draft
    if ctx.incoming.media is not None and step in ("text", "audience", "media"):
        return await attach.take_media(ctx, draft, ctx.incoming.media)
    if step == "text":
        if not typed or not typed.strip():
            return [ctx.say("broadcast.ask_text", allowed=allowed_list())]
        return await take_text(ctx, typed, draft)
    if step == "version" and typed and typed.strip():
        return await language_flow.take_version(ctx, draft, typed)
    if step == "when" and typed:
        return await schedule(ctx, draft, typed)
    if step == "when":
        return [ctx.say("broadcast.ask_when")]
    if step == "media":
        return [ctx.say("broadcast.ask_media",
                        buttons=[ctx.button("broadcast.btn_back", Press.BACK_TO_PANEL.payload())])]
    return [ctx.say("broadcast.use_buttons"), *await panel(
        ctx, draft["text"], Audience.from_data(draft["audience"]), draft.get("media_id"),
        draft.get("texts"))]


async def on_button(ctx: Ctx, value: str) -> list[Reply]:
    """A press on the audience panel or one of its menus (`bc:<code>[:<args>]`, see Press)."""
    parsed = Press.parse(value)
    if parsed is None or not ctx.in_flow(FLOW) or "text" not in ctx.conv.draft:
        return [ctx.say("core.stale_button", buttons=main_menu_buttons(ctx))]
    press, rest = parsed
    return await ON_PRESS[press](ctx, dict(ctx.conv.draft), rest)


def _audience(draft: dict) -> Audience:
    return Audience.from_data(draft["audience"])


async def show_panel(ctx: Ctx, draft: dict, audience: Audience | None = None) -> list[Reply]:
    """Store the draft (with `audience`, if given) at the audience step and show the panel."""
    audience = audience or _audience(draft)
    draft = {k: v for k, v in draft.items() if k != "version_lang"}
    await ctx.set_state(FLOW, "audience", {**draft, "audience": audience.to_json()})
    return await panel(ctx, draft["text"], audience, draft.get("media_id"), draft.get("texts"))


async def _everyone(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    return await show_panel(ctx, draft, Audience())


async def _registered_only(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    audience = _audience(draft)
    return await show_panel(ctx, draft, replace(audience, registered=not audience.registered))


async def _filter_menu(ctx: Ctx, draft: dict, category: str) -> list[Reply]:
    if category not in CATEGORIES:
        return [ctx.say("core.stale_button")]
    return await category_menu(ctx, category, _audience(draft))


async def _toggle_filter(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    category, _, choice = rest.partition(":")
    if category not in CATEGORIES or choice not in await filter_values(ctx, category):
        return [ctx.say("core.stale_button")]
    audience = toggled(_audience(draft), category, choice)
    await ctx.set_state(FLOW, "audience", {**draft, "audience": audience.to_json()})
    return await category_menu(ctx, category, audience)


async def _send_now(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    return await send_now(ctx, draft["text"], _audience(draft), draft.get("media_id"),
                          draft.get("texts"))


async def _ask_when(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    await ctx.set_state(FLOW, "when", draft)
    return [ctx.say("broadcast.ask_when")]


async def _edit_text(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    await ctx.set_state(FLOW, "text", _kept(draft))
    return [ctx.say("broadcast.ask_text", allowed=allowed_list())]


async def _versions(ctx: Ctx, draft: dict, lang: str) -> list[Reply]:
    if lang in LANGUAGES:
        return await language_flow.ask_version(ctx, draft, lang)
    return await language_flow.versions_menu(ctx, draft)


async def _cancel(ctx: Ctx, draft: dict, rest: str) -> list[Reply]:
    await ctx.clear_state()
    await attach.forget(ctx, draft)
    return [ctx.say("broadcast.cancelled", buttons=main_menu_buttons(ctx))]


ON_PRESS: dict[Press, Callable[[Ctx, dict, str], Awaitable[list[Reply]]]] = {
    Press.EVERYONE: _everyone,
    Press.REGISTERED_ONLY: _registered_only,
    Press.FILTER_MENU: _filter_menu,
    Press.TOGGLE_FILTER: _toggle_filter,
    Press.SEND_NOW: _send_now,
    Press.SCHEDULE: _ask_when,
    Press.EDIT_TEXT: _edit_text,
    Press.VERSIONS: _versions,
    Press.REMOVE_VERSION: lambda ctx, draft, rest: language_flow.remove_version(ctx, draft),
    Press.ATTACH_FILE: lambda ctx, draft, rest: attach.ask_media(ctx, draft),
    Press.REMOVE_FILE: lambda ctx, draft, rest: attach.remove_media(ctx, draft),
    Press.CANCEL: _cancel,
    Press.BACK_TO_PANEL: lambda ctx, draft, rest: show_panel(ctx, draft),
}


def _creator(ctx: Ctx) -> tuple[str, str, str]:
    return (ctx.user.channel, ctx.user.user_id, ctx.lang)


async def _existing(ctx: Ctx, media_id: int | None) -> int | None:
    """The draft's file id if the file is still stored."""
    if media_id is None or await ctx.deps.storage.media.get(media_id) is None:
        return None
    return media_id


async def send_now(
    ctx: Ctx, text: str, audience: Audience, media_id: int | None = None,
    versions: dict[str, str] | None = None,
) -> list[Reply]:
    """Write the broadcast and its deliveries, then wake the sender."""
    compile_text(text)  # checked again: the draft came from storage
    compile_versions(versions)
    broadcast = await ctx.deps.storage.broadcasts.create_now(
        _creator(ctx), text, audience, await _existing(ctx, media_id), versions
    )
    await ctx.clear_state()
    await ctx.deps.storage.audit.record(
        ctx.user.key, "broadcast.send", f"broadcast:{broadcast.id}",
        {"recipients": broadcast.total, "audience": audience.to_json()},
    )
    manage.wake(ctx)
    return [ctx.say("broadcast.started", id=broadcast.id, count=broadcast.total)]


async def schedule(ctx: Ctx, draft: dict, typed: str) -> list[Reply]:
    """Store the broadcast for the typed Jakarta time."""
    try:
        when = parse_local(typed, ctx.deps.storage.db.now())
    except ScheduleError as exc:
        return [ctx.say(exc.key)]
    audience = Audience.from_data(draft["audience"])
    broadcast = await ctx.deps.storage.broadcasts.create_scheduled(
        _creator(ctx), draft["text"], audience, when, await _existing(ctx, draft.get("media_id")),
        draft.get("texts"),
    )
    await ctx.clear_state()
    await ctx.deps.storage.audit.record(
        ctx.user.key, "broadcast.schedule", f"broadcast:{broadcast.id}",
        {"at": when.isoformat(), "audience": audience.to_json()},
    )
    manage.wake(ctx)
    return [ctx.say("broadcast.scheduled", id=broadcast.id, when=show_local(when))]
