"""A message of several sentences read by its pieces: which question it asks, and the other topics
it asks about (knowledge/understand.py asks the FAQ through `best_part`)."""

from __future__ import annotations

import re

from knowledge import chooser
from knowledge.chooser import follows_up
from knowledge.decision import Decision
from knowledge.faq import Faq
from knowledge.intents import IntentRules
from knowledge.semantic import NeedsEmbedding, no_embedding

MAX_PARTS = 6  # pieces looked at one by one: the last ones (a story first, then the question)
# A message's pieces may embed at most this many texts beyond the whole message (the last pieces
# first; a piece over the budget is left out unless its vector is known). Development tables
# A-I through understand (session 7, 16:55 UTC): 3 loses no row, 2 one (en), 1 seven; on the
# 124 in-scope messages of more than 15 words in H, I and styles2, p99 115-130 -> 90-111 ms
# (two runs each, load ~1.2; 2: 98 ms).
PIECE_EMBEDDINGS = 3
# A short question after a story may lean on it ("... Are there free classes for beginners? Where
# do I sign up?"): when the whole message falls back and its best question piece is this short and
# names neither the whole's best topic by words nor its nearest in meaning, a question piece that
# names one of them answers, and the short one is offered. Development tables Q-V (session 17):
# 3 more right, none lost (any length: 5 more, 1 lost).
SHORT_QUESTION = 6  # words
# A question answered instead of its story's topic offers that topic when the story's topic is
# among the whole message's best RUNNERS_UP in meaning ("my company in PJ wants a Bandung
# supplier ... is there any business matching event coming up?": the events answered, the
# partnering offered; a story of chips and an exhibition before a halal question offers
# nothing). Development tables A-AA: 10 more messages get an offer beside the right answer, 2
# of them the right topic beside a wrong answer; without the check in meaning, 17 (a story's
# exhibition offered the events beside a halal answer).
RUNNERS_UP = 3
# the topic an opening's courtesy words pull a whole message to ("boleh tanya, NIB itu apa?" was
# the bot's help by "tanya"): what follows the opening is read alone too
COURTESY_PULL = "bot-help"
# "terus" begins a sentence ("terus syaratnya apa?"), not before a place or a way: "dapat update
# terus dalam chat ni?", "beli terus dari pengeluar" (directly)
_SENTENCE = re.compile(
    r"(?<=[.!?\n])\s*|\s+(?=(?:lalu|then|also|dan juga|satu lagi)\b|(?:terus|trus)\b(?!\s+(?:"
    r"dalam|dari|ke|kat|di|melalui|lewat|via|kepada|pada|dengan|dgn)\b))"
)
_QUESTION_END = "?"
LONG_SENTENCE = 12  # words: a longer sentence is also read clause by clause
_CLAUSE = re.compile(r"[,;:]\s*|\s+(?=(?:tapi|tetapi|namun|but|however|jadi|so|sebab|karena|because)\b)")


def parts(text: str, clauses: bool = False, stories: bool = False) -> list[str]:
    """The sentences of a message with at least two words, the last MAX_PARTS; with `clauses`, a
    long sentence by its clauses ("usaha saya sudah 5 tahun, gimana caranya ikut little
    bandung?"), and with `stories` every sentence that asks nothing too."""
    found = []
    for sentence in _SENTENCE.split(text):
        if not sentence or len(sentence.split()) < 2:
            continue
        story = stories and not sentence.rstrip().endswith(_QUESTION_END)
        long = clauses and (story or len(sentence.split()) > LONG_SENTENCE)
        found += _clauses_of(sentence) if long else [sentence.strip()]
    return found[-MAX_PARTS:]


def _clauses_of(sentence: str) -> list[str]:
    """A sentence's clauses of at least two words (split at _CLAUSE)."""
    return [c.strip() for c in _CLAUSE.split(sentence) if c and len(c.split()) >= 2]


