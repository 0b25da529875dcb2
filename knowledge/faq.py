"""FAQ entries from `knowledge/faq/*.yaml`: loading, validation and the topic menu."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml
from jinja2 import Template, TemplateError

from knowledge.dates import jakarta_today
from knowledge.examples import Examples
from knowledge.faq_schema import GROUPS, check_entry
from knowledge.languages import LANGUAGES
from knowledge.matcher import OUT_OF_SCOPE, Matcher
from knowledge.normalise import Normaliser
from knowledge.semantic import SemanticIndex, SemanticOptions
from knowledge.templating import compile_template
from knowledge.texts import KnowledgeError

T = TypeVar("T")

REQUIRED_TOPICS = (
    "little-bandung-what", "little-bandung-join", "little-bandung-cost", "little-bandung-products",
    "little-bandung-location", "sister-city-what", "sister-city-bandung-pj", "sister-city-list",
    "paradiplomacy", "mea-what", "mea-impact-sme", "mea-members", "creative-economy-what",
    "creative-subsectors", "registration-how", "registration-status", "registration-edit",
    "data-privacy", "contact-office", "nib-oss", "halal-cert", "pirt-bpom", "trademark",
    "export-basics", "umkm-definition", "financing", "events-schedule", "training-programs",
    "bot-help", "broadcast-subscribe", "buy-from-bandung", "partner-petaling-jaya", "umkm-numbers",
)  # fmt: skip
ANSWER_MAX = 600  # characters once rendered: a phone screen (the rest goes under `more`)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster
Questions = dict[str, list[str]]  # questions per language


@dataclass(frozen=True)
class FaqEntry:
    """One topic: titles, sample questions and answer templates per language."""

    id: str
    group: str
    title: dict[str, str]
    questions: dict[str, tuple[str, ...]]
    keywords: tuple[str, ...]
    answer: dict[str, Template]
    related: tuple[str, ...]
    source: str
    confidence: str
    file: str
    review_by: date | None = None  # a curator re-checks the facts by then
    dates: dict[str, date] = field(default_factory=dict)  # named dates the answer depends on
    more: dict[str, Template] = field(default_factory=dict)  # the rest, behind a "more" button

    def render(self, lang: str, contacts: dict, today: date, part: str = "answer") -> str:
        """The answer (or its `more` part) in `lang` as it reads on `today`."""
        template = (self.answer if part == "answer" else self.more)[lang]
        return template.render(contacts=contacts, today=today, dates=self.dates).strip()


class Faq:
    """Every FAQ entry by id, the topic menu, and the matcher built over them."""

    def __init__(
        self,
        entries: list[FaqEntry],
        matcher: Matcher,
        contacts: dict[str, Any],
        out_of_scope: Questions | None = None,
    ):
        self.entries = {entry.id: entry for entry in entries}
        self.matcher = matcher
        self.contacts = contacts
        self.out_of_scope = dict(out_of_scope or {})  # out_of_scope.yaml, indexed in the matcher
        self.clock: Callable[[], date] = jakarta_today  # tests set another day
        # What is made of answers as they read on `_made_on` (an answer depends on the day
        # only): rendering one through Jinja2 cost ~20 us of every FAQ message, drawing its
        # reply with buttons ~15 us more. At most topics x languages x 3.
        self._made: dict[tuple[str, ...], Any] = {}
        self._made_on: date | None = None

    def get(self, topic: str) -> FaqEntry | None:
        return self.entries.get(topic)

    def groups(self) -> list[str]:
        """Menu groups that have at least one topic, in menu order."""
        present = {entry.group for entry in self.entries.values()}
        return [group for group in GROUPS if group in present]

    def topics_in(self, group: str) -> list[FaqEntry]:
        return [entry for entry in self.entries.values() if entry.group == group]

    def title(self, topic: str, lang: str) -> str:
        return self.entries[topic].title[lang]

    def render(self, topic: str, lang: str) -> str:
        """The answer of `topic` in `lang` as it reads today, with the office contacts."""
        return self._render(topic, lang, "answer")

    def has_more(self, topic: str) -> bool:
        """True if `topic` has more to say behind a "more" button."""
        entry = self.entries.get(topic)
        return entry is not None and bool(entry.more)

    def render_more(self, topic: str, lang: str) -> str:
        """The rest of a long answer (the "more" button), as it reads today."""
        return self._render(topic, lang, "more")

    def _render(self, topic: str, lang: str, part: str) -> str:
        return self.made_today(
            (part, topic, lang),
            lambda today: self.entries[topic].render(lang, self.contacts, today, part=part),
        )

    def made_today(self, key: tuple[str, ...], make: Callable[[date], T]) -> T:
        """`make(today)`, made once a day per `key`: an answer, or a reply drawn from one
        (immutable: every caller gets the same object). A /reload makes a new Faq."""
        today = self.clock()
        if today != self._made_on:  # a new day: answers may read differently
            self._made, self._made_on = {}, today
        try:
            return self._made[key]
        except KeyError:
            made = self._made[key] = make(today)
            return made

    def add_phrasings(self, topic: str, lang: str, texts: list[str]) -> int:
        """Add curated sample questions to the matcher; returns how many were new."""
        if topic not in self.entries:
            raise KeyError(topic)
        return sum(self.matcher.add_sample(topic, lang, text) for text in texts)


def load_faq(
    folder: Path,
    contacts: dict[str, Any],
    normaliser: Normaliser,
    out_of_scope: Questions,
    semantic: SemanticOptions | None = None,
    by_meaning: Questions | None = None,
    examples: Examples | None = None,
) -> Faq:
    """Load and validate every `folder/*.yaml` (and the topics of `examples`, examples.yaml);
    raise KnowledgeError listing every problem."""
    entries, errors, _warnings = validate_faq(folder, contacts)
    examples = examples or Examples()
    errors += [f"examples.yaml: {p}" for p in examples.problems({e.id for e in entries})]
    if errors:
        raise KnowledgeError("\n".join(errors))
    rows = examples.rows(OUT_OF_SCOPE) if semantic is not None else []
    return build_faq(entries, contacts, normaliser, out_of_scope, semantic, by_meaning, rows)


def build_faq(
    entries: list[FaqEntry],
    contacts: dict[str, Any],
    normaliser: Normaliser,
    out_of_scope: Questions | None = None,
    semantic: SemanticOptions | None = None,
    by_meaning: Questions | None = None,
    examples: Sequence[tuple[str, str]] = (),
) -> Faq:
    """The Faq with a matcher over the sample questions, keywords and titles, and the
    out-of-scope questions as a pseudo-topic that always falls back; with `semantic`, the
    embedding stage over the same samples and the out-of-scope examples `by_meaning` (that
    stage's only: their words do not change the lexical matcher's rarity weights), and its
    (topic, line) `examples` (examples.yaml; off-topic ones under OUT_OF_SCOPE)."""
    matcher = Matcher(normaliser)
    for entry in entries:
        questions = [(lang, q) for lang in LANGUAGES for q in entry.questions[lang]]
        today = jakarta_today()
        answers = [entry.render(lang, contacts, today) for lang in LANGUAGES]
        answers += [entry.render(lang, contacts, today, "more") for lang in entry.more]
        matcher.add_topic(entry.id, questions, [*entry.keywords, *entry.title.values()], answers)
    if out_of_scope:
        matcher.add_topic(
            OUT_OF_SCOPE, [(lg, q) for lg, qs in out_of_scope.items() for q in qs], []
        )
    if semantic is not None:
        samples = [(sample.topic, sample.text) for sample in matcher.samples]
        extra = [(OUT_OF_SCOPE, q) for qs in (by_meaning or {}).values() for q in qs]
        extra += examples
        matcher.attach_semantic(SemanticIndex.build(semantic, samples, extra))
    return Faq(entries, matcher, contacts, out_of_scope)


def load_out_of_scope(path: Path, key: str = "questions") -> Questions:
    """The questions of `out_of_scope.yaml` per language (none if the file is absent); with
    `key="by_meaning"`, the semantic stage's own examples (optional)."""
    if not path.exists():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc
    questions = data.get(key) if isinstance(data, dict) else None
    if key != "questions" and questions is None:
        return {}
    if not isinstance(questions, dict) or set(questions) - set(LANGUAGES):
        raise KnowledgeError(f"{path}: needs `{key}:` with lists for {', '.join(LANGUAGES)}")
    for lang, items in questions.items():
        if not isinstance(items, list) or not all(isinstance(q, str) and q.strip() for q in items):
            raise KnowledgeError(f"{path}: {key}.{lang}: must be a list of questions")
    return {lang: list(items) for lang, items in questions.items()}


