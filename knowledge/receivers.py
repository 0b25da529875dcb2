"""Whom a broadcast asked for in words is for: intents.yaml `broadcast_receivers`, read into the
audience filters a message names ("kirim pengumuman ke semua umkm kuliner" -> sub:kuliner)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from knowledge.intents_schema import Group, mapping, word_group
from knowledge.langdetect import words
from knowledge.texts import KnowledgeError

SECTION = "broadcast_receivers"
CODE = re.compile(r"registered|(sub|lang|ch|st):[a-z_]+")  # the audience panel's filter codes


@dataclass(frozen=True)
class Receivers:
    filters: dict[str, Group]  # filter code -> the words and phrases that name it
    except_words: Group  # "kecuali kuliner": the officer picks on the panel instead
    about: Group  # what follows one of these is the announcement's subject, not its receivers

    @classmethod
    def parse(cls, data: dict[str, Any], where: str) -> Receivers:
        section = mapping(data, SECTION, where)
        here = f"{where}: {SECTION}"
        filters = mapping(section, "filters", here)
        wrong = [code for code in filters if not CODE.fullmatch(str(code))]
        if wrong:
            raise KnowledgeError(f"{here}: filters: unknown filter {wrong[0]!r} (sub:<subsector>, "
                                 "lang:<language>, ch:<channel>, st:<status> or registered)")
        groups = {code: word_group(filters, code, f"{here}: filters") for code in filters}
        return cls(groups, word_group(section, "except", here), word_group(section, "about", here))

    @functools.cached_property
    def entries(self) -> list[tuple[list[str], str]]:
        """(an entry's words, its code), longest entry first, worked out once."""
        found = [(entry.split(), code) for code, group in self.filters.items()
                 for entry in group]  # fmt: skip
        return sorted(found, key=lambda item: -len(item[0]))

    def named(self, text: str) -> tuple[str, ...]:
        """The filter codes a broadcast request names, longest phrase first so that "belum
        terdaftar" is not also "terdaftar"; none if it names an exception ("selain kuliner")."""
        said = words(text)
        cut = next((i for i, w in enumerate(said) if w in self.about), len(said))
        said = said[:cut]
        if any(_find(said, entry.split(), set()) is not None for entry in self.except_words):
            return ()
        taken: set[int] = set()
        found: list[str] = []
        for entry, code in self.entries:
            start = _find(said, entry, taken)
            if start is not None:
                taken.update(range(start, start + len(entry)))
                if code not in found:
                    found.append(code)
        return tuple(found)


def _find(said: list[str], entry: list[str], taken: set[int]) -> int | None:
    """Where `entry` first occurs in `said` on words not `taken` yet, or None."""
    size = len(entry)
    for start in range(len(said) - size + 1):
        span = range(start, start + size)
        if said[start : start + size] == entry and taken.isdisjoint(span):
            return start
    return None