def best_part(
    faq: Faq, rules: IntentRules, text: str, whole: Decision
) -> tuple[Decision, tuple[str, ...]]:
    """The decision to act on and the other topics asked: questions first, then the best score."""
    sentences = parts(text)
    unsure = whole.kind != "answer"
    stories = unsure and _vague_question(faq, sentences)
    pieces = parts(text, clauses=unsure, stories=stories)  # a story, then the question: clauses
    if len(pieces) < 2 and (whole.kind != "answer" or whole.topic == COURTESY_PULL):
        opened = _after_courtesy(rules, text)
        if opened:  # what follows the opening is the whole question: it may answer any topic
            pieces, sentences = opened, [*sentences, opened[1]]
    if len(pieces) < 2:
        return whole, ()
    allowed = {whole.topic, _nearest(faq, text, whole)}
    budget = [PIECE_EMBEDDINGS]  # embeddings left, spent by _decide
    found, answered = [], []  # the pieces the rules may pick; every question piece answered
    for n, piece in reversed(list(enumerate(pieces))):  # the last pieces first: the question
        if rules.classify(piece).kind != "question" or not faq.matcher.topical(piece):
            continue  # "Bagaimana caranya?" after a statement asks about that statement
        decision = _decide(faq, piece, budget)
        if decision is None or decision.kind != "answer":
            continue
        answered.append((piece, decision, _is_question(rules, piece)))
        if piece not in sentences and decision.topic not in allowed:
            continue  # a clause answers only with the whole message's best topic (either stage)
        if whole.kind == "answer" and follows_up(decision) and any(
            _is_question(rules, earlier) for earlier in pieces[:n]
        ):
            continue  # "biayanya berapa?" after a halal question asks the halal fee
        found.append((n, piece, decision))
    main, also = _by_rules(faq, rules, text, whole, sentences, found, allowed)
    return chooser.reconsider(faq.matcher.semantic, text, whole, main, also, answered, len(pieces))


def _by_rules(
    faq: Faq, rules: IntentRules, text: str, whole: Decision, sentences: list[str],
    found: list[tuple[int, str, Decision]], allowed: set[str | None],
) -> tuple[Decision, tuple[str, ...]]:
    """The rules' pick among the whole message and its answered pieces (`found`): questions
    first, then the best score; `allowed` are the whole message's best topics (both stages)."""
    asked: list[Decision] = []
    stated: list[Decision] = []
    asking = _question_clauses(sentences)
    short: list[Decision] = []  # questions of SHORT_QUESTION words or fewer
    for _, piece, decision in sorted(found, key=lambda item: item[0]):
        (asked if piece in asking or _is_question(rules, piece) else stated).append(decision)
        if len(piece.split()) <= SHORT_QUESTION:
            short.append(decision)
    if asked:
        asked.sort(key=lambda d: -d.score)
        best = asked[0]
        if whole.kind == "answer" and best.topic != whole.topic and _whole_nearer(
            faq, text, whole.topic, best.topic
        ):
            return whole, (best.topic,)  # the question leans on its story: offered only
        named = [d for d in asked if d.topic in allowed]
        if whole.kind == "fallback" and named and best.topic not in allowed and any(
            d is best for d in short
        ):
            return named[0], (best.topic,)  # "... Where do I sign up?": the story's question
        others = [d.topic for d in asked[1:] if d.topic != best.topic]
        if not others and _story_offered(faq, text, whole, best):
            others = [str(whole.topic)]
        return best, tuple(dict.fromkeys(others))[:1]
    if whole.kind == "answer" or not stated:
        return whole, ()
    return max(stated, key=lambda d: d.score), ()


def _story_offered(faq: Faq, text: str, whole: Decision, asked: Decision) -> bool:
    """Whether the whole message's answered topic, not the one its question got, is offered
    beside it: when it is among the whole message's RUNNERS_UP nearest topics in meaning (a
    story naming an exhibition before a halal question is halal's). Never without the semantic
    stage: words alone are too weak a sign."""
    if whole.kind != "answer" or whole.topic == asked.topic:
        return False
    index = faq.matcher.semantic
    return index is not None and whole.topic in [t for t, _ in index.rank(text)[:RUNNERS_UP]]


