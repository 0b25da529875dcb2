"""The registration fields: order, kind, limits, options, and validation of typed answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# Version of the privacy notice the user agrees to; stored with every registration. A new wording
# gets a new version, so a record always names the text that was shown. 2026-12-v2 (2026-12-04) is
# v1 shortened (845 -> under 600 characters) with the same terms: what is stored, why, who sees
# it, how long, the rights and their commands. Consents given to v1 stay valid and keep their
# version (a form consented under v1 and finished later is stored with v1); nobody is asked
# again. The v1 text: git show 8d488fb:knowledge/texts/<lang>/register.yaml (docs/registration.md).
POLICY_VERSION = "2026-12-v2"

# Largest first (FACTS.md §6), then the other Kemenparekraf subsectors, then "other".
SUBSECTORS = (
    "kuliner", "fesyen", "kriya", "aplikasi", "permainan", "arsitektur", "desain_interior",
    "dkv", "desain_produk", "film", "fotografi", "musik", "penerbitan", "periklanan",
    "seni_pertunjukan", "seni_rupa", "tv_radio", "lainnya",
)  # fmt: skip
SCALES = ("mikro", "kecil", "menengah")
EXPORT = ("none", "once", "regular")
INTERESTS = ("showcase", "matching", "training", "export_info")


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"  # one of `options`, by button
    MULTI = "multi"  # several of `options`, toggled, then Done
    PHONE = "phone"
    EMAIL = "email"
    NIB = "nib"
    WEBSITE = "website"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    min_len: int = 1
    max_len: int = 0
    optional: bool = False
    options: tuple[str, ...] = ()
    parent: str | None = None  # asked only when the parent's answer is one of `when`
    when: tuple[str, ...] = ()
    multiline: bool = False  # may keep line breaks and tabs (other control characters never)
    topic: str | None = None  # the FAQ topic about this field: asked mid-form, it says if optional

    @property
    def option_key(self) -> str:
        """Text-key prefix of the option labels: `register.<name>.<option>`."""
        return f"register.{self.name}"


FIELDS = (
    Field("owner_name", Kind.TEXT, 2, 100),
    Field("business_name", Kind.TEXT, 2, 100),
    Field("subsector", Kind.CHOICE, options=SUBSECTORS),
    Field("subsector_other", Kind.TEXT, 3, 60, parent="subsector", when=("lainnya",)),
    Field("description", Kind.TEXT, 10, 500, multiline=True),
    Field("city", Kind.TEXT, 3, 60),
    Field("district", Kind.TEXT, 3, 60),
    Field("phone", Kind.PHONE, max_len=30),
    Field("email", Kind.EMAIL, 1, 254, optional=True),
    Field("nib", Kind.NIB, 13, 13, optional=True, topic="nib-oss"),
    Field("scale", Kind.CHOICE, options=SCALES),
    Field("export_experience", Kind.CHOICE, options=EXPORT),
    Field("export_countries", Kind.TEXT, 3, 200, parent="export_experience", when=EXPORT[1:]),
    Field("interests", Kind.MULTI, options=INTERESTS),
    Field("website", Kind.WEBSITE, 4, 200, optional=True),
)
BY_NAME = {field.name: field for field in FIELDS}


class Invalid(Exception):
    """An answer was refused; `code` names the text `register.err.<code>`, `data` its values."""

    def __init__(self, code: str, **data: Any) -> None:
        super().__init__(code)
        self.code = code
        self.data = data


def is_active(field: Field, answers: dict[str, Any]) -> bool:
    """True if the field is asked, given the answers so far."""
    return field.parent is None or answers.get(field.parent) in field.when


def active_fields(answers: dict[str, Any]) -> list[Field]:
    """The fields asked, in order, given the answers so far."""
    return [field for field in FIELDS if is_active(field, answers)]


def check_length(field: Field, value: str) -> str:
    """Refuse empty, too short and too long answers, stating the limit."""
    if not value:
        raise Invalid("empty")
    if field.max_len and len(value) > field.max_len:
        raise Invalid("too_long", max=field.max_len, length=len(value))
    if len(value) < field.min_len:
        raise Invalid("too_short", min=field.min_len)
    return value


def validate_text(field: Field, text: str) -> str:
    """A free-text answer, stored verbatim apart from surrounding spaces; needs a letter."""
    value = check_length(field, text.strip())
    if not any(ch.isalpha() for ch in value):
        raise Invalid("no_letters")
    return value


def validate_email_address(field: Field, text: str) -> str:
    """An e-mail address with valid syntax (no network lookup), normalised."""
    # imported on first use: its rules cost every process ~25 ms of start-up CPU
    from email_validator import EmailNotValidError, validate_email

    value = check_length(field, text.strip())
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid("email") from exc


def validate_nib(field: Field, text: str) -> str:
    """An NIB: exactly 13 digits (spaces, dots and dashes between them are ignored)."""
    digits = re.sub(r"[\s.\-]", "", text)
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise Invalid("nib", length=len(digits))
    return digits


_HANDLE = re.compile(r"@[A-Za-z0-9._]{1,30}")
# "IG: tokoku", "instagram @tokoku", "tiktok tokoku": a social account named by its platform
_LABELLED = re.compile(
    r"(?<![\w./@])(?P<site>instagram|insta|ig|tiktok|tik tok|facebook|fb|twitter)"
    r"(?:\s*[:=]\s*@?|\s+@?|@)(?P<name>[A-Za-z0-9._]{1,30})(?![\w/@])",
    re.IGNORECASE,
)
_SITES = {"ig": "instagram.com/", "insta": "instagram.com/", "instagram": "instagram.com/",
          "tiktok": "tiktok.com/@", "tik tok": "tiktok.com/@", "fb": "facebook.com/",
          "facebook": "facebook.com/", "twitter": "x.com/"}  # fmt: skip
_ADDRESS = re.compile(r"(https?://)?[^\s/@.,;]+(\.[^\s/@.,;]+)+(/\S*)?", re.IGNORECASE)


def validate_website(field: Field, text: str) -> str:
    """Web addresses or @handles, separated by commas or spaces; "IG: name" becomes its link."""
    value = check_length(field, _LABELLED.sub(_account_link, text.strip()))
    parts = [part for part in re.split(r"[\s,;]+", value) if part]
    if not all(_HANDLE.fullmatch(part) or _ADDRESS.fullmatch(part) for part in parts):
        raise Invalid("website")
    return value


def _account_link(match: re.Match[str]) -> str:
    return _SITES[match["site"].lower()] + match["name"]


TEXT_VALIDATORS = {
    Kind.TEXT: validate_text,
    Kind.EMAIL: validate_email_address,
    Kind.NIB: validate_nib,
    Kind.WEBSITE: validate_website,
}


def texts_needed() -> list[str]:
    """The UI texts each language must have for the form: question, label, option labels."""
    keys = []
    for field in FIELDS:
        keys += [f"register.q.{field.name}", f"register.label.{field.name}"]
        keys += [f"{field.option_key}.{option}" for option in field.options]
    return keys
