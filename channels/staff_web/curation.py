"""Unanswered questions (link a group to a topic, ignore it) and the knowledge (read-only,
with a reload that reports errors with file and entry) — the chat's /belumterjawab, /reload."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.render import page
from handlers import Deps
from handlers.faq import reload_knowledge
from handlers.staff import unanswered
from handlers.staff.common import audit
from handlers.staff.reload import ERROR_SHOWN
from handlers.staff.stats import topic_title
from knowledge.languages import LANGUAGE_NAMES, LANGUAGES

UNANSWERED_ROLE = unanswered.ROLE  # admin: linking changes what the bot answers to everyone
KNOWLEDGE_ROLE = "viewer"  # reading; reloading needs RELOAD_ROLE
RELOAD_ROLE = "admin"


def routes(deps: Deps, guard) -> list[Route]:
    async def groups(request: Request, staff: Staff, flash: str = "") -> Response:
        found = await unanswered._groups(staff.ctx)
        faq = deps.knowledge.faq
        items = [{
            "group": group,
            "examples": group.examples(5),
            "languages": [f"{LANGUAGE_NAMES.get(lang, lang)} {n}"
                          for lang, n in group.languages.most_common()],
            "guesses": [(topic, topic_title(staff.ctx, topic))
                        for topic, _ in group.guesses.most_common(unanswered.GUESSES)
                        if topic in faq.entries],
        } for group in found]
        topics = sorted(((topic_title(staff.ctx, t), t) for t in faq.entries), key=str)
        await audit(staff.ctx, "unanswered.view", groups=len(found))
        return page(request, staff, "unanswered.html", items=items, topics=topics, flash=flash,
                    days=unanswered.DAYS)

    async def link(request: Request, staff: Staff) -> Response:
        form = await request.form()
        replies = await unanswered.link(staff.ctx, request.path_params["anchor"],
                                        str(form.get("topic") or ""))
        return await groups(request, staff, replies[0].text)

    async def ignore(request: Request, staff: Staff) -> Response:
        replies = await unanswered.ignore(staff.ctx, request.path_params["anchor"])
        return await groups(request, staff, replies[0].text)

    async def knowledge(request: Request, staff: Staff, flash: str = "", error: str = ""
                        ) -> Response:
        faq = deps.knowledge.faq
        lang = staff.lang
        topics = [{
            "id": entry.id,
            "group": entry.group,
            "title": entry.title.get(lang, entry.id),
            "samples": {LANGUAGE_NAMES[code]: len(entry.questions.get(code, ()))
                        for code in LANGUAGES},
            "answer": faq.render(entry.id, lang),
            "file": entry.file,
        } for entry in sorted(faq.entries.values(), key=lambda e: (e.group, e.id))]
        return page(request, staff, "knowledge.html", topics=topics, flash=flash, error=error,
                    can_reload=RELOAD_ROLE in staff.roles)

    async def reload(request: Request, staff: Staff) -> Response:
        error = await reload_knowledge(deps)
        if error is not None:
            await audit(staff.ctx, "knowledge.reload", ok=False, error=error[:ERROR_SHOWN])
            return await knowledge(request, staff, error=staff.t(
                "staff.reload_failed", error=error[:ERROR_SHOWN]))
        topics = len(deps.knowledge.faq.entries)
        await audit(staff.ctx, "knowledge.reload", ok=True, topics=topics)
        return await knowledge(request, staff, flash=staff.t("staff.reload_done", topics=topics))

    return [
        Route("/staff/unanswered", guard(UNANSWERED_ROLE)(groups), methods=["GET"]),
        Route("/staff/unanswered/{anchor:int}/link", guard(UNANSWERED_ROLE)(link),
              methods=["POST"]),
        Route("/staff/unanswered/{anchor:int}/ignore", guard(UNANSWERED_ROLE)(ignore),
              methods=["POST"]),
        Route("/staff/knowledge", guard(KNOWLEDGE_ROLE)(knowledge), methods=["GET"]),
        Route("/staff/knowledge/reload", guard(RELOAD_ROLE)(reload), methods=["POST"]),
    ]
