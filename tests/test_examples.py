"""knowledge/examples.yaml: lines people wrote join the semantic stage (not the lexical matcher)
and the language detector; a wrong file is refused with its place named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import KNOWLEDGE_DIR, KnowledgeError, build_detector, load_knowledge
from knowledge.examples import Examples, load_examples
from knowledge.faq import build_faq
from knowledge.langdetect import load_markers
from knowledge.semantic import SemanticOptions

TOPICS = ("financing", "trademark")


@pytest.fixture(scope="module")
def base():
    return load_knowledge()


def test_the_real_file_loads_and_names_only_real_topics(base) -> None:
    examples = load_examples(KNOWLEDGE_DIR / "examples.yaml")
    assert examples.problems(set(base.faq.entries)) == []
    assert len(examples.rows("~out-of-scope")) > 5000
    assert all(examples.lines(lang) for lang in ("id", "en", "ms"))
    assert all(examples.chat[lang] for lang in ("id", "en", "ms"))


def test_examples_join_the_semantic_stage_only(base, embedder, tmp_path: Path) -> None:
    entries = [base.faq.get(topic) for topic in TOPICS]
    normaliser, options = base.faq.matcher.normaliser, SemanticOptions(embedder, tmp_path)
    line = "gimana biar nama warung sy ga dicontek orang"
    off = "nama akun ig warung sy dicuri orang"
    rows = [("trademark", line), ("~out-of-scope", off)]
    faq = build_faq(entries, base.contacts, normaliser, None, options, None, rows)
    plain = build_faq(entries, base.contacts, normaliser, None, options)
    index = faq.matcher.semantic
    assert (index.samples, index.extra) == (len(faq.matcher.samples), 2)
    assert index.rank(line)[0] == ("trademark", 1.0)
    assert index.rank(off)[0] == ("~out-of-scope", 1.0)
    assert faq.matcher.rank(line) == plain.matcher.rank(line)  # word weights: the samples' alone
    assert plain.matcher.semantic.rank(line)[0][1] < 1.0


def test_the_language_detector_learns_the_examples(base) -> None:
    markers = load_markers(KNOWLEDGE_DIR / "language_words.yaml")
    text = "gelenyar gelenyar"  # a word no knowledge text has
    plain = build_detector(base.faq, base.texts, markers)
    taught = build_detector(
        base.faq, base.texts, markers, Examples(chat={"ms": ["gelenyar sungguh hari ni"]})
    )
    assert not plain.guess(text).sure
    assert taught.guess(text).language == "ms"
    assert "gelenyar" not in taught.known  # an example's words are not the knowledge's own


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("topics:\n  bot-help:", "topics:\n  bot-halp:", "unknown topic 'bot-halp'"),
        ("chat:\n  id:", "chat:\n  jv:", "unknown language 'jv'"),
        ("chat:\n", "chat: [1, 2]\nother:\n", "wrong at chat"),
    ],
)
def test_a_wrong_examples_file_stops_the_load_with_its_place(tmp_path, old, new, message) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / "examples.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(folder)


def test_no_examples_file_is_no_examples(tmp_path) -> None:
    assert load_examples(tmp_path / "absent.yaml") == Examples()
