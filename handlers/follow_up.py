"""A question that leans on the one before it: "biayanya?" after the halal answer.

Read alone, "biayanya?", "syaratnya apa aja?" or "how long does it take?" name no topic, and the
matcher gave whichever topic its samples' generic words liked ("biayanya?" after the halal
answer got the Little Bandung fees; "berapa lama prosesnya?" the registration status). A message
whose every word asks about an aspect or points back (`follow_up` in knowledge/intents.yaml) is
read with the title of the topic last answered to the user before it ("sertifikat halal
biayanya?"), if that was within FOLLOW_UP_FOR, and that reading answers if the FAQ answers it.
The last topic is the newer of the user's last question the FAQ answered (`questions`, already
logged; an index finds it, migration 0023) and the last topic chosen with a button or named by a
request in words ("cek status sy": the status topic; kept with the user, `users.topic`): only
such a message reads them, and only a button or a request writes. A message
naming a subject of its own ("halal gimana?") is read alone, as before.

A follow-up that the last topic itself answers ("biayanya?" after the export answer, which names
no fee), or that lands on no topic near it, is not sent that answer again: the user is told that
what the bot knows is in the answer before, offered a person, and the question is noted for
staff (handlers/faq.answered_before). A short question with words of its own ("can they ship
abroad?") whose reading alone is unsure is read with its subject too (`short_leaning`);
`verdict` says what such a reading came to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers.context import Ctx
from knowledge.langdetect import words
from knowledge.understand import TWINS, Understood

FOLLOW_UP_FOR = timedelta(minutes=30)
REMEMBER_STEP = timedelta(minutes=1)  # the same topic again this soon: no write
ANY_FOLLOW_UP = "contact-office"  # "kontaknya?", "who handles it?" after any topic
# words: a question this short may lean on the answer before it ("is a city even allowed to do
# that?" after paradiplomacy) ... Session 22, 6 -> 8 words, semantic: follow-up table 3 one line
# more in en and ms, table 1 unchanged, table 2 (figures only) en 2 and ms 1 more; none lost
SHORT_FOLLOW_UP = 8
REPEATED_WORDS = 6  # ... and one this short answered by the topic just answered gets the note
SURE_ALONE = 80.0  # ... unless its own words answer it this surely (lexical score, 0-100)


async def remember(ctx: Ctx, topic: str) -> None:
    """Keep `topic` as the one the user just chose with a button, or the twin topic of the
    request in words just run ("cek status sy": registration-status)."""
    user, now = ctx.user, ctx.deps.storage.db.now()
    if user.topic == topic and user.topic_at is not None and now - user.topic_at < REMEMBER_STEP:
        return
    at = await ctx.deps.storage.users.set_topic(user.id, topic)
    ctx.user, ctx._last_topic = replace(user, topic=topic, topic_at=at), None


async def leaning(ctx: Ctx, text: str, understood: Understood) -> tuple[str, str] | None:
    """The message with the last topic's subject before it, and that topic, if it is a
    follow-up of a recent answer; else None."""
    knowledge = ctx.deps.knowledge
    if understood.intent not in ("faq", "fallback") or not knowledge.intents.leans_on_before(text):
        return None
    topic = await _last_topic(ctx)
    if topic is None or knowledge.faq.get(topic) is None:  # none, or gone with a /reload
        return None
    subject = knowledge.intents.subject(knowledge.faq.title(topic, ctx.lang))
    return (f"{subject} {text}", topic) if subject else None


async def short_leaning(ctx: Ctx, text: str, understood: Understood) -> tuple[str, str] | None:
    """A short question with words of its own ("bisa dihapus ga?" after the privacy answer, "can
    they ship abroad?" after the buyers' one) that its own words answer unsurely and that names
    no subject: the message with the last topic's subject before it, and that topic; else None.
    The caller takes that reading only if `verdict` finds it near the last topic. A neighbour
    read alone is no reason to stop: "maklumat apa yg perlu bagi?" after how to register is not
    the registration's edit (same group) because "maklumat" is in its samples; read "daftar
    perniagaan maklumat apa yg perlu bagi?", it is how to register, whose answer lists them."""
    knowledge = ctx.deps.knowledge
    if understood.intent not in ("faq", "fallback"):
        return None
    if not _short_question(knowledge.intents, text, asked_last=True):
        return None
    if knowledge.intents.names(text, "never_ours", "accounts_elsewhere"):
        return None  # "biaya daftar gym brp?" after the events answer is about the gym (but
        # "macam mana nak order?" after the buyers' answer is the buyers': an order is theirs)
    alone, decision = understood.topic, understood.decision
    if alone is not None and decision is not None and (
        decision.stage == "semantic" or decision.score >= SURE_ALONE
    ):
        return None  # "kapan ada pameran?" after halal: its own words answer it, surely
    if alone is not None and knowledge.intents.names_subject(text, knowledge.faq.title(alone, ctx.lang)):
        return None  # "kalau mau pinjaman KUR kemana ya?" after halal: a subject of its own
    topic = await _last_topic(ctx)  # (only now: a read of the question log)
    if topic is None or knowledge.faq.get(topic) is None:
        return None
    subject = knowledge.intents.subject(knowledge.faq.title(topic, ctx.lang))
    return (f"{subject} {text}", topic) if subject else None


async def repeated(ctx: Ctx, text: str, understood: Understood) -> bool:
    """A short question naming no subject that its own words answer with the very topic just
    answered ("ada senarai pembekal tak?" after the buyers' answer got that answer again): the
    same long answer twice says nothing new. Named again ("sertifikat halal gimana caranya?"),
    the subject is asked for again, and answered."""
    intents = ctx.deps.knowledge.intents
    if not answers(understood) or not _short_question(intents, text, words_at_most=REPEATED_WORDS):
        return False
    assert understood.topic is not None
    if intents.names_subject(text, ctx.deps.knowledge.faq.title(understood.topic, ctx.lang)):
        return False
    return await _last_topic(ctx) == understood.topic


def unanswered(ctx: Ctx, text: str, understood: Understood) -> bool:
    """Whether a short question just after an answer, that neither its own words nor the last
    topic's subject answer, is one we lack about that topic ("trs biayanya siapa yg nanggung?"
    after the events answer was told it is outside what the bot helps with): it asks about an
    aspect (intents.yaml `aspects`: a cost, papers, a place; "kamu umur berapa?" is no question
    about the events), its reading alone falls back, and the out-of-scope list did not claim it.
    (`short_leaning` leaves alone a question naming a thing of daily life never ours.)"""
    decision = understood.decision
    if understood.intent != "fallback" or decision is None or decision.out_of_scope:
        return False
    return ctx.deps.knowledge.intents.names(text, "aspects")


def _short_question(
    intents, text: str, asked_last: bool = False, words_at_most: int = SHORT_FOLLOW_UP
) -> bool:
    """`words_at_most` words or fewer that ask: a question mark or an asking word, or with
    `asked_last` an asking word put last ("yg di malaysia apa")."""
    if len(words(text)) > words_at_most:
        return False
    if text.rstrip().endswith("?") or intents.asks(text):
        return True
    return asked_last and intents.ends_asking(text)


async def _last_topic(ctx: Ctx) -> str | None:
    """The topic answered to the user last, typed or chosen, if within FOLLOW_UP_FOR; read from
    the question log once a message (`short_leaning` and `repeated` may both ask)."""
    if ctx._last_topic is None:
        user, now = ctx.user, ctx.deps.storage.db.now()
        found = [(user.topic_at, user.topic)] if user.topic and user.topic_at else []
        asked = await ctx.deps.storage.questions.last_answered(user.id)
        if asked is not None:
            found.append((asked[1], asked[0]))
        at, topic = max(found, default=(None, None))
        ctx._last_topic = (topic if at is not None and now - at <= FOLLOW_UP_FOR else None,)
    return ctx._last_topic[0]


def near(faq, last: str, topic: str) -> bool:
    """Whether `topic` may answer a follow-up of `last`: the same topic, one of its group or of
    its related topics, or the office contact ("kontaknya?"). Another one came from the subject's
    words, not from what was asked ("daftar usaha biayanya?" read as the trademark fees)."""
    if topic in (last, ANY_FOLLOW_UP):
        return True
    before, found = faq.get(last), faq.get(topic)
    if before is None or found is None:
        return False
    return found.group == before.group or topic in before.related or last in found.related


def verdict(faq, last: str, leaned: Understood) -> str:
    """What a follow-up of `last`, read with its subject, came to: "same" (the last topic
    again, or a request whose twin it is: the same answer or action twice says nothing new),
    "act" (a request whose twin topic is near it: "bisa diubah?" after the privacy answer),
    "near" (a topic near it) or "far" (anything else, or nothing)."""
    twin = TWINS.get(leaned.action or "") if leaned.intent == "action" else None
    if twin is not None and near(faq, last, twin):
        return "same" if twin == last else "act"
    if not answers(leaned):
        return "far"
    assert leaned.topic is not None
    return "same" if leaned.topic == last else "near" if near(faq, last, leaned.topic) else "far"


def answers(understood: Understood) -> bool:
    """Whether a reading answers with a topic (not a guess offered, not a fallback)."""
    decision = understood.decision
    return understood.intent == "faq" and decision is not None and decision.kind == "answer"
