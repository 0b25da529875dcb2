"""FAQ: answer free-text questions, browse topics by group, reload knowledge, curated phrasings."""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum

from handlers import follow_up
from handlers.context import Ctx
from handlers.deps import Deps
from handlers.handoff.buttons import HandButton
from handlers.memory import refreeze
from handlers.menu import main_menu_buttons
from handlers.router import PayloadHandler, Router
from handlers.types import Button, Reply
from knowledge import Faq, KnowledgeError, load_knowledge
from knowledge.decision import Decision
from knowledge.semantic import SemanticOptions, semantic_options
from knowledge.understand import Understood

log = logging.getLogger(__name__)

CONTACT_TOPIC = "contact-office"
REGISTER_TOPIC = "registration-how"
# Topics with an action twin: the answer (how it works) carries the button that does it.
TWIN_BUTTONS = {
    REGISTER_TOPIC: ("faq.register_button", "menu:daftar"),
    "registration-status": ("understand.status_button", "menu:status"),
    "registration-edit": ("understand.edit_button", "menu:ubah"),
    "data-privacy": ("understand.mydata_button", "menu:datasaya"),
    "broadcast-subscribe": ("understand.subscribe_button", "menu:langganan"),
}
MAX_LOGGED = 1000  # characters of a question kept in the log


def _faq(ctx: Ctx) -> Faq:
    return ctx.deps.knowledge.faq


async def answer_understood(ctx: Ctx, text: str, understood: Understood) -> list[Reply]:
    """Answer a typed question, offer choices when unsure, or fall back kindly and log it."""
    decision = understood.decision
    if decision is None or decision.kind in ("greeting", "thanks"):
        kind = decision.kind if decision is not None else "ack"
        return [ctx.say(f"smalltalk.{kind}", buttons=main_menu_buttons(ctx), name="")]
    if not any(char.isalpha() for char in text):  # "1" after its buttons went: not a question
        return [ctx.say("core.not_understood", buttons=main_menu_buttons(ctx))]
    await ctx.deps.storage.questions.log(
        ctx.user.id,
        ctx.incoming.channel,
        ctx.lang,
        text[:MAX_LOGGED],
        decision.guess,
        decision.score,
        answered=decision.kind == "answer",
    )
    if decision.kind == "answer":
        replies = answer_topic(ctx, decision.topic)
        if understood.also:
            buttons = [_topic_button(ctx, topic) for topic in understood.also]
            replies.append(ctx.say("understand.also_asked", buttons=buttons))
        return replies
    if decision.kind == "suggest":
        buttons = [_topic_button(ctx, topic) for topic in decision.choices]
        return [ctx.say("faq.did_you_mean", buttons=buttons)]
    return [fallback(ctx, off_topic=decision.off_topic)]


async def answered_before(
    ctx: Ctx, text: str, topic: str, decision: Decision | None
) -> list[Reply]:
    """A follow-up of `topic` that no finer topic answers ("biayanya?" after the export answer):
    not the same long answer twice, but where it is, a person to ask, and the question noted for
    staff as unanswered (the answer did not say, or the user did not find it there)."""
    score = decision.score if decision is not None else 0.0
    await ctx.deps.storage.questions.log(
        ctx.user.id, ctx.incoming.channel, ctx.lang, text[:MAX_LOGGED], topic, score,
        answered=False,
    )  # fmt: skip
    await follow_up.remember(ctx, topic)  # the next follow-up still leans on it
    faq = _faq(ctx)
    buttons = [_topic_button(ctx, topic)]
    if faq.has_more(topic):
        buttons.append(ctx.button("faq.more_button", FaqButton.MORE.payload(topic)))
    buttons.append(talk_button(ctx))
    return [ctx.say("faq.answered_before", title=faq.title(topic, ctx.lang), buttons=buttons)]


def answer_topic(ctx: Ctx, topic: str) -> list[Reply]:
    """The answer of `topic` in the user's language, with its related topics as buttons."""
    faq = _faq(ctx)
    if faq.get(topic) is None:
        return [
            ctx.say("faq.unknown_topic", buttons=(ctx.button("faq.topics_button", "menu:faq"),))
        ]
    # The same for everyone who reads it in this language today (the user is not in it).
    return [faq.made_today(("reply", topic, ctx.lang), lambda _: _topic_reply(ctx, topic))]


def _topic_reply(ctx: Ctx, topic: str) -> Reply:
    faq = _faq(ctx)
    buttons = _related_buttons(ctx, topic)
    if faq.has_more(topic):
        buttons.insert(0, ctx.button("faq.more_button", FaqButton.MORE.payload(topic)))
    twin = TWIN_BUTTONS.get(topic)
    if twin is not None:
        buttons.insert(0, ctx.button(*twin))
    text = faq.render(topic, ctx.lang)
    if _points_to_office(faq, text):  # a person can answer what the office would
        buttons.append(talk_button(ctx))
    return Reply(text, tuple(buttons))


def talk_button(ctx: Ctx) -> Button:
    """"Hubungi petugas / Talk to staff / Hubungi pegawai": open a ticket (handlers/handoff)."""
    return ctx.button("handoff.talk_button", HandButton.START.payload())


def _points_to_office(faq: Faq, text: str) -> bool:
    """True if the answer names one of the offices in contacts.yaml."""
    names = (office.get("name") for office in faq.contacts.values() if isinstance(office, dict))
    return any(name and name in text for name in names)


