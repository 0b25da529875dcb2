"""The knowledge's own words: whether a word of a request names something the knowledge knows."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.intents_read import SUFFIXES
from knowledge.spelling import TYPO_MIN_LENGTH, closest

PREFIXES = ("", "di", "ke", "ber", "be", "ter", "te", "se", "me", "mem", "men", "meng", "pe", "per",
            "pen", "peng", "ng", "n")  # Indonesian and Malay affixes of a known stem
PLAIN_SUFFIXES = ("en", "s", "es", "ed", "ly", "ing")  # "simpen", "emails", "theres"
VERB_FORM = re.compile(r"(di|ber|ter|ke|mem|men|meng)[a-z]{4,}$")  # verbal prefixes
VOWELS = frozenset("aeiouy")


class Vocabulary:
    """The words of the knowledge's texts, slang, synonyms and word lists (knowledge/__init__.py);
    empty, it knows every word (nothing is checked)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = frozenset(words)
        self._sorted = sorted(self.words)  # for the typo search

    def knows_all(self, words: Iterable[str]) -> bool:
        """Whether every word is known (a request's unexplained words: "status of my parcel",
        "langganan netflix mahal" name something else, so the FAQ decides)."""
        return not self.words or all(map(self.knows, words))

    def knows(self, word: str) -> bool:
        """A known word, also inflected or abbreviated without vowels ("sbg", "ttg"); a verb form
        ("diinput", "kesimpen", "bertugas") says what is done, not what it is done to."""
        if word in self.words or not set(word) & VOWELS or VERB_FORM.match(word):
            return True
        for prefix in PREFIXES:
            stem = word.removeprefix(prefix)
            for suffix in ("", *SUFFIXES, *PLAIN_SUFFIXES):
                base = stem.removesuffix(suffix) if suffix else stem
                if base != word and len(base) >= 3 and base in self.words:
                    return True
        return len(word) >= TYPO_MIN_LENGTH and closest(word, self._sorted) != word  # typo
