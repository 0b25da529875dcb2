"""intents.yaml read into checked word lists: its sections, the actions' patterns and their
errors (a KnowledgeError naming the file and the section), apart from how a message is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge.langdetect import words
from knowledge.texts import KnowledgeError

MAX_LEFT = 1  # words a request may carry that none of its lists explains ("daftar usaha kuliner")
Group = frozenset[str]


@dataclass(frozen=True)
class Pattern:
    groups: tuple[Group, ...]  # one word of every group must be present
    max_left: int = MAX_LEFT


@dataclass(frozen=True)
class Action:
    name: str
    patterns: tuple[Pattern, ...]
    also: Group
    how_ok: bool
    object_next: Group  # verbs whose next word is what it acts on ("hapus foto" is not data)
    unless: Group  # words that make it a question about something else ("join the exhibition")
    general: Group  # ... a question in general, unless the user says it is theirs ("how long")
    words: Group  # every word and phrase of its patterns and `also`
    how_phrases: Group  # ... its phrases that hold or are a `how` entry ("when there is")


def mapping(data: Any, key: str, where: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        raise KnowledgeError(f"{where}: {key}: must be a mapping")
    return value


def chat_forms(data: dict[str, Any], key: str, where: str) -> dict[str, str]:
    """A mapping of chat spellings to the word the lists know ("u" -> "you"); may be absent."""
    value = data.get(key) or {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(words(k)) == 1 == len(words(v))
        for k, v in value.items()
    ):
        raise KnowledgeError(f"{where}: {key}: must map single words to single words")
    return {words(k)[0]: words(v)[0] for k, v in value.items()}


def word_group(data: dict[str, Any], key: str, where: str) -> Group:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise KnowledgeError(f"{where}: {key}: must be a list of words or phrases")
    flags = [v for v in value if isinstance(v, bool)]  # YAML reads a bare yes/no/on/off so
    if flags:
        raise KnowledgeError(f"{where}: {key}: put yes, no, on and off in quotes (\"no\")")
    return frozenset(" ".join(words(str(v))) for v in value if words(str(v)))


def choice_groups(data: dict[str, Any], key: str, where: str) -> dict[str, dict[str, Group]]:
    """Per question, per button, the whole answers that mean it (`form_choices`); an entry that
    means two buttons of one question is refused."""
    found = {}
    for question in mapping(data, key, where):
        here = f"{where}: {key}: {question}"
        groups = {name: word_group(mapping(data[key], question, f"{where}: {key}"), name, here)
                  for name in mapping(data[key], question, f"{where}: {key}")}  # fmt: skip
        for name, group in groups.items():
            for other, taken in groups.items():
                both = sorted(group & taken) if name < other else ()
                if both:
                    raise KnowledgeError(f"{here}: {name} and {other} both hold {both[0]!r}")
        found[question] = groups
    return found


def action_spec(name: str, data: dict[str, Any], where: str) -> Action:
    spec = mapping(mapping(data, "actions", where), name, f"{where}: actions")
    here = f"{where}: actions: {name}"
    patterns = spec.get("need")
    if not isinstance(patterns, list) or not patterns:
        raise KnowledgeError(f"{here}: need: must be a list of patterns (lists of word groups)")
    compiled = [pattern_spec(pattern, f"{here}: need: pattern {n}") for n, pattern in enumerate(patterns, 1)]
    unless, general = (word_group(spec, key, here) if key in spec else frozenset()
                       for key in ("unless", "general"))  # fmt: skip
    also = word_group(spec, "also", here)
    every = also.union(*(group for pattern in compiled for group in pattern.groups))
    how = set(word_group(data, "how", where))
    phrases = frozenset(p for p in every if " " in p  # holds a how word or phrase: "what are ..."
                        and any(f" {h} " in f" {p} " for h in how))  # fmt: skip
    verbs = frozenset().union(*(group for pattern in compiled for group in pattern.groups))
    objects = spec.get("object_next")  # true: after any of its words; a list: after those
    object_next = word_group(spec, "object_next", here) if isinstance(objects, list) else (
        verbs if objects else frozenset()
    )
    return Action(
        name, tuple(compiled), also, bool(spec.get("how_ok")), object_next,
        unless, general, every, phrases,
    )


def pattern_spec(raw: Any, where: str) -> Pattern:
    """`[group, ...]`, or `{all: [group, ...], max_left: N}` for a stricter pattern."""
    max_left = MAX_LEFT
    if isinstance(raw, dict):
        max_left = raw.get("max_left", MAX_LEFT)
        if not isinstance(max_left, int) or max_left < 0:
            raise KnowledgeError(f"{where}: max_left must be a whole number >= 0")
        raw = raw.get("all")
    if not isinstance(raw, list) or not raw:
        raise KnowledgeError(f"{where}: must be a list of word groups (or all: + max_left:)")
    groups = {f"group {i}": group for i, group in enumerate(raw, 1)}
    return Pattern(tuple(word_group(groups, key, where) for key in groups), max_left)
