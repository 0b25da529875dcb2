"""How the intent rules read a message: each word in the form the word lists know (chat
spellings, affixes, doubled letters, typos of a listed word) and the lists' phrases found in it;
remembered, since one message is read several times (whole and by clauses, by classify and the
flows)."""

from __future__ import annotations

import re

from knowledge.intents_read import Read, known_form
from knowledge.langdetect import words
from knowledge.spelling import TYPO_MIN_LENGTH, closest, correctable

READS_KEPT = 4096  # messages (and unknown words) whose reading is remembered (cleared when full)
_ADDRESS = re.compile(r"\S+@\S+\.[a-z]{2,}", re.IGNORECASE)


class Reader:
    """Reads messages against the words and phrases of the lists (`entries`)."""

    def __init__(self, entries: set[str], forms: dict[str, str], talk: frozenset[str]) -> None:
        self.chat_forms = forms
        self._phrases = {tuple(p.split()) for p in entries if " " in p}
        self.vocabulary = {w for p in entries for w in p.split()}
        self._longest = max((len(p) for p in self._phrases), default=1)
        self._acting = self.vocabulary - talk  # `talk`'s words are never a typo's reading
        self._correctable: dict[str, list[str]] = {}  # by first letter: a typo keeps it
        for word in correctable(self._acting):
            self._correctable.setdefault(word[0], []).append(word)
        self._reads: dict[str, Read] = {}
        self._typos: dict[str, str] = {}  # unknown word -> the listed word it is a typo of

    def read(self, text: str) -> Read:
        """The plain words of a text and the known phrases of several words in it."""
        found = self._reads.get(text)
        if found is None:
            if len(self._reads) >= READS_KEPT:
                self._reads.clear()
            found = self._reads[text] = self._read(text)
        return found

    def _read(self, text: str) -> Read:
        forms = self.chat_forms
        text = _ADDRESS.sub(" email ", text)  # the new value of a request: "change it to a@b.com"
        plain = [self._known_form(forms.get(w, w)) for w in words(text)]
        spans = []
        for size in range(2, min(self._longest, len(plain)) + 1):
            for i in range(len(plain) - size + 1):
                if tuple(plain[i : i + size]) in self._phrases:
                    spans.append((i, size, " ".join(plain[i : i + size])))
        return Read(tuple(plain), tuple(spans))

    def _known_form(self, word: str) -> str:
        """An unknown word as a known one: "sippp" -> "sip", "petugasnya" -> "petugas", and a
        typo of a request word ("regster", "unsubcribe"; knowledge/spelling.py's rule)."""
        found = known_form(word, self.vocabulary, self._acting)
        if found in self.vocabulary or len(found) < TYPO_MIN_LENGTH or not found.isalpha():
            return found
        fixed = self._typos.get(found)
        if fixed is None:
            if len(self._typos) >= READS_KEPT:
                self._typos.clear()
            fixed = closest(found, self._correctable.get(found[0], []))
            if found.startswith(fixed):
                fixed = found  # an inflection ("changed", "updates"), not a typo: kept as written
            self._typos[found] = fixed
        return fixed
