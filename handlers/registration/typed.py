"""Typed words the registration form reads itself, with the word lists of knowledge/intents.yaml:
a yes or no to the consent question, a question about the pending question, a field named, the
programmes a typed list names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.intents import IntentRules
from knowledge.langdetect import words


def consent_answer(rules: IntentRules, text: str) -> str | None:
    """A whole typed yes ("agree": "iya", "muhun") or no ("decline": "ga", "henteu", "ga jadi
    deh") to the consent question (intents.yaml `consent`, address words aside); None for
    anything else ("wow" or a question is no consent: UU 27/2022 asks for an explicit one)."""
    return {"yes": "agree", "no": "decline"}.get(rules.choice("consent", text) or "")


def asks_if_required(rules: IntentRules, text: str, field: str = "") -> bool:
    """"ini wajib diisi?", "is this required?", "emel wajib ke?" at the e-mail question: a word
    asking whether the pending question must be answered, and nothing but words pointing at the
    form or naming the pending `field`, fillers, how-words and pronouns (intents.yaml
    `form_question`, `form_fields`)."""
    read, form, lists = rules.read(text), rules.form, rules.lists
    explained = form["required"] | form["this"] | lists["filler"] | lists["how"] | lists["own"]
    explained |= {word for name in rules.form_fields.get(field, ()) for word in name.split()}
    return bool(read.items() & form["required"]) and not read.left(explained | lists["request"])


def field_named(rules: IntentRules, text: str, fields: list[str]) -> str | None:
    """The one field of `fields` the message names ("ganti email" -> email; intents.yaml
    `form_fields`): the longest name found wins; a tie, or none, is None."""
    plain = f" {' '.join(words(text))} "
    found = {name: max((len(n) for n in rules.form_fields.get(name, ()) if f" {n} " in plain),
                       default=0) for name in fields}  # fmt: skip
    longest = max(found.values(), default=0)
    named = [name for name, size in found.items() if size and size == longest]
    return named[0] if len(named) == 1 else None


def says_done(rules: IntentRules, text: str) -> bool:
    """The whole message says the choosing is done ("siap", "udah", "that's all")."""
    return " ".join(words(text)) in rules.form_done


_LIST = re.compile(r"\s*(?:[,;&+/]|\b(?:dan|and|serta|plus|sama|ama|dengan|dgn|n)\b)\s*")


def named_options(rules: IntentRules, step: str, text: str, options: Sequence[str]) -> list[str]:
    """The options a typed list names, in their order ("training and export info", "pelatihan,
    pameran"): each part by the words for it (intents.yaml `form_choices`); empty unless every
    part names one."""
    found = []
    for part in (p for p in _LIST.split(text.strip()) if p.strip()):
        said = rules.choice(step, part)
        if said not in options:
            return []
        found.append(said)
    return sorted(set(found), key=list(options).index)
