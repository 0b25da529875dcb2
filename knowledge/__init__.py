"""Curated content: UI texts, FAQ entries and office contacts, loaded from data files."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.examples import Examples, load_examples
from knowledge.faq import Faq, load_faq, load_out_of_scope
from knowledge.holidays import load_holidays
from knowledge.intents import IntentRules
from knowledge.intents_checks import ELSEWHERE
from knowledge.langdetect import LanguageDetector, load_markers, words
from knowledge.languages import LANGUAGES
from knowledge.normalise import Normaliser
from knowledge.recent import Recent
from knowledge.semantic import SemanticOptions
from knowledge.texts import KnowledgeError, Texts, read_mapping
from knowledge.vocabulary import Vocabulary

log = logging.getLogger(__name__)

KNOWLEDGE_DIR = Path(__file__).resolve().parent

__all__ = ["KNOWLEDGE_DIR", "Faq", "Knowledge", "KnowledgeError", "load_holidays", "load_knowledge"]


@dataclass
class Knowledge:
    """Everything loaded from `knowledge/`; replaced whole on reload."""

    texts: Texts
    contacts: dict[str, Any] = field(default_factory=dict)
    faq: Faq | None = None  # entries + matcher; None only for a Knowledge built by hand
    intents: IntentRules | None = None  # small talk and requests in words (intents.yaml)
    language: LanguageDetector | None = None  # which language a message is written in
    holidays: dict[date, str] = field(default_factory=dict)  # offices closed (holidays.yaml)
    recent: Recent = field(default_factory=Recent, repr=False, compare=False)  # messages read


def load_contacts(path: Path) -> dict[str, Any]:
    """The office contacts from `contacts.yaml`."""
    return read_mapping(path, "of office key to details")


def load_knowledge(
    folder: Path = KNOWLEDGE_DIR, semantic: SemanticOptions | None = None
) -> Knowledge:
    """Load every knowledge file under `folder`; raise KnowledgeError naming file and entry.

    With `semantic`, the FAQ also gets the embedding stage (see knowledge/semantic.py).
    """
    start = time.perf_counter()
    contacts = load_contacts(folder / "contacts.yaml")
    texts = Texts.load(folder / "texts", {"contacts": contacts})
    normaliser = Normaliser.load(folder / "normalise.yaml")
    out_of_scope = load_out_of_scope(folder / "out_of_scope.yaml")
    by_meaning = load_out_of_scope(folder / "out_of_scope.yaml", "by_meaning") if semantic else {}
    examples = load_examples(folder / "examples.yaml")
    faq = load_faq(folder / "faq", contacts, normaliser, out_of_scope, semantic, by_meaning, examples)
    intents = IntentRules.load(folder / "intents.yaml")
    markers = load_markers(folder / "language_words.yaml")
    detector = build_detector(faq, texts, markers, examples)
    # slang ("dieu"), synonyms and word lists count as known: a request naming them is not foreign;
    # but for the words of things never ours ("car loan" does not make "register my car" ours)
    elsewhere = {word for name in ELSEWHERE for entry in intents.lists[name]
                 for word in entry.split()}  # fmt: skip
    listed = intents.vocabulary - elsewhere
    intents.known = Vocabulary(detector.known | listed | normaliser.vocabulary())
    _log_mode(faq, time.perf_counter() - start)
    holidays = load_holidays(folder / "holidays.yaml")
    return Knowledge(texts, contacts, faq, intents, detector, holidays)


def build_detector(
    faq: Faq, texts: Texts, markers: dict[str, list[str]], examples: Examples | None = None
) -> LanguageDetector:
    """A language detector learnt from every text the knowledge holds in each language; its
    `known` words are those of the knowledge's own texts and the markers (not out-of-scope lines
    nor examples.yaml's, which it learns after)."""
    detector = LanguageDetector()
    for lang in LANGUAGES:
        detector.learn(lang, own_texts(faq, texts, lang))
        detector.markers(lang, markers.get(lang, []))
    detector.known = frozenset().union(*detector.counts.values())
    for lang in LANGUAGES:
        detector.learn(lang, faq.out_of_scope.get(lang, []))
        detector.learn(lang, examples.lines(lang) if examples else [])
    detector.neutral = {w for item in markers.get("neutral", []) for w in words(item)}
    detector.weak = {w for item in markers.get("weak", []) for w in words(item)}
    for lang in ("ms", "id"):
        detector.last.update({w: lang for item in markers.get(f"last_{lang}", []) for w in words(item)})
        detector.mixed.update({w: lang for item in markers.get(f"mixed_{lang}", []) for w in words(item)})
    return detector


def own_texts(faq: Faq, texts: Texts, lang: str) -> list[str]:
    """Every FAQ question, title and answer and every UI text in `lang` (not out-of-scope lines)."""
    found = [text for entry in faq.entries.values()
             for text in (*entry.questions[lang], entry.title[lang], faq.render(entry.id, lang))]  # fmt: skip
    return found + list(texts.sources(lang))


def _log_mode(faq: Faq, seconds: float) -> None:
    """One line saying which FAQ matching mode is active."""
    index = faq.matcher.semantic
    if index is None:
        log.info("FAQ matching: lexical only; %d topics loaded in %.1f s", len(faq.entries), seconds)
        return
    log.info(
        "FAQ matching: lexical + semantic (%s, %d samples, %s); %d topics loaded in %.1f s",
        index.embedder.model_id,
        len(index.topics),
        "embeddings from the cache" if index.cache_hit else "embeddings computed",
        len(faq.entries),
        seconds,
    )
