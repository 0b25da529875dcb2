"""Recent messages' readings (knowledge/recent.py): bounded, per prior language, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from handlers import faq as faq_handlers
from knowledge import KNOWLEDGE_DIR, load_knowledge
from knowledge.recent import Recent
from knowledge.understand import understand
from tests.support.chat import Chat


def test_recent_is_bounded_and_drops_the_least_recently_used() -> None:
    recent: Recent[str] = Recent(size=3)
    for key in "abc":
        recent.keep(key, 1, key.upper())
    assert recent.find("a", 1) == "A"  # "a" is now the most recently used
    recent.keep("d", 1, "D")
    recent.keep("e", 1, "E")
    assert len(recent) == 3
    assert [recent.find(key, 1) for key in "abcde"] == ["A", None, None, "D", "E"]
    assert (recent.hits, recent.misses) == (4, 2)


def test_recent_forgets_everything_when_its_source_changes() -> None:
    recent: Recent[str] = Recent(size=3)
    recent.keep("a", 1, "A")
    assert recent.find("a", 2) is None and len(recent) == 0
    recent.keep("b", 2, "B")
    assert recent.find("b", 2) == "B"
    off: Recent[str] = Recent(size=0)  # size 0: nothing is kept
    off.keep("a", 1, "A")
    assert off.find("a", 1) is None and len(off) == 0


def _text(replies) -> str:
    return "\n".join(reply.text for reply in replies)


async def test_a_question_asked_again_is_read_once_and_answered_the_same(assistant) -> None:
    recent = assistant.deps.knowledge.recent
    first = await Chat(assistant, "2001").send("Bagaimana cara mengurus NIB?")
    hits = recent.hits
    again = await Chat(assistant, "2002").send("Bagaimana cara mengurus NIB?")
    assert recent.hits == hits + 1
    assert _text(again) == _text(first) and "NIB" in _text(first)


async def test_readings_are_kept_per_prior_language(assistant) -> None:
    knowledge = assistant.deps.knowledge
    english = await Chat(assistant, "2011", language_hint="en").send("NIB")
    indonesian = await Chat(assistant, "2012", language_hint="id").send("NIB")
    assert _text(english).startswith(knowledge.faq.render("nib-oss", "en")[:60])
    assert _text(indonesian).startswith(knowledge.faq.render("nib-oss", "id")[:60])
    for prior in ("en", "id"):  # each kept reading is what a fresh reading gives
        kept = knowledge.recent.find(("NIB", prior), knowledge.faq.matcher.generation)
        fresh = understand(knowledge.faq, knowledge.intents, knowledge.language, "NIB", prior)
        assert kept == fresh and kept.guess.language == prior


async def test_a_curated_phrasing_makes_kept_readings_stale(deps, assistant) -> None:
    question = "zzkop bandung tempat ngopi umkm"
    chat = Chat(assistant, "2021")
    before = await chat.send(question)
    assert deps.knowledge.recent.find((question, "id"), deps.knowledge.faq.matcher.generation)
    await faq_handlers.add_phrasings(deps, "events-schedule", "id", [question])
    after = await chat.send(question)
    assert _text(after) != _text(before)
    assert _text(after).startswith(deps.knowledge.faq.render("events-schedule", "id")[:60])


async def test_reload_starts_an_empty_cache_reading_the_new_knowledge(
    deps, assistant, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(faq_handlers, "load_knowledge", lambda **kw: load_knowledge(folder, **kw))
    question = "zzkop bandung tempat ngopi umkm"
    chat = Chat(assistant, "2031")
    before = await chat.send(question)
    assert len(deps.knowledge.recent) > 0
    path = folder / "faq" / "creative-economy.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "      - "  # the first sample question of the file
    assert marker in text, "creative-economy.yaml's layout changed"
    path.write_text(text.replace(marker, f"{marker}{question}\n{marker}", 1), encoding="utf-8")
    assert await faq_handlers.reload_knowledge(deps) is None
    assert len(deps.knowledge.recent) == 0
    after = await chat.send(question)
    assert _text(after) != _text(before)