def _vague_question(faq: Faq, sentences: list[str]) -> bool:
    """Whether a message of several sentences ends with a short question that names no topic
    ("..., pengen ikut pameran di malaysia. ada info ga?"): its subject is in the story before,
    so every sentence of the story is read by its clauses, however short. Development tables
    A-X (session 20): semantic 2 more right, lexical 1 more offered; none lost, out of scope
    unchanged."""
    if len(sentences) < 2:
        return False
    last = sentences[-1]
    if not last.rstrip().endswith(_QUESTION_END) or len(last.split()) > SHORT_QUESTION:
        return False
    return faq.matcher.decide(last).kind != "answer"


def _after_courtesy(rules: IntentRules, text: str) -> list[str]:
    """A short sentence opened by a thanks or greeting clause ("hatur nuhun, punten bade naros
    nib teh naon") as two pieces, so its question is also read without the opening: those words
    weigh nothing lexically, but they pull the whole sentence's meaning towards "how to use the
    bot". Empty when the first clause is not small talk or fewer than two words follow it."""
    text = text.strip()
    found = _CLAUSE.search(text)
    if found is None or found.start() == 0:
        return []
    opening, rest = text[: found.start()], text[found.end():]
    if len(rest.split()) < 2 or rules.classify(opening).kind != "smalltalk":
        return []
    return [opening, rest]


def _whole_nearer(faq: Faq, text: str, whole: str, asked: str) -> bool:
    """Whether an answered whole message is at least as near in meaning to its own topic as to
    the topic of its question sentence. A question often leans on the story before it ("Produk
    macam tu perlu PIRT je atau kena daftar BPOM?", "How do I protect it?"): read alone, it names
    another topic. Then the whole message's topic is answered and the sentence's offered.
    Development tables A-M through understand (session 9, 4,353 in scope): 17 misses fewer, 6 new,
    out of scope unchanged. Lexical only (no meaning to compare), the question sentence answers
    as before."""
    index = faq.matcher.semantic
    if index is None:
        return False
    near = dict(index.rank(text))
    return near.get(whole, 0.0) >= near.get(asked, 0.0)


def _question_clauses(sentences: list[str]) -> set[str]:
    """The clauses of the sentences that end with a question mark: each of them asks ("Sebenarnya
    apa dampak MEA buat UMKM kayak saya, dan apa yang harus saya siapkan?")."""
    return {clause for sentence in sentences if sentence.rstrip().endswith(_QUESTION_END)
            for clause in _clauses_of(sentence)}  # fmt: skip


def _is_question(rules: IntentRules, piece: str) -> bool:
    return piece.rstrip().endswith(_QUESTION_END) or rules.is_how(piece)


def _decide(faq: Faq, piece: str, budget: list[int]) -> Decision | None:
    """The piece's decision; None when it would need one embedding more than the budget."""
    if budget[0] > 0:
        index = faq.matcher.semantic
        before = index.query_vector.cache_info().misses if index is not None else 0
        decision = faq.matcher.decide(piece)
        if index is not None and index.query_vector.cache_info().misses > before:
            budget[0] -= 1
        return decision
    try:
        with no_embedding():
            return faq.matcher.decide(piece)
    except NeedsEmbedding:
        return None


def _nearest(faq: Faq, text: str, whole: Decision) -> str | None:
    """The nearest topic in meaning of a whole message that fell back (None lexical-only): a long
    story dilutes the lexical score, so its best topic may be the wrong one to let a clause
    answer with (development tables: 7 more right, 1 right lost, 1 more wrong and 1 out-of-scope
    answered, of 2,100 questions)."""
    index = faq.matcher.semantic
    if index is None or whole.kind != "fallback" or whole.out_of_scope:
        return None
    ranked = index.rank(text)
    return ranked[0][0] if ranked else None