async def on_more(ctx: Ctx, topic: str) -> list[Reply]:
    """The "more" button: the rest of a long answer, with the related topics."""
    faq = _faq(ctx)
    if not faq.has_more(topic):
        return answer_topic(ctx, topic)
    return [Reply(faq.render_more(topic, ctx.lang), tuple(_related_buttons(ctx, topic)))]


def _related_buttons(ctx: Ctx, topic: str) -> list[Button]:
    faq = _faq(ctx)
    return [_topic_button(ctx, related) for related in faq.get(topic).related if faq.get(related)]


def fallback(ctx: Ctx, off_topic: bool = False) -> Reply:
    """Say plainly that there is no answer: an off-topic question is told what the bot covers;
    an in-scope one that it is noted for staff, and that a person can be asked. Offer the
    topics and the office contact."""
    talk = () if off_topic else (talk_button(ctx),)  # staff answer SME questions, not recipes
    return ctx.say(
        "faq.fallback_off_topic" if off_topic else "faq.fallback",
        buttons=(
            *talk,
            ctx.button("faq.topics_button", "menu:faq"),
            ctx.button("faq.contact_button", FaqButton.TOPIC.payload(CONTACT_TOPIC)),
        ),
    )


async def faq_menu(ctx: Ctx) -> list[Reply]:
    """Show the FAQ topic groups."""
    buttons = [ctx.button(f"faq.group.{group}", FaqButton.GROUP.payload(group)) for group in _faq(ctx).groups()]
    return [ctx.say("faq.menu_prompt", buttons=buttons)]


async def on_group(ctx: Ctx, group: str) -> list[Reply]:
    """Show the topics of one group."""
    faq = _faq(ctx)
    if group not in faq.groups():
        return await faq_menu(ctx)
    buttons = [_topic_button(ctx, entry.id) for entry in faq.topics_in(group)]
    buttons.append(ctx.button("faq.back_button", "menu:faq"))
    return [ctx.say("faq.group_prompt", group=ctx.t(f"faq.group.{group}"), buttons=buttons)]


async def on_topic(ctx: Ctx, topic: str) -> list[Reply]:
    """A topic button: show its answer (a chosen topic is not logged as a question)."""
    if _faq(ctx).get(topic) is not None:
        await follow_up.remember(ctx, topic)
    return answer_topic(ctx, topic)


def _topic_button(ctx: Ctx, topic: str) -> Button:
    return Button(_faq(ctx).title(topic, ctx.lang), FaqButton.TOPIC.payload(topic))


def semantic_from(settings) -> SemanticOptions | None:
    """The FAQ's semantic stage as the settings ask for it (None: lexical only)."""
    return semantic_options(
        settings.semantic_matching, settings.semantic_cache_dir, settings.semantic_threads
    )


async def reload_knowledge(deps: Deps) -> str | None:
    """Reload the knowledge files; on error keep the old knowledge and return the error text."""
    semantic = semantic_from(deps.settings)
    try:  # a few seconds (more if the samples changed and need embedding): off the event loop
        knowledge = await asyncio.to_thread(load_knowledge, semantic=semantic)
    except KnowledgeError as exc:
        log.warning("knowledge reload failed; keeping the old knowledge")
        return str(exc)
    await load_phrasings(deps, knowledge.faq)
    deps.knowledge = knowledge
    refreeze()  # the old knowledge goes, the new one stays out of the collector's walks
    log.info("knowledge reloaded: %d FAQ topics", len(knowledge.faq.entries))
    return None


async def load_phrasings(deps: Deps, faq: Faq | None = None) -> int:
    """Add the curated phrasings stored in the database to the matcher (start-up and reload)."""
    faq = faq or deps.knowledge.faq
    added = 0
    for phrasing in await deps.storage.phrasings.all():
        if faq.get(phrasing.topic) is not None:
            added += faq.add_phrasings(phrasing.topic, phrasing.language, [phrasing.text])
    return added


async def add_phrasings(
    deps: Deps, topic: str, lang: str, texts: list[str], created_by: str | None = None
) -> int:
    """Store curated phrasings of `topic` and make them live at once; return how many are new."""
    faq = deps.knowledge.faq
    if faq.get(topic) is None:
        raise KeyError(f"unknown FAQ topic {topic!r}")
    new = 0
    for text in (t.strip() for t in texts):
        if not text:
            continue
        if await deps.storage.phrasings.add(topic, lang, text, created_by):
            new += 1
        faq.add_phrasings(topic, lang, [text])
    return new


class FaqButton(StrEnum):
    """The FAQ's buttons, by router prefix: `faq:<topic id>`, `faqg:<group>`, `faqm:<topic id>`."""

    TOPIC = "faq"  # that topic's answer
    GROUP = "faqg"  # the topics of one group
    MORE = "faqm"  # the rest of a long answer

    def payload(self, arg: str) -> str:
        return f"{self.value}:{arg}"


ON_PRESS: dict[FaqButton, PayloadHandler] = {
    FaqButton.TOPIC: on_topic, FaqButton.GROUP: on_group, FaqButton.MORE: on_more,
}


def register(router: Router) -> None:
    router.command("faq", "tanya")(faq_menu)
    for button, handler in ON_PRESS.items():
        router.payload(button.value)(handler)
