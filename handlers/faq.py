"""FAQ: answer free-text questions, browse topics by group, reload knowledge, curated phrasings."""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum

from handlers.context import Ctx
from handlers.deps import Deps
from handlers.menu import main_menu_buttons
from handlers.router import PayloadHandler, Router
from handlers.types import Button, Reply
from knowledge import Faq, KnowledgeError, load_knowledge

log = logging.getLogger(__name__)

CONTACT_TOPIC = "contact-office"
REGISTER_TOPIC = "registration-how"
MAX_LOGGED = 1000  # characters of a question kept in the log
MAX_READ = 1000  # characters of a message the matcher reads; a longer one is sent back kindly
OFF_LOOP = 200  # questions longer than this are matched in a worker thread (tens of ms)


def _faq(ctx: Ctx) -> Faq:
    return ctx.deps.knowledge.faq


async def answer_text(ctx: Ctx) -> list[Reply]:
    """Answer a typed question, offer choices when unsure, or fall back kindly and log it."""
    text = ctx.incoming.text or ""
    if len(text) > MAX_READ:  # matching cost grows with length: 100 KB took seconds
        return [ctx.say("limits.too_long", length=len(text), limit=MAX_READ,
                        buttons=main_menu_buttons(ctx))]
    decision = await decide(_faq(ctx), text)
    if decision.kind == "greeting":
        return [ctx.say("faq.greeting", buttons=main_menu_buttons(ctx))]
    if decision.kind == "thanks":
        return [ctx.say("faq.thanks", buttons=main_menu_buttons(ctx))]
    await ctx.deps.storage.questions.log(
        ctx.user.id,
        ctx.incoming.channel,
        ctx.lang,
        text[:MAX_LOGGED],
        decision.topic,
        decision.score,
        answered=decision.kind == "answer",
    )
    if decision.kind == "answer":
        return answer_topic(ctx, decision.topic)
    if decision.kind == "suggest":
        buttons = [_topic_button(ctx, topic) for topic in decision.choices]
        return [ctx.say("faq.did_you_mean", buttons=buttons)]
    return [fallback(ctx)]


async def decide(faq: Faq, text: str):
    """The matcher's decision on (at most MAX_READ characters of) `text`; a long text is
    matched off the event loop, so other users' messages and /healthz are not held up."""
    text = text[:MAX_READ]
    if len(text) > OFF_LOOP:
        return await asyncio.to_thread(faq.matcher.decide, text)
    return faq.matcher.decide(text)


def answer_topic(ctx: Ctx, topic: str) -> list[Reply]:
    """The answer of `topic` in the user's language, with its related topics as buttons."""
    faq = _faq(ctx)
    entry = faq.get(topic)
    if entry is None:
        return [
            ctx.say("faq.unknown_topic", buttons=(ctx.button("faq.topics_button", "menu:faq"),))
        ]
    buttons = [_topic_button(ctx, related) for related in entry.related if faq.get(related)]
    if topic == REGISTER_TOPIC:
        buttons.insert(0, ctx.button("faq.register_button", "menu:daftar"))
    return [Reply(faq.render(topic, ctx.lang), tuple(buttons))]


def fallback(ctx: Ctx) -> Reply:
    """Say plainly that there is no answer; offer the topics and the office contact."""
    return ctx.say(
        "faq.fallback",
        buttons=(
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
    return answer_topic(ctx, topic)


def _topic_button(ctx: Ctx, topic: str) -> Button:
    return Button(_faq(ctx).title(topic, ctx.lang), FaqButton.TOPIC.payload(topic))


async def reload_knowledge(deps: Deps) -> str | None:
    """Reload the knowledge files; on error keep the old knowledge and return the error text."""
    try:
        knowledge = await asyncio.to_thread(load_knowledge)  # a few seconds: off the event loop
    except KnowledgeError as exc:
        log.warning("knowledge reload failed; keeping the old knowledge")
        return str(exc)
    await load_phrasings(deps, knowledge.faq)
    deps.knowledge = knowledge
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
    """The FAQ's buttons, by router prefix: `faq:<topic id>`, `faqg:<group>`."""

    TOPIC = "faq"  # that topic's answer
    GROUP = "faqg"  # the topics of one group

    def payload(self, arg: str) -> str:
        return f"{self.value}:{arg}"


ON_PRESS: dict[FaqButton, PayloadHandler] = {FaqButton.TOPIC: on_topic, FaqButton.GROUP: on_group}


def register(router: Router) -> None:
    router.command("faq", "tanya")(faq_menu)
    for button, handler in ON_PRESS.items():
        router.payload(button.value)(handler)
    router.text(answer_text)
