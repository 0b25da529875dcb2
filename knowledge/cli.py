"""`bot.py ask` and `bot.py check-knowledge`: read-only tools over the knowledge files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from knowledge import KNOWLEDGE_DIR, Knowledge, KnowledgeError, load_contacts, load_knowledge
from knowledge.dates import check_dates, jakarta_today
from knowledge.examples import load_examples
from knowledge.faq import build_faq, load_out_of_scope, validate_faq
from knowledge.holidays import holiday_warnings
from knowledge.intents import IntentRules
from knowledge.langdetect import load_markers
from knowledge.languages import LANGUAGES
from knowledge.normalise import Normaliser
from knowledge.semantic import semantic_options
from knowledge.texts import Texts
from knowledge.understand import Understood, understand


def add_ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="answer language (default: the question's language)"
    )
    parser.add_argument("--folder", type=Path, default=KNOWLEDGE_DIR, help=argparse.SUPPRESS)
    parser.add_argument("question", nargs="*", help="questions (default: one per line on stdin)")


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--folder", type=Path, default=KNOWLEDGE_DIR, help="knowledge folder")


async def run_ask(settings: Any, args: argparse.Namespace) -> int:
    """Answer each question as the bot would (no database needed)."""
    semantic = semantic_options(
        settings.semantic_matching, settings.semantic_cache_dir, settings.semantic_threads
    )
    knowledge = load_knowledge(args.folder, semantic)
    questions = args.question or (line.strip() for line in sys.stdin)
    for question in questions:
        if not question:
            continue
        result = ask(knowledge, question, args.lang)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(
                f"? {question}\n[{result['topic'] or '-'} {result['score']}]\n{result['answer']}\n"
            )
    return 0


def ask(knowledge: Knowledge, question: str, lang: str | None = None) -> dict[str, Any]:
    """{question, topic, score, language, answer, intent, action} for one question.

    `topic` is set only when intent is `faq` and one topic answers; without `lang`, the answer
    is in the language detected in the question.
    """
    faq, texts = knowledge.faq, knowledge.texts
    understood = understand(faq, knowledge.intents, knowledge.language, question)
    lang = lang or understood.guess.language
    decision = understood.decision
    if understood.intent == "smalltalk":
        answer = texts.render(lang, f"smalltalk.{understood.small_talk}", name="")
    elif understood.intent == "action":
        answer = _action_answer(knowledge, understood, lang)
    elif decision.kind == "answer":
        answer = faq.render(decision.topic, lang)
    elif decision.kind == "suggest":
        titles = [f"{n}. {faq.title(t, lang)}" for n, t in enumerate(decision.choices, 1)]
        answer = "\n".join([texts.render(lang, "faq.did_you_mean"), *titles])
    else:
        answer = texts.render(lang, "faq.fallback_off_topic" if decision.off_topic else "faq.fallback")
    return {
        "question": question,
        "topic": understood.topic,
        "score": decision.score if decision is not None else 0.0,
        "language": lang,
        "answer": answer,
        "intent": understood.intent,
        "action": understood.action,
    }


def _action_answer(knowledge: Knowledge, understood: Understood, lang: str) -> str:
    """What the assistant does for a request in words (without a database: a description)."""
    texts = knowledge.texts
    if understood.action == "language" and understood.to:
        return texts.render(understood.to, "understand.language_chosen")
    return texts.render(lang, f"understand.action.{understood.action}")


def run_check(folder: Path, needed: Iterable[str] = ()) -> int:
    """Validate the knowledge; print errors and warnings; non-zero exit on errors."""
    errors, warnings = check_knowledge(folder, needed)
    report(errors, warnings, sys.stdout)
    return 1 if errors else 0


def report(errors: list[str], warnings: list[str], out: TextIO) -> None:
    for line in warnings:
        print(f"warning: {line}", file=out)
    for line in errors:
        print(f"error: {line}", file=out)
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)", file=out)


def check_knowledge(
    folder: Path = KNOWLEDGE_DIR, needed: Iterable[str] = (), today: date | None = None
) -> tuple[list[str], list[str]]:
    """(errors, warnings) for every knowledge file under `folder`, as of `today` (Bandung);
    `needed`: UI text keys the code uses, which every language must have."""
    errors: list[str] = []
    contacts: dict = {}
    try:
        contacts = load_contacts(folder / "contacts.yaml")
    except KnowledgeError as exc:
        errors.append(str(exc))
    try:
        texts = Texts.load(folder / "texts", {"contacts": contacts})
        errors += [f"{folder / 'texts'}: {gap} is missing" for gap in texts.missing()]
        errors += [f"{folder / 'texts'}: {lang}: {key} is missing (the code uses it)"
                   for key in needed for lang in LANGUAGES if key not in texts.keys(lang)]
    except KnowledgeError as exc:
        errors.append(str(exc))
    normaliser = None
    try:
        normaliser = Normaliser.load(folder / "normalise.yaml")
    except KnowledgeError as exc:
        errors.append(str(exc))
    out_of_scope: dict = {}
    try:
        out_of_scope = load_out_of_scope(folder / "out_of_scope.yaml")
    except KnowledgeError as exc:
        errors.append(str(exc))
    for load in (lambda: IntentRules.load(folder / "intents.yaml"),
                 lambda: load_markers(folder / "language_words.yaml"),
                 lambda: load_out_of_scope(folder / "out_of_scope.yaml", "by_meaning")):  # fmt: skip
        try:
            load()
        except KnowledgeError as exc:
            errors.append(str(exc))
    entries, faq_errors, warnings = validate_faq(folder / "faq", contacts)
    errors += faq_errors
    try:
        examples = load_examples(folder / "examples.yaml")
        ids = {entry.id for entry in entries}
        errors += [f"{folder / 'examples.yaml'}: {p}" for p in examples.problems(ids)]
    except KnowledgeError as exc:
        errors.append(str(exc))
    try:
        warnings += holiday_warnings(folder / "holidays.yaml", today or jakarta_today())
    except KnowledgeError as exc:
        errors.append(str(exc))
    date_errors, date_warnings = check_dates(entries, contacts, today or jakarta_today())
    errors += date_errors
    warnings += date_warnings
    if not errors and normaliser is not None:
        warnings += self_consistency(build_faq(entries, contacts, normaliser, out_of_scope))
    return errors, warnings


def self_consistency(faq) -> list[str]:
    """A warning for every sample question that, left out of the index, another topic answers."""
    found = []
    matcher = faq.matcher
    for index, sample in enumerate(matcher.samples):
        entry = faq.get(sample.topic)
        if entry is None:  # the out-of-scope list
            continue
        decision = matcher.decide(sample.text, exclude=index)
        if decision.out_of_scope:
            found.append(
                f"{entry.file}: {sample.topic}: questions.{sample.lang} {sample.text!r}"
                " matches knowledge/out_of_scope.yaml better than any topic"
            )
        elif decision.kind == "answer" and decision.topic != sample.topic:
            own = dict(decision.ranked).get(sample.topic, 0.0)
            found.append(
                f"{entry.file}: {sample.topic}: questions.{sample.lang}"
                f" {sample.text!r} scores {decision.score} for {decision.topic}, {own} for its own"
            )
    return found
