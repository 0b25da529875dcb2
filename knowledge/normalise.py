"""Turn a chat question into canonical tokens: case, punctuation, repeats, slang, synonyms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer

from knowledge.texts import KnowledgeError, read_mapping

_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")  # three or more of one letter -> one
_NUMBER = re.compile(r"^\d+$")
NUMBER_TOKEN = "0"
_STEMMERS = (snowballstemmer.stemmer("indonesian"), snowballstemmer.stemmer("english"))
SECTIONS = ("slang", "drop", "greetings", "thanks", "function", "synonyms")


@dataclass(frozen=True)
class Analysis:
    """A normalised question: the tokens to match and whether it is only small talk."""

    tokens: tuple[str, ...]
    small_talk: str | None = None  # "greeting" | "thanks" | None

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


class Normaliser:
    """Slang, drop words and synonym groups from `normalise.yaml`, compiled once."""

    def __init__(
        self,
        slang: dict[str, str],
        drop: set[str],
        greetings: set[str],
        thanks: set[str],
        phrases: dict[tuple[str, ...], str],
    ) -> None:
        self.slang = slang
        self.drop = drop
        self.greetings = greetings
        self.thanks = thanks
        self.phrases = phrases
        self._longest_from: dict[str, int] = {}  # a phrase's first word -> its longest phrase
        for phrase in phrases:
            self._longest_from[phrase[0]] = max(len(phrase), self._longest_from.get(phrase[0], 0))
        self.function: set[str] = set()  # question and function words: little evidence
        self._phrase_words: set[str] | None = None

    @classmethod
    def load(cls, path: Path) -> Normaliser:
        """Read `normalise.yaml`; raise KnowledgeError naming the file and section."""
        data = read_mapping(path, f"with sections {', '.join(SECTIONS)}")
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise KnowledgeError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
        return cls.from_data(data, str(path))

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str = "normalise") -> Normaliser:
        slang_raw = data.get("slang") or {}
        if not isinstance(slang_raw, dict):
            raise KnowledgeError(f"{where}: slang: must be a mapping of word: replacement")
        slang = {}
        for word, repl in slang_raw.items():
            if not isinstance(repl, str | type(None)):
                raise KnowledgeError(f"{where}: slang: {word}: replacement must be text")
            slang[_plain(str(word))] = _plain(repl or "")
        words = {name: _word_set(data.get(name), where, name) for name in SECTIONS[1:5]}
        words = {name: found | {_stem(w) for w in found} for name, found in words.items()}
        synonyms = data.get("synonyms") or []
        if not isinstance(synonyms, list):
            raise KnowledgeError(f"{where}: synonyms: must be a list of groups")
        phrases: dict[tuple[str, ...], str] = {}
        for number, group in enumerate(synonyms, 1):
            if (
                not isinstance(group, list)
                or not group
                or not all(isinstance(item, str) for item in group)
            ):
                raise KnowledgeError(f"{where}: synonyms: group {number}: must be a list of texts")
            canonical = _plain(group[0]).replace(" ", "")
            for item in group:
                key = tuple(
                    w for word in _plain(item).split() for w in slang.get(word, word).split()
                )
                if key in phrases and phrases[key] != canonical:
                    raise KnowledgeError(
                        f"{where}: synonyms: group {number} ({group[0]}): {item!r} is already in"
                        f" the group of {phrases[key]!r}"
                    )
                phrases[key] = canonical
        normaliser = cls(slang, words["drop"], words["greetings"], words["thanks"], phrases)
        normaliser.function = words["function"]
        return normaliser

    def analyse(self, text: str, fix: Callable[[str], str] | None = None) -> Analysis:
        """The tokens to match, without address words, greetings and thanks.

        `fix` may replace each plain word first (the matcher's spelling correction).
        """
        tokens = self._canonical(text, fix)
        kept = tuple(
            t
            for t in tokens
            if t not in self.drop and t not in self.greetings and t not in self.thanks
        )
        small_talk = None
        if tokens and not kept:
            if any(t in self.thanks for t in tokens):
                small_talk = "thanks"
            elif any(t in self.greetings for t in tokens):
                small_talk = "greeting"
        return Analysis(kept, small_talk)

    def tokens(self, text: str) -> tuple[str, ...]:
        """The tokens to match (see `analyse`)."""
        return self.analyse(text).tokens

    def words(self, text: str) -> list[str]:
        """The plain words of a text, before slang and synonyms."""
        return _plain(text).split()

    def plain(self, text: str) -> str:
        """The plain words of a text with chat slang spelt out ("blm pernah" -> "belum pernah")."""
        return " ".join(w for raw in _plain(text).split() for w in self.slang.get(raw, raw).split())

    def knows(self, word: str) -> bool:
        """True if `word` is slang, in a synonym phrase or a word list (so never a typo)."""
        return word in self.slang or word in self._listed()

    def vocabulary(self) -> set[str]:
        """Every word it knows: slang ("dieu"), synonym phrases' words and its word lists."""
        return set(self.slang) | self._listed()

    def _listed(self) -> set[str]:
        if self._phrase_words is None:
            self._phrase_words = {w for phrase in self.phrases for w in phrase}
            self._phrase_words |= self.drop | self.greetings | self.thanks | self.function
        return self._phrase_words

    def _canonical(self, text: str, fix: Callable[[str], str] | None = None) -> list[str]:
        words: list[str] = []
        for raw in _plain(text).split():
            if fix is not None:
                raw = fix(raw)
            replaced = self.slang.get(raw, raw)
            for word in replaced.split():
                words.extend(self.slang.get(word, word).split())
        return self._phrases(words)

    def _phrases(self, words: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(words):
            longest = self._longest_from.get(words[i], 0)  # most words start no phrase
            for size in range(min(longest, len(words) - i), 0, -1):
                canonical = self.phrases.get(tuple(words[i : i + size]))
                if canonical is not None:
                    out.append(canonical)
                    i += size
                    break
            else:  # not in a synonym group: its stem ("mendaftarkannya" -> "daftar")
                word = words[i]
                clitic = word[: -len(CLITIC)] if word.endswith(CLITIC) else ""
                canonical = self.phrases.get((clitic,)) if len(clitic) >= 3 else None
                if canonical is not None:  # "perintahnya" is "perintah" with "its"
                    out.append(canonical)
                else:
                    out.append(NUMBER_TOKEN if _NUMBER.match(word) else _stem(word))
                i += 1
        return out


CLITIC = "nya"  # "its/the": a synonym's word with it is still that synonym ("perintahnya")
_NOT_INFORMAL = {"within", "certain", "maintain", "domain", "margin", "origin", "protein",
                 "bulletin", "plugin", "linkedin", "cousin", "basin", "raisin", "vitamin",
                 # Indonesian and Malay words that end so themselves ("kemarin" is yesterday)
                 "kemarin", "kemaren", "mungkin", "miskin", "dingin", "cermin", "bermain",
                 "pemain", "pengin", "kepingin", "dijamin", "terjamin", "menjamin", "penjamin",
                 "kahwin", "berkahwin"}  # fmt: skip


def _formal(word: str) -> str:
    """Informal Indonesian affixes as formal ones: "daftarin" -> "daftarkan", "ngurus" -> "mengurus"."""
    if len(word) >= 6 and word.endswith("in") and word not in _NOT_INFORMAL:
        word = word[:-2] + "kan"
    if len(word) >= 6 and word.startswith("nge") and word[3] not in "aeiou":
        return word[3:]  # "ngecek" -> "cek"
    if len(word) >= 5 and word[:2] in ("ng", "ny") and word[2] in "aeiou":
        word = "me" + word
    return word


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Indonesian/Malay affixes off, then English endings ("pendaftaran" -> "daftar")."""
    word = _formal(word)
    for stemmer in _STEMMERS:
        word = stemmer.stemWord(word)
    return word


def strip_marks(text: str) -> str:
    """The text without its combining marks (accents, once decomposed); ASCII has none."""
    return "".join(c for c in text if not unicodedata.combining(c))


def _plain(text: str) -> str:
    """Lower case, no accents, no punctuation, no letter repeated three times or more."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = (
        (folded if folded.isascii() else strip_marks(folded))
        .replace("'", "")
        .replace("\u2019", "")
    )
    return _REPEATS.sub(r"\1", _NON_WORD.sub(" ", folded)).strip()


def _word_set(value: Any, where: str, name: str) -> set[str]:
    if value is None:
        return set()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: {name}: must be a list of words")
    return {_plain(v).replace(" ", "") for v in value}