def validate_faq(
    folder: Path, contacts: dict[str, Any]
) -> tuple[list[FaqEntry], list[str], list[str]]:
    """Entries, errors and warnings ("file: entry: problem") for the FAQ files in `folder`."""
    entries: list[FaqEntry] = []
    errors: list[str] = []
    warnings: list[str] = []
    files = sorted(folder.glob("*.yaml"))
    if not files:
        errors.append(f"{folder}: no FAQ files (*.yaml)")
    for path in files:
        for number, raw in enumerate(_read_list(path, errors), 1):
            entry = _entry(raw, path, number, contacts, errors, warnings)
            if entry is not None:
                entries.append(entry)
    _check_links(entries, errors)
    return entries, errors, warnings


def _read_list(path: Path, errors: list[str]) -> list[Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{path}: not valid YAML: {exc}")
        return []
    if not isinstance(data, list):
        errors.append(f"{path}: must be a list of FAQ entries (each starting with '- id:')")
        return []
    return data


def _entry(
    raw: Any, path: Path, number: int, contacts: dict, errors: list[str], warnings: list[str]
) -> FaqEntry | None:
    """Check one raw entry (faq_schema); append problems; return the entry if usable."""
    name = raw.get("id") if isinstance(raw, dict) else None
    where = f"{path}: {name if isinstance(name, str) else f'entry {number}'}"
    checked, problems = check_entry(raw)
    errors += [f"{where}: {problem}" for problem in problems]
    if checked is None:
        return None
    if not 1 <= len(checked.related) <= 4:
        warnings.append(f"{where}: related has {len(checked.related)} topics (aim for 1-4)")
    dates = dict(checked.dates)
    answer = _templates(checked.texts("answer"), "answer", where, contacts, dates, errors, warnings)
    more = {}
    if checked.more is not None:
        more = _templates(checked.texts("more"), "more", where, contacts, dates, errors, warnings)
    if len(answer) < len(LANGUAGES) or len(more) not in (0, len(LANGUAGES)):
        return None
    return FaqEntry(
        id=checked.id,
        group=checked.group,
        title=checked.texts("title"),
        questions={lang: tuple(items) for lang, items in checked.texts("questions").items()},
        keywords=tuple(str(k) for k in checked.keywords),
        answer=answer,
        related=tuple(checked.related),
        source=checked.source,
        confidence=checked.confidence,
        file=str(path),
        review_by=checked.review_by,
        dates=dates,
        more=more,
    )


def _templates(
    sources: dict[str, str], part: str, where: str, contacts: dict, dates: dict, errors, warnings
) -> dict[str, Template]:
    """The `answer` (or `more`) templates, each rendered today and on both sides of every date
    it depends on, to prove that it renders."""
    days = [jakarta_today()] + [d + timedelta(days=k) for d in dates.values() for k in (-1, 0)]
    compiled = {}
    for lang, source in sources.items():
        try:
            template = compile_template(source)
            texts = [template.render(contacts=contacts, today=day, dates=dates) for day in days]
        except TemplateError as exc:
            errors.append(f"{where}: {part}.{lang}: template does not render: {exc}")
            continue
        longest = max(len(text.strip()) for text in texts)
        if longest > ANSWER_MAX:
            warnings.append(f"{where}: {part}.{lang} is {longest} characters"
                            f" (aim <= {ANSWER_MAX}; put the rest under `more`)")  # fmt: skip
        compiled[lang] = template
    return compiled


def _check_links(entries: list[FaqEntry], errors: list[str]) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen:
            errors.append(f"{entry.file}: {entry.id}: duplicate id (also in {seen[entry.id]})")
        seen.setdefault(entry.id, entry.file)
    for entry in entries:
        for topic in entry.related:
            if topic not in seen:
                errors.append(f"{entry.file}: {entry.id}: related topic {topic!r} does not exist")
            elif topic == entry.id:
                errors.append(f"{entry.file}: {entry.id}: related lists the topic itself")
    if entries:
        for topic in REQUIRED_TOPICS:
            if topic not in seen:
                errors.append(f"FAQ: required topic {topic!r} is missing")
