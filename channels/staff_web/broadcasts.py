"""Broadcasts: the composer (a text per language, audience with a live count, a preview per
language exactly as recipients get it, a photo or document, now or scheduled)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.delivery import CHANNELS, per_channel
from channels.staff_web.render import page
from channels.staff_web.uploads import BROADCAST, Refused, described_file, store_upload
from handlers import Deps
from handlers.broadcast.compose import ComposeError, allowed_list, compile_text, compile_versions
from handlers.broadcast.manage import wake
from handlers.broadcast.panel import CATEGORIES, filter_values, value_label
from handlers.broadcast.preview import language_previews
from handlers.broadcast.schedule import ScheduleError, parse_local
from handlers.staff.common import audit
from handlers.types import CHANNEL_NAMES
from knowledge.languages import LANGUAGE_NAMES, LANGUAGES
from storage.audience import Audience

ROLE = "broadcaster"  # as /siaran


async def options(staff: Staff) -> dict[str, list[tuple[str, str]]]:
    """Every filter's values with labels, as the chat panel offers them."""
    return {code: [(v, value_label(staff.ctx, code, v)) for v in await filter_values(staff.ctx, code)]
            for code in CATEGORIES}


async def audience_of(staff: Staff, form: FormData) -> Audience:
    """The audience from the form; values the panel would not offer are ignored."""
    chosen = {}
    for code, field in CATEGORIES.items():
        allowed = set(await filter_values(staff.ctx, code))
        chosen[field] = tuple(sorted({v for v in form.getlist(code) if v in allowed}))
    return Audience(registered=form.get("registered") == "1", **chosen)


def texts_of(form: FormData) -> tuple[str, dict[str, str]]:
    """The main text and the versions per language."""
    versions = {lang: str(form.get(f"text_{lang}") or "") for lang in LANGUAGES}
    return str(form.get("text") or ""), {k: v for k, v in versions.items() if v.strip()}


def checked_texts(staff: Staff, text: str, versions: dict[str, str]) -> None:
    """Raise Refused with the chat's explanation when a text cannot be broadcast."""
    try:
        compile_text(text)
        compile_versions(versions)
    except ComposeError as exc:
        lang = exc.data.get("language")
        where = f"{LANGUAGE_NAMES[lang]}: " if lang else ""
        raise Refused(where + staff.t(exc.key, **exc.data)) from exc


def routes(deps: Deps, guard) -> list[Route]:
    storage = deps.storage

    async def composer(request: Request, staff: Staff, error: str = "", form=None) -> Response:
        recent = await storage.broadcasts.recent(10)
        return page(request, staff, "broadcasts.html", options=await options(staff),
                    labels={code: staff.t(f"broadcast.btn_{code}").rstrip("…")
                            for code in CATEGORIES},
                    languages=[(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES],
                    allowed=allowed_list(), recent=recent, error=error, form=form or {},
                    status_code=400 if error else 200)

    async def preview(request: Request, staff: Staff) -> Response:
        form = await request.form()
        audience = await audience_of(staff, form)
        text, versions = texts_of(form)
        by_channel = await storage.audience.count_by_channel(audience)
        data = {"count": sum(by_channel.values()), "by_channel": sorted(by_channel.items()),
                "previews": [], "error": ""}
        if text.strip():
            try:
                checked_texts(staff, text, versions)
                attachment = described_file(staff, form, BROADCAST)
                previews = await language_previews(
                    storage, deps.knowledge, text, versions, audience, attachment)
            except Refused as exc:
                data["error"] = str(exc)
            else:
                channels = [ch for ch, _ in data["by_channel"] if ch in CHANNELS] or list(CHANNELS)
                data["previews"] = [(p, per_channel(p.replies, channels)) for p in previews]
        return page(request, staff, "broadcast_preview.html", names=LANGUAGE_NAMES,
                    channel_names=CHANNEL_NAMES, **data)

    async def create(request: Request, staff: Staff) -> Response:
        form = await request.form()
        text, versions = texts_of(form)
        audience = await audience_of(staff, form)
        try:
            checked_texts(staff, text, versions)
            when = None
            if str(form.get("when") or "").strip():
                when = parse_local(str(form.get("when")), storage.db.now())
            stored = await store_upload(staff, form.get("file"), BROADCAST)
            media_id = stored.id if stored else None
        except ScheduleError as exc:
            return await composer(request, staff, staff.t(exc.key), form)
        except Refused as exc:
            return await composer(request, staff, str(exc), form)
        creator = (staff.session.channel, staff.session.user_id, staff.lang)
        if when is None:
            broadcast = await storage.broadcasts.create_now(creator, text, audience, media_id,
                                                            versions)
        else:
            broadcast = await storage.broadcasts.create_scheduled(creator, text, audience, when,
                                                                  media_id, versions)
        await audit(staff.ctx, "broadcast.schedule" if when else "broadcast.send",
                    f"broadcast:{broadcast.id}", recipients=broadcast.total,
                    audience=audience.to_json(), languages=sorted(versions))
        wake(staff.ctx)
        return RedirectResponse(f"/staff/broadcasts/{broadcast.id}", status_code=303)

    return [
        Route("/staff/broadcasts", guard(ROLE)(composer), methods=["GET"]),
        Route("/staff/broadcasts", guard(ROLE)(create), methods=["POST"]),
        Route("/staff/broadcasts/preview", guard(ROLE)(preview), methods=["POST"]),
    ]
