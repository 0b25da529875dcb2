"""A broadcast's text per language: which version a recipient gets (selection only).

Choosing the version is kept apart from evaluating it (handlers.broadcast.compose), so the
template's bounds apply the same to every version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from knowledge.languages import LANGUAGES

T = TypeVar("T")


def version_for(main: T, versions: Mapping[str, T], lang: str) -> T:
    """The version in `lang`, else the main one."""
    return versions.get(lang, main)


def cleaned(versions: Mapping[str, str] | None) -> dict[str, str]:
    """Versions in the supported languages with some text, stripped; others are dropped."""
    return {
        lang: text.strip()
        for lang, text in (versions or {}).items()
        if lang in LANGUAGES and isinstance(text, str) and text.strip()
    }
