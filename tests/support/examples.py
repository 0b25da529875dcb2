"""Write knowledge/examples.yaml from the development tables' lines: each in-scope line under its
topic and each out-of-scope line (the semantic stage's examples), and the small talk and requests
(with the others, what the language detector learns besides the knowledge's own texts).

    .venv/bin/python -m tests.support.examples

The lines were written as test questions by writers who saw only FACTS.md and a brief, never the
knowledge, so they are phrasings of real askers' kind. The blind and held-out tables never go
in, and the newest development tables stay out (`KEPT_APART`) so that the effect is measured on
tables neither has seen. Run again (then `make vectors`) after adding a development table.
"""

from __future__ import annotations

import sys

import yaml

from knowledge import KNOWLEDGE_DIR
from knowledge.languages import LANGUAGES
from tests.support import faq_tables as t

TARGET = KNOWLEDGE_DIR / "examples.yaml"
# Read as development measures, never joined to the examples. Joining S-V (session 16) moved
# Q and R by +3 and -2 lines in scope, +0 and +2 out of scope, -1 and -2 in language: no gain, so
# they stay measures of how the bot reads new writers.
KEPT_APART = (t.DEV_Q, t.DEV_R, t.DEV_S, t.DEV_T, t.DEV_U, t.DEV_V)
HEADER = """\
# Lines people of the kind who write to the bot wrote: `topics` (each under the topic it asks
# about) and `out_of_scope` (questions the bot must not answer) are the semantic stage's own
# examples (knowledge/semantic.py): it reads a question as its nearest example, and thousands of
# real-style phrasings are nearer a new asker's words than the sample questions alone. `chat`
# holds small talk and requests in words. The language detector (knowledge/langdetect.py) learns
# every line's language. The lexical matcher never reads them: its word weights stay the samples'.
# They come from the development tables in tests/data, written as test questions by writers who
# saw only FACTS.md and a brief, never these files; the blind and held-out tables never go in,
# nor development tables Q to V (kept apart to measure on). Lines may be added by hand (a topic
# id of knowledge/faq; id, en, ms), but `python -m tests.support.examples` writes the whole file
# again from the tables: put lines that must stay into a development table. After a large edit,
# `make vectors` ships their vectors.
"""


def rows() -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]], dict[str, list[str]]]:
    """{topic: {language: lines}}, {language: off-topic lines}, {language: chat lines}, each
    line once."""
    topics: dict[str, dict[str, list[str]]] = {}
    outside: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    seen: set[str] = set()

    def fresh(text: str) -> bool:
        key = " ".join(text.split()).casefold()
        if key in seen:
            return False
        seen.add(key)
        return True

    found = t.in_scope(t.DEV_PLAIN)
    for name in (n for n in t.DEV_WRITTEN.values() if n not in KEPT_APART):
        found += t.blind_in_scope(name)
    for topic, lang, text in found:
        if fresh(text):
            topics.setdefault(topic, {x: [] for x in LANGUAGES})[lang].append(text)
    tables = [t.out_of_scope(t.DEV_PLAIN)]
    tables += [t.blind_out_of_scope(n) for n in t.DEV_WRITTEN.values() if n not in KEPT_APART]
    for table in tables:
        for lang, texts in table.items():
            outside[lang] += [text for text in texts if fresh(text)]
    chat: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for name in (n for n in t.DEV_WRITTEN.values() if n not in KEPT_APART):
        table = t.load(name)
        for lang in LANGUAGES:
            said = [*table["smalltalk"][lang], *(item["text"] for item in table["actions"][lang])]
            chat[lang] += [text for text in said if fresh(text)]
    return dict(sorted(topics.items())), outside, chat


def main() -> int:
    topics, outside, chat = rows()
    body = yaml.safe_dump(
        {"topics": topics, "out_of_scope": outside, "chat": chat},
        allow_unicode=True,
        width=100,
        sort_keys=False,
    )
    TARGET.write_text(HEADER + body, encoding="utf-8")
    count = sum(len(v) for by in topics.values() for v in by.values())
    off, said = sum(map(len, outside.values())), sum(map(len, chat.values()))
    print(f"{TARGET}: {count} topic lines, {off} off-topic lines, {said} chat lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
