"""Between the router and the FAQ: the language a user writes in, small talk, requests in
words, and questions asked in the middle of a form."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from handlers import faq, follow_up
from handlers.actions import ACTIONS
from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.router import Router
from handlers.types import Reply
from knowledge.decision import Decision
from knowledge.langdetect import words
from knowledge.semantic import NeedsEmbedding, no_embedding
from knowledge.understand import MAX_MATCHED, TWINS, Understood, understand

log = logging.getLogger(__name__)
MAX_READ = MAX_MATCHED  # characters of a message matched; the rest is read as the story
MAX_TEXT = 4096  # longer than any chat platform sends: not matched at all, the user is told
OFF_LOOP = 200  # messages longer than this are read in a worker thread (tens of ms)
MIN_WORDS_TO_SWITCH = 2  # "ok", "NIB?" never change the language
WITH_MENU = ("greeting", "thanks")  # small talk answered with the main menu
FORM_TOPIC = "registration-how"  # what a follow-up asked in the registration form is about


async def read(ctx: Ctx, text: str) -> Understood:
    """Understand `text` with the user's current language as the prior; a long text, or one the
    semantic stage must embed, off the event loop, so other users' messages and /healthz are
    not held up (a short question the lexical stage settles costs a fraction of a ms). A
    message read recently with the same prior is not read again (knowledge/recent.py)."""
    knowledge, text = ctx.deps.knowledge, text[:MAX_READ]
    key, generation = (text, ctx.lang), _generation(knowledge)
    understood = knowledge.recent.find(key, generation)
    if understood is not None:
        return understood
    args = (knowledge.faq, knowledge.intents, knowledge.language, text, ctx.lang)
    if len(text) <= OFF_LOOP:
        try:
            with no_embedding():
                understood = understand(*args)
        except NeedsEmbedding:  # read again in a worker thread, embedding this time
            pass
    if understood is None:
        understood = await asyncio.to_thread(understand, *args)
    knowledge.recent.keep(key, generation, understood)
    return understood


def _generation(knowledge) -> int | None:
    """The FAQ matcher's change count: a curated phrasing added since makes a reading stale."""
    return knowledge.faq.matcher.generation if knowledge.faq is not None else None


async def follow_language(ctx: Ctx, text: str, understood: Understood) -> None:
    """Answer in the language the user writes in, unless they chose one explicitly."""
    guess, user = understood.guess, ctx.user
    if user.language_explicit or not guess.sure or guess.language == ctx.lang:
        return
    unknown = user.language is None and not ctx.incoming.language_hint  # nothing to go on yet
    first_word = unknown and understood.intent != "smalltalk"  # a first "register": English
    if len(words(text)) < MIN_WORDS_TO_SWITCH and not first_word:
        return
    if understood.intent == "smalltalk" and user.language is not None:
        return  # "thanks" from an Indonesian speaker is not a switch to English
    await ctx.deps.storage.users.set_language(user.id, guess.language, explicit=False)
    ctx.user = await ctx.deps.storage.users.get_by_id(user.id)


async def on_text(ctx: Ctx) -> list[Reply]:
    """Free text outside a flow: small talk, a request in words, or a question for the FAQ."""
    text = ctx.incoming.text or ""
    if len(text) > MAX_TEXT:  # matching cost grows with length: 100 KB took seconds
        buttons = main_menu_buttons(ctx)
        return [ctx.say("limits.too_long", length=len(text), limit=MAX_TEXT, buttons=buttons)]
    understood = await read(ctx, text)
    written_in = ctx.lang
    await follow_language(ctx, text, understood)
    leaning = await follow_up.leaning(ctx, text, understood)  # "biayanya?" after the halal answer
    faqs = ctx.deps.knowledge.faq
    if leaning is not None:  # every word asks about an aspect: of the last topic, or near it
        leaned, last = await read(ctx, leaning[0]), leaning[1]
        if follow_up.verdict(faqs, last, leaned) in ("same", "far"):
            return await faq.answered_before(ctx, text, last, leaned.decision)
        understood = leaned
    elif (short := await follow_up.short_leaning(ctx, text, understood)) is not None:
        leaned, last = await read(ctx, short[0]), short[1]  # "can they ship abroad?"
        found = follow_up.verdict(faqs, last, leaned)
        if found == "same" or (found == "far" and follow_up.unanswered(ctx, text, understood)):
            return await faq.answered_before(ctx, text, last, leaned.decision)
        if found in ("near", "act"):
            understood = leaned
    if understood.intent == "smalltalk":
        return [small_talk(ctx, understood.small_talk or "ack")]
    if understood.intent == "action" and understood.action is not None:
        twin = TWINS.get(understood.action)  # "kapan dikabarin?" after "cek status sy" leans on it
        if twin is not None and ctx.deps.knowledge.faq.get(twin) is not None:
            await follow_up.remember(ctx, twin)
        return await ACTIONS[understood.action](ctx, understood.to)
    if ctx.lang == written_in and await follow_up.repeated(ctx, text, understood):
        # (asked again in another language, the answer is new to the user: given)
        return await faq.answered_before(ctx, text, understood.topic, understood.decision)
    return await faq.answer_understood(ctx, text, understood)


def small_talk(ctx: Ctx, kind: str) -> Reply:
    """A short, warm reply; greetings and thanks come with the menu."""
    buttons = main_menu_buttons(ctx) if kind in WITH_MENU else ()
    name = ctx.incoming.display_name or ""
    return ctx.say(f"smalltalk.{kind}", buttons=buttons, name=name)


def looks_like_question(ctx: Ctx, text: str) -> bool:
    """A question mark, or words that ask how, why, whether ("nib wajib ga sih"); not words that
    only name what might be asked about ("kue kering dijual online" is a description)."""
    return text.rstrip().endswith("?") or ctx.deps.knowledge.intents.asks(text)


async def aside(ctx: Ctx, text: str) -> list[Reply] | None:
    """In a form: the FAQ's answer to a question, or a language switch; None for an answer."""
    understood = await read(ctx, text)
    if understood.intent == "action" and understood.action == "language" and understood.to:
        return await ACTIONS["language"](ctx, understood.to)
    if ctx.deps.knowledge.intents.leans_on_before(text):  # "berapa lama prosesnya?"
        understood = await _about_form(ctx, text)
    if understood.intent != "faq" or understood.topic is None:
        return None
    if not looks_like_question(ctx, text):  # "kue" as a description is a short answer
        return None
    await follow_language(ctx, text, understood)
    return await faq.answer_understood(ctx, text, understood)


async def _about_form(ctx: Ctx, text: str) -> Understood:
    """A follow-up asked in the registration form ("berapa lama prosesnya?", "biayanya?") is
    about registering: read with the form's subject (`register.subject`), answered by a topic
    near the registration's (handlers/follow_up.near), else by the registration's own."""
    knowledge = ctx.deps.knowledge
    leaned = await read(ctx, f"{ctx.t('register.subject')} {text}")
    topic = leaned.topic if follow_up.answers(leaned) else None
    if topic is not None and follow_up.near(knowledge.faq, FORM_TOPIC, topic):
        return leaned
    if knowledge.faq.get(FORM_TOPIC) is None:  # gone with a /reload
        return leaned
    return replace(leaned, intent="faq", decision=Decision("answer", FORM_TOPIC))


def register(router: Router) -> None:
    router.text(on_text)
