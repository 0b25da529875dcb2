"""Spelling for the FAQ matcher: an unknown word is read as the closest known one."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process

from knowledge.normalise import Normaliser

TYPO_CUTOFF = 84  # an unknown word this close (fuzz.ratio) to a known one is read as it
TYPO_MIN_LENGTH = 5
_CACHE_MAX = 100_000
SUNDANESE_NA = "na"  # "its/the": "carana" is "caranya", read as "cara"


def closest(word: str, known: list[str]) -> str:
    """The known word closest to `word` if close enough and with the same first letter
    (typos seldom hit the first letter; "iphone" is not "phone"), else `word`."""
    for candidate, _, _ in process.extract(
        word, known, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=3
    ):
        if candidate != word and candidate[0] == word[0]:
            return candidate
    return word


def correctable(words: Iterable[str]) -> list[str]:
    """The words long enough to be offered as corrections, sorted."""
    return sorted(w for w in words if len(w) >= TYPO_MIN_LENGTH - 1)


class Speller:
    """The plain words of sample questions, keywords and answers; `fix` runs on each word of a
    question before slang and synonyms, so a misspelt synonym ("subcribe") still finds its group.
    """

    def __init__(self, normaliser: Normaliser, is_known: Callable[[str], bool]) -> None:
        self.normaliser = normaliser
        self.is_known = is_known  # True for a word whose tokens the matcher knows
        self.words: set[str] = set()
        self._sorted: list[str] | None = None
        self._fixed: dict[str, str] = {}

    def learn(self, text: str) -> None:
        """Add the plain words of `text` to the known spellings."""
        self.words.update(self.normaliser.words(text))
        self.forget()

    def forget(self) -> None:
        """Drop what was worked out from the words (they or the matcher changed)."""
        self._sorted = None
        self._fixed = {}

    def fix(self, word: str) -> str:
        """A known spelling for an unknown, typo'd plain word ("regester" -> "register")."""
        if len(word) < TYPO_MIN_LENGTH or word.isdigit() or word in self.words:
            return word
        fixed = self._fixed.get(word)
        if fixed is None:
            fixed = word
            if not self.normaliser.knows(word) and not self.is_known(word):
                fixed = self._without_na(word)
                if fixed == word:
                    if self._sorted is None:
                        self._sorted = correctable(self.words)
                    fixed = closest(word, self._sorted)
            if len(self._fixed) < _CACHE_MAX:
                self._fixed[word] = fixed
        return fixed

    def _without_na(self, word: str) -> str:
        """A Sundanese word with its possessive "-na" ("ngecekna", "syaratna", "biayana") as
        the known word under it; `word` itself if there is none."""
        if word.endswith(SUNDANESE_NA) and len(word) - len(SUNDANESE_NA) >= TYPO_MIN_LENGTH - 1:
            base = word[: -len(SUNDANESE_NA)]
            if base in self.words or self.normaliser.knows(base) or self.is_known(base):
                return base
        return word
