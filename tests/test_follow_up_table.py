"""Two-message exchanges written by a hand that saw only FACTS.md and a brief
(tests/data/faq_dev_followups.yaml, tests/data/faq_dev_followups_brief.md): a first question, then
a second message, and the topic the second asks about read with the first. Each pair is played
in the chat as a new user would (the real handlers: language followed, the answer before leaned
on, handlers/follow_up.py), and the second message is also sent alone by another new user, to
say what the first one changes. A development table: its misses are printed and read."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from handlers import Assistant
from handlers.actions import ACTIONS
from knowledge.languages import LANGUAGES
from knowledge.recent import Recent
from knowledge.understand import TWINS
from tests.support import faq_tables
from tests.support.chat import Chat

# The first table's misses are read; the second (the same brief, another hand, written while the
# rules were tuned on the first) is read for its figures only, as a check of that tuning; the third
# (session 22, the second's brief by a new hand) is read, misses too.
TABLES = {
    "faq_dev_followups.yaml": True,
    "faq_dev_followups2.yaml": False,
    "faq_dev_followups3.yaml": True,
}
# Read first with session 19's first follow-up rules, then tuned on its misses (docs/understanding.md):
# lexical 66.7 / 70.0 / 65.0% -> 83.3 / 80.0 / 75.0%, semantic 65.0 / 68.3 / 68.3% -> 85.0 / 80.0
# / 76.7% (alone: 58.3 / 61.7 / 55.0% and 58.3 / 58.3 / 60.0%). Session 20 (a follow-up answered
# only near the last topic, Sundanese and Malaysian chat words, short questions with words of their
# own leaning too, a request whose twin is the last topic read as it): lexical 91.7 / 85.0 / 86.7%,
# semantic 91.7 / 86.7 / 86.7%; session 21's end 91.7 / 85.0 / 88.3% and 91.7 / 86.7 / 88.3%.
# Session 22: a request in words run by the second message counts as its twin topic's answer, as
# in the blind tables ("ok then I want to register my business" starts the form); counted so,
# the same code reads lexical 98.3 / 93.3 / 95.0%, semantic 98.3 / 95.0 / 95.0%. Then table 3's
# misses ("datanya apa aja yg perlu disiapin?" ran /datasaya; a question of 7-8 words may lean
# too, SHORT_FOLLOW_UP): unchanged. Floors a line under.
# Table 2 (figures only): first rules 70.0 / 58.3 / 55.0% lexical, 71.7 / 55.0 / 56.7% semantic;
# tuned 83.3 / 65.0 / 63.3% and 85.0 / 66.7 / 66.7% (alone 58.3 / 53.3 / 46.7%, 58.3 / 48.3 /
# 50.0%); session 20: 90.0 / 80.0 / 78.3% and 91.7 / 80.0 / 80.0%; session 21's end 91.7 / 81.7
# / 80.0% and 93.3 / 83.3 / 85.0%; session 22, requests counted: 95.0 / 88.3 / 86.7% and 96.7 /
# 90.0 / 91.7%, then after table 3's changes 95.0 / 91.7 / 88.3% and 96.7 / 93.3 / 93.3%.
# Table 3, first read (session 22, requests not yet counted): lexical 83.3 / 80.0 / 83.3%,
# semantic 90.0 / 86.7 / 90.0% (alone 48.3 / 50.0 / 53.3%, 53.3 / 46.7 / 58.3%); requests
# counted 88.3 / 90.0 / 90.0% and 95.0 / 96.7 / 96.7%; after its misses 90.0 / 91.7 / 91.7% and
# 96.7 / 98.3 / 98.3%.
# Session 23: a short question about an aspect (a cost, papers) that nothing answers, right after
# an answer, gets the note that what the bot knows is in that answer (handlers/follow_up.unanswered;
# it was told the question is outside what the bot helps with): table 3 lexical id 90.0 -> 91.7%,
# the rest unchanged.
FLOOR_WITH_FIRST = {
    "faq_dev_followups.yaml": {
        "lexical": {"id": 0.96, "en": 0.91, "ms": 0.93},
        "semantic": {"id": 0.96, "en": 0.93, "ms": 0.93},
    },
    "faq_dev_followups2.yaml": {
        "lexical": {"id": 0.93, "en": 0.90, "ms": 0.86},
        "semantic": {"id": 0.95, "en": 0.91, "ms": 0.91},
    },
    "faq_dev_followups3.yaml": {
        "lexical": {"id": 0.88, "en": 0.90, "ms": 0.90},
        "semantic": {"id": 0.95, "en": 0.96, "ms": 0.96},
    },
}


async def _answered(chat: Chat, deps, topic: str, ran: list[str]) -> bool:
    """Whether the last message was answered with `topic`: its answer, or, when that topic was
    just answered, the note that what the bot knows of it is in that answer (handlers/faq.py), or
    the request in words whose twin the topic is (`ran`: the actions the message ran; "ok then I
    want to register my business" starts the form, as the blind tables count it)."""
    if any(TWINS.get(action) == topic for action in ran):
        return True
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    lang, faq = user.language or "id", deps.knowledge.faq
    if not chat.replies:
        return False
    noted = deps.knowledge.texts.render(lang, "faq.answered_before", title=faq.title(topic, lang))
    return chat.replies[0].text in (faq.render(topic, lang), noted)


def _recorded(name: str, handler, ran: list[str]):
    """`handler`, noting in `ran` that the action `name` ran."""

    async def run(ctx, to):
        ran.append(name)
        return await handler(ctx, to)

    return run


@pytest.mark.parametrize("table", sorted(TABLES))
async def test_second_messages_are_read_with_the_first(deps, faq, monkeypatch, table) -> None:
    # a reading cache of its own: the knowledge's would answer with the other mode's readings
    knowledge = dataclasses.replace(deps.knowledge, faq=faq, recent=Recent())
    monkeypatch.setattr(deps, "knowledge", knowledge)
    assistant = Assistant(deps)
    ran: list[str] = []  # the actions run by requests in words, as they run
    for name, handler in list(ACTIONS.items()):
        monkeypatch.setitem(ACTIONS, name, _recorded(name, handler, ran))
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    pairs = faq_tables.load(table)["pairs"]
    right, alone, total, misses = Counter(), Counter(), Counter(), []
    for lang in LANGUAGES:
        for n, item in enumerate(pairs[lang]):
            chat = Chat(assistant, f"fu-{lang}-{n}")  # a new user each
            await chat.send(item["first"])
            ran.clear()
            await chat.send(item["then"])
            good = await _answered(chat, deps, item["topic"], ran)
            single = Chat(assistant, f"fu1-{lang}-{n}")
            ran.clear()
            await single.send(item["then"])
            total[lang] += 1
            right[lang] += good
            alone[lang] += await _answered(single, deps, item["topic"], ran)
            if not good:
                misses.append(f"{lang} {item['topic']}: {item['first']!r} -> {item['then']!r}")
    print(f"\n{table}, {mode}: second messages answered with their topic, alone -> after the first")
    for lang in LANGUAGES:
        print(f"  {lang}: {alone[lang] / total[lang]:.1%} -> {right[lang] / total[lang]:.1%}"
              f" of {total[lang]}")  # fmt: skip
    if TABLES[table]:
        print("  misses:\n    " + "\n    ".join(misses))
    for lang in LANGUAGES:
        assert right[lang] / total[lang] >= FLOOR_WITH_FIRST[table][mode][lang], lang
