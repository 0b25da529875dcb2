"""Composing a broadcast: text, audience, preview, then send now, schedule or cancel."""

from __future__ import annotations

from dataclasses import replace

from handlers.broadcast import attach, language_flow, manage
from handlers.broadcast.compose import (
    FLOW,
    ComposeError,
    allowed_list,
    compile_text,
    compile_versions,
)
from handlers.broadcast.panel import CATEGORIES, category_menu, filter_values, panel, toggled
from handlers.broadcast.schedule import ScheduleError, parse_local, show_local
from handlers.context import Ctx
from handlers.menu import main_menu_buttons
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
    if sub in ("cancel", "status") and (not rest or rest.lstrip("#").isdigit()):
        if not rest:
            return [ctx.say("broadcast.usage")]
        number = int(rest.lstrip("#"))
        return await (manage.cancel(ctx, number) if sub == "cancel" else manage.status(ctx, number))
    if args:
        return await take_text(ctx, args)
    await ctx.set_state(FLOW, "text", {})
    return [ctx.say("broadcast.ask_text", allowed=allowed_list())]


def _kept(draft: dict) -> dict:
    """What survives a new main text: the attached file and the other languages' versions."""
    return {key: draft[key] for key in ("media_id", "texts") if draft.get(key)}


async def take_text(ctx: Ctx, text: str, draft: dict | None = None) -> list[Reply]:
    """Check the text; on success show the audience panel and preview."""
    kept = _kept(draft or {})
    try:
        compile_text(text)
    except ComposeError as exc:
        await ctx.set_state(FLOW, "text", kept)
        return [ctx.say(exc.key, **exc.data)]
    audience = Audience()
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
                        buttons=[ctx.button("broadcast.btn_back", "bc:back")])]
    return [ctx.say("broadcast.use_buttons"), *await panel(
        ctx, draft["text"], Audience.from_data(draft["audience"]), draft.get("media_id"),
        draft.get("texts"))]


async def on_button(ctx: Ctx, value: str) -> list[Reply]:
    """A press on the audience panel or a filter menu."""
    if not ctx.in_flow(FLOW) or "text" not in ctx.conv.draft:
        return [ctx.say("core.stale_button", buttons=main_menu_buttons(ctx))]
    draft = dict(ctx.conv.draft)
    text, audience = draft["text"], Audience.from_data(draft["audience"])
    media_id, versions = draft.get("media_id"), draft.get("texts")
    action, _, rest = value.partition(":")
    if action == "v":
        if rest in LANGUAGES:
            return await language_flow.ask_version(ctx, draft, rest)
        return await language_flow.versions_menu(ctx, draft)
    if action == "vrm":
        return await language_flow.remove_version(ctx, draft)
    if action == "m" and rest in CATEGORIES:
        return await category_menu(ctx, rest, audience)
    if action == "t":
        category, _, choice = rest.partition(":")
        if category not in CATEGORIES or choice not in await filter_values(ctx, category):
            return [ctx.say("core.stale_button")]
        audience = toggled(audience, category, choice)
        await ctx.set_state(FLOW, "audience", {**draft, "audience": audience.to_json()})
        return await category_menu(ctx, category, audience)
    if action == "go":
        return await send_now(ctx, text, audience, media_id, versions)
    if action == "att":
        return await attach.ask_media(ctx, draft)
    if action == "rm":
        return await attach.remove_media(ctx, draft)
    if action == "later":
        await ctx.set_state(FLOW, "when", draft)
        return [ctx.say("broadcast.ask_when")]
    if action == "edit":
        await ctx.set_state(FLOW, "text", _kept(draft))
        return [ctx.say("broadcast.ask_text", allowed=allowed_list())]
    if action == "no":
        await ctx.clear_state()
        await attach.forget(ctx, draft)
        return [ctx.say("broadcast.cancelled", buttons=main_menu_buttons(ctx))]
    if action == "all":
        audience = Audience()
    elif action == "reg":
        audience = replace(audience, registered=not audience.registered)
    draft.pop("version_lang", None)
    await ctx.set_state(FLOW, "audience", {**draft, "audience": audience.to_json()})
    return await panel(ctx, text, audience, media_id, versions)


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
