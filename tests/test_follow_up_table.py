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
from knowledge.languages import LANGUAGES
from knowledge.recent import Recent
from tests.support import faq_tables
from tests.support.chat import Chat

# The first table's misses are read; the second (the same brief, another hand, written while the
# rules were tuned on the first) is read for its figures only, as a check of that tuning.
TABLES = {"faq_dev_followups.yaml": True, "faq_dev_followups2.yaml": False}
# Read first with session 19's first follow-up rules, then tuned on its misses (docs/understanding.md):
# lexical 66.7 / 70.0 / 65.0% -> 83.3 / 80.0 / 75.0%, semantic 65.0 / 68.3 / 68.3% -> 85.0 / 80.0
# / 76.7% (alone: 58.3 / 61.7 / 55.0% and 58.3 / 58.3 / 60.0%). Session 20 (a follow-up answered
# only near the last topic, Sundanese and Malaysian chat words, short questions with words of their
# own leaning too, a request whose twin is the last topic read as it): lexical 91.7 / 85.0 / 86.7%,
# semantic 91.7 / 86.7 / 86.7%. Floors a line under.
FLOOR_WITH_FIRST = {
    "faq_dev_followups.yaml": {
        "lexical": {"id": 0.90, "en": 0.83, "ms": 0.85},
        "semantic": {"id": 0.90, "en": 0.85, "ms": 0.85},
    },
    # figures only: first rules 70.0 / 58.3 / 55.0% lexical, 71.7 / 55.0 / 56.7% semantic; tuned
    # 83.3 / 65.0 / 63.3% and 85.0 / 66.7 / 66.7% (alone 58.3 / 53.3 / 46.7%, 58.3 / 48.3 / 50.0%);
    # session 20: 90.0 / 80.0 / 78.3% and 91.7 / 80.0 / 80.0%
    "faq_dev_followups2.yaml": {
        "lexical": {"id": 0.88, "en": 0.78, "ms": 0.76},
        "semantic": {"id": 0.90, "en": 0.78, "ms": 0.78},
    },
}


async def _answered(chat: Chat, deps, topic: str) -> bool:
    """Whether the last message was answered with `topic`: its answer, or, when that topic was
    just answered, the note that what the bot knows of it is in that answer (handlers/faq.py)."""
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    lang, faq = user.language or "id", deps.knowledge.faq
    if not chat.replies:
        return False
    noted = deps.knowledge.texts.render(lang, "faq.answered_before", title=faq.title(topic, lang))
    return chat.replies[0].text in (faq.render(topic, lang), noted)


@pytest.mark.parametrize("table", sorted(TABLES))
async def test_second_messages_are_read_with_the_first(deps, faq, monkeypatch, table) -> None:
    # a reading cache of its own: the knowledge's would answer with the other mode's readings
    knowledge = dataclasses.replace(deps.knowledge, faq=faq, recent=Recent())
    monkeypatch.setattr(deps, "knowledge", knowledge)
    assistant = Assistant(deps)
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    pairs = faq_tables.load(table)["pairs"]
    right, alone, total, misses = Counter(), Counter(), Counter(), []
    for lang in LANGUAGES:
        for n, item in enumerate(pairs[lang]):
            chat = Chat(assistant, f"fu-{lang}-{n}")  # a new user each
            await chat.send(item["first"])
            await chat.send(item["then"])
            good = await _answered(chat, deps, item["topic"])
            single = Chat(assistant, f"fu1-{lang}-{n}")
            await single.send(item["then"])
            total[lang] += 1
            right[lang] += good
            alone[lang] += await _answered(single, deps, item["topic"])
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
