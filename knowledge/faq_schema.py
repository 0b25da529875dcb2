"""The shape of one FAQ entry, checked by pydantic; each problem as 'field: what is wrong'.

To add a field: declare it on `EntrySchema` (with a default if older files may lack it) and,
if it needs a rule, a `field_validator` raising `problem("...")`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model, field_validator
from pydantic_core import PydanticCustomError

from knowledge.dates import as_date
from knowledge.languages import LANGUAGES

# Menu groups in menu order.
GROUPS = ("little-bandung", "sister-city", "mea", "permits", "registration", "umkm", "help")
TITLE_MAX = 24
MIN_QUESTIONS = 6
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)
# What a field of the wrong type should be, in the words of the knowledge guide.
HINTS = {
    "id": "id must be lower-case-with-dashes",
    "group": f"group must be one of {', '.join(GROUPS)}",
    "keywords": "keywords must be a list of words or phrases",
    "related": "related must be a list of topic ids",
    "source": "source must be a text",
    "confidence": "confidence must be H, M or L",
}


def problem(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as it is (no pydantic wording)."""
    return PydanticCustomError("faq", message.replace("{", "{{").replace("}", "}}"))


def _per_language(name: str, kind: Any) -> type[BaseModel]:
    """A model with one required `kind` per language, and no other key."""
    return create_model(name, __config__=_STRICT, **{lang: (kind, ...) for lang in LANGUAGES})


TextPerLanguage = _per_language("TextPerLanguage", str)
ListPerLanguage = _per_language("ListPerLanguage", list[str])


def _non_empty(field: str, value: BaseModel) -> dict[str, Any]:
    """The per-language values, stripped; an empty one is reported as missing."""
    found = {}
    for lang in LANGUAGES:
        item = getattr(value, lang)
        item = item.strip() if isinstance(item, str) else [q.strip() for q in item]
        if not item:
            raise problem(f"{field}.{lang} is missing")
        found[lang] = item
    return found


class EntrySchema(BaseModel):
    """One entry of a `knowledge/faq/*.yaml` list, as written by staff."""

    model_config = _STRICT

    id: str
    group: str
    title: TextPerLanguage
    questions: ListPerLanguage
    keywords: list[str | int]
    answer: TextPerLanguage
    related: list[str]
    source: str
    confidence: str
    review_by: date  # a curator re-checks the facts by then (check-knowledge warns after)
    more: TextPerLanguage | None = None  # the rest of a long answer, behind a "more" button
    dates: dict[str, date] = {}  # named dates the answer templates read as dates.<name>

    @field_validator("review_by", mode="before")
    @classmethod
    def _review_by(cls, value: Any) -> date:
        when = as_date(value)
        if when is None:
            raise problem("review_by must be a date (YYYY-MM-DD)")
        return when

    @field_validator("dates", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> dict[str, date]:
        if not isinstance(value, dict):
            raise problem("dates must map names to dates (halal_umk: 2026-10-17)")
        found = {}
        for name, raw in value.items():
            when = as_date(raw)
            if not isinstance(name, str) or not name.isidentifier() or when is None:
                raise problem(f"dates.{name}: must be name: YYYY-MM-DD")
            found[name] = when
        return found

    @field_validator("more")
    @classmethod
    def _more(cls, value: BaseModel | None) -> BaseModel | None:
        if value is not None:
            _non_empty("more", value)
        return value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise problem(HINTS["id"])
        return value

    @field_validator("group")
    @classmethod
    def _group(cls, value: str) -> str:
        if value not in GROUPS:
            raise problem(HINTS["group"])
        return value

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, value: str) -> str:
        if value not in ("H", "M", "L"):
            raise problem(HINTS["confidence"])
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if not value.strip():
            raise problem(HINTS["source"])
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: BaseModel) -> BaseModel:
        for lang, text in _non_empty("title", value).items():
            if len(text) > TITLE_MAX:
                raise problem(f"title.{lang} is {len(text)} characters (max {TITLE_MAX})")
        return value

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: BaseModel) -> BaseModel:
        for lang, items in _non_empty("questions", value).items():
            if not all(items):
                raise problem(f"questions.{lang}: every question must be a text")
            if len(items) < MIN_QUESTIONS:
                raise problem(f"questions.{lang}: {len(items)} (at least {MIN_QUESTIONS})")
        return value

    @field_validator("answer")
    @classmethod
    def _answer(cls, value: BaseModel) -> BaseModel:
        _non_empty("answer", value)
        return value

    def texts(self, field: str) -> dict[str, Any]:
        """A per-language field as {lang: value}, stripped."""
        return _non_empty(field, getattr(self, field))


def check_entry(raw: Any) -> tuple[EntrySchema | None, list[str]]:
    """The entry, or the problems found in it ('title.ms is missing', 'unknown field ...')."""
    if not isinstance(raw, dict):
        fields = ", ".join(sorted(EntrySchema.model_fields))
        return None, [f"must be a mapping with {fields}"]
    try:
        return EntrySchema.model_validate(raw), []
    except ValidationError as exc:
        return None, list(dict.fromkeys(_describe(error) for error in exc.errors()))


def _describe(error: dict[str, Any]) -> str:
    """One pydantic error in the words check-knowledge has always used."""
    loc = [str(part) for part in error["loc"]]
    where = ".".join(loc)
    kind = error["type"]
    if kind == "faq":
        return error["msg"]
    if kind == "missing":
        return f"missing field {where!r}" if len(loc) == 1 else f"{where} is missing"
    if kind == "extra_forbidden":
        return f"unknown field {where!r}" if len(loc) == 1 else f"{where}: unknown language"
    if kind == "model_type" and len(loc) == 1:
        return f"{where} must give {', '.join(LANGUAGES)}"
    if loc[0] in HINTS:
        return HINTS[loc[0]]
    return f"{where}: {error['msg'].lower()}"
