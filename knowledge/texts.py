"""UI texts per language, from `knowledge/texts/<lang>/*.yaml`, rendered with Jinja2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from jinja2 import Template, TemplateError

from knowledge.languages import DEFAULT_LANGUAGE, LANGUAGES
from knowledge.templating import make_environment


class KnowledgeError(Exception):
    """A knowledge file is malformed; the message names the file and the entry."""


class Texts:
    """Every UI text by language and key, compiled once."""

    def __init__(self, templates: dict[str, dict[str, Template]], globals_: dict[str, Any]):
        self._templates = templates
        self._globals = globals_

    @classmethod
    def load(cls, folder: Path, globals_: dict[str, Any] | None = None) -> Texts:
        """Load and compile `folder/<lang>/*.yaml`; raise KnowledgeError on any problem."""
        env = make_environment()
        templates: dict[str, dict[str, Template]] = {}
        for lang in LANGUAGES:
            templates[lang] = {}
            for path in sorted((folder / lang).glob("*.yaml")):
                for key, source in _read_mapping(path).items():
                    if key in templates[lang]:
                        raise KnowledgeError(f"{path}: {key}: defined twice")
                    if not isinstance(source, str):
                        raise KnowledgeError(f"{path}: {key}: must be a text")
                    try:
                        templates[lang][key] = env.from_string(source.strip())
                    except TemplateError as exc:
                        raise KnowledgeError(f"{path}: {key}: {exc}") from exc
        return cls(templates, globals_ or {})

    def keys(self, lang: str) -> set[str]:
        return set(self._templates.get(lang, {}))

    def has(self, key: str) -> bool:
        return key in self._templates[DEFAULT_LANGUAGE]

    def render(self, lang: str, key: str, **data: Any) -> str:
        """Render text `key` in `lang` (Indonesian if missing there) with `data` as variables."""
        table = self._templates.get(lang, {})
        template = table.get(key) or self._templates[DEFAULT_LANGUAGE].get(key)
        if template is None:
            raise KeyError(f"no text {key!r}")
        return template.render({**self._globals, **data}).strip()

    def missing(self) -> list[str]:
        """'lang: key' for every key present in one language but not another."""
        every = set().union(*(self.keys(lang) for lang in LANGUAGES))
        return [f"{lang}: {key}" for lang in LANGUAGES for key in sorted(every - self.keys(lang))]


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: must be a mapping of key: text")
    return data
