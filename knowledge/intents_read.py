"""A message read for the intent rules: its words in the forms the lists know, its known phrases
and its clauses; and `Intent`, what knowledge/intents.py makes of it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.intents_schema import Group

# "sambungin" -> "sambung"; the Sundanese possessive -na reads as -nya ("statusna")
SUFFIXES = ("nya", "ku", "mu", "lah", "kah", "keun", "in", "kan", "an", "na")
_DOUBLED = re.compile(r"([a-z])\1+")
# a message's clauses: after a stop, comma, colon..., or before "and" + a request word ("saya ada
# kedai kek di PJ dan nak daftar perniagaan saya")
_CLAUSES = re.compile(
    r"(?<=[.!?\n,;:])\s*|\s+(?=(?:dan|and|terus|trus|lalu|then|so)\s+(?:saya\s+|sy\s+|i\s+)?"
    r"(?:mau|nak|ingin|pengen|mahu|hendak|tolong|please|want|would|need|perlu)\b)",
    re.IGNORECASE,
)
# words before the language a message asks for: "in English", "pakai bahasa Indonesia"
TO_LANGUAGE = frozenset(("in", "into", "to", "ke", "dalam", "dlm", "pakai", "pake", "guna",
                         "gunakan", "use", "using", "ganti", "tukar", "switch", "change"))


@dataclass(frozen=True)
class Intent:
    """`smalltalk` (name: its kind), `action` (name: the action; to: a language) or `question`
    (name: a small-talk kind when it is small talk but for one word; near_action: a request with
    a few words more; the FAQ decides)."""

    kind: str
    name: str | None = None
    to: str | None = None
    near_action: str | None = None  # a question that is nearly this request: the FAQ decides
    foreign: bool = False  # ... and it names something the knowledge never mentions ("parcel")
    acts_on_other: str | None = None  # this request's verb acts on something else ("hapus foto")


def clauses(text: str) -> list[str]:
    """The clauses of a message, each with its closing mark ("how do I sign up?")."""
    return [piece for piece in _CLAUSES.split(text) if piece and piece.strip()]


def known_form(word: str, vocabulary: Group | set[str], acting: Group | set[str]) -> str:
    """An unknown word as a word of `vocabulary`: "sippp" -> "sip", "petugasnya" -> "petugas";
    `acting` (the vocabulary without small talk) for the readings that must not make small talk
    ("siapin" is prepare, not "siap"; "goods" is not "good")."""
    if word in vocabulary:
        return word
    squeezed = _DOUBLED.sub(r"\1", word)
    if squeezed in vocabulary:
        return squeezed
    for suffix in SUFFIXES:
        base = word.removesuffix(suffix)
        if len(base) >= 3 and base != word and base in vocabulary and (
            suffix != "in" or base in acting
        ):
            return base
    return _chat_form(word, vocabulary, acting)


def _chat_form(word: str, vocabulary: Group | set[str], acting: Group | set[str]) -> str:
    """Jakarta chat's "-in" for "-kan"/"-i" ("aktifin", "dikirimin" -> "aktifkan", "kirimkan"),
    "-i" for "-kan" ("kirimi": "kirimkan"), the passive "di-" of a listed verb ("diganti"), an
    English plural ("broadcasts") and "-ing" form ("deleting"), when known."""
    stem = word.removeprefix("di") if len(word) > 6 else word
    if word.endswith("in") and len(stem) > 4:
        for form in (stem[:-2] + "kan", stem[:-2] + "i", stem[:-2]):
            if form in acting:
                return form
    if word.endswith("i") and word[:-1] + "kan" in vocabulary:
        return word[:-1] + "kan"
    for suffix in ("es", "s"):
        base = word.removesuffix(suffix)
        if base != word and len(base) >= 4 and base in acting:
            return base
    if word.startswith("di") and word[2:] in acting and len(word) > 6:  # "didaftarkan", "diganti"
        return word[2:]
    if word.endswith("ing") and len(word) > 6:  # "deleting", "updating", "registering"
        doubled = word[-4] == word[-5]  # "stopping"
        for form in (word[:-3], word[:-3] + "e", word[:-4] if doubled else ""):
            if form in acting:
                return form
    return word


@dataclass(frozen=True)
class Read:
    """A message as words, and the known phrases in it as (start, length, phrase)."""

    words: tuple[str, ...]
    spans: tuple[tuple[int, int, str], ...]

    def positions(self) -> list[tuple[int, str]]:
        """(start, word or phrase) for every word and known phrase of the message."""
        return [*enumerate(self.words), *((start, phrase) for start, _, phrase in self.spans)]

    def outside(self, vocabulary: Group | set[str]) -> set[str]:
        """The words and phrases not inside a phrase of `vocabulary` ("how" of "how are you")."""
        inside = {i for start, size, phrase in self.spans if phrase in vocabulary
                  for i in range(start, start + size)}  # fmt: skip
        return {w for i, w in enumerate(self.words) if i not in inside} | {
            phrase for start, _, phrase in self.spans if start not in inside
        }

    def items(self) -> frozenset[str]:
        """Every word and phrase of the message (worked out once)."""
        found = self.__dict__.get("_items")
        if found is None:
            found = frozenset(self.words).union(phrase for _, _, phrase in self.spans)
            object.__setattr__(self, "_items", found)  # a cache, not a field: still frozen
        return found

    def left(self, vocabulary: Group | set[str]) -> int:
        """How many words neither `vocabulary` nor a phrase of it found here explains."""
        return len(self.unexplained(vocabulary))

    def unexplained(self, vocabulary: Group | set[str]) -> list[str]:
        """The words neither `vocabulary` nor a phrase of it found here explains."""
        covered = {i for i, w in enumerate(self.words) if w in vocabulary}
        for start, size, phrase in self.spans:
            if phrase in vocabulary:
                covered.update(range(start, start + size))
        return [w for i, w in enumerate(self.words) if i not in covered]
