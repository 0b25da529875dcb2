"""Curated content: UI texts, FAQ entries and office contacts, loaded from data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.faq import Faq, load_faq, load_out_of_scope
from knowledge.normalise import Normaliser
from knowledge.texts import KnowledgeError, Texts

KNOWLEDGE_DIR = Path(__file__).resolve().parent

__all__ = ["KNOWLEDGE_DIR", "Faq", "Knowledge", "KnowledgeError", "load_knowledge"]


@dataclass
class Knowledge:
    """Everything loaded from `knowledge/`; replaced whole on reload."""

    texts: Texts
    contacts: dict[str, Any] = field(default_factory=dict)
    faq: Faq | None = None  # entries + matcher; None only for a Knowledge built by hand


def load_contacts(path: Path) -> dict[str, Any]:
    """The office contacts from `contacts.yaml`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: must be a mapping of office key to details")
    return data


def load_knowledge(folder: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Load every knowledge file under `folder`; raise KnowledgeError naming file and entry."""
    contacts = load_contacts(folder / "contacts.yaml")
    texts = Texts.load(folder / "texts", {"contacts": contacts})
    normaliser = Normaliser.load(folder / "normalise.yaml")
    out_of_scope = load_out_of_scope(folder / "out_of_scope.yaml")
    faq = load_faq(folder / "faq", contacts, normaliser, out_of_scope)
    return Knowledge(texts=texts, contacts=contacts, faq=faq)
