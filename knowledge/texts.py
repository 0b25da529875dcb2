"""UI texts per language, from `knowledge/texts/<lang>/*.yaml`, rendered with Jinja2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from jinja2 import Template, TemplateError

from knowledge.languages import DEFAULT_LANGUAGE, LANGUAGES
from knowledge.templating import check_syntax, compile_template

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster


class KnowledgeError(Exception):
    """A knowledge file is malformed; the message names the file and the entry."""


class Texts:
    """Every UI text by language and key; syntax checked at load, compiled on first use."""

    def __init__(self, sources: dict[str, dict[str, str]], globals_: dict[str, Any]):
        self._sources = sources
        self._globals = globals_

    @classmethod
    def load(cls, folder: Path, globals_: dict[str, Any] | None = None) -> Texts:
        """Load and syntax-check `folder/<lang>/*.yaml`; raise KnowledgeError on any problem."""
        sources: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            sources[lang] = {}
            for path in sorted((folder / lang).glob("*.yaml")):
                for key, source in read_mapping(path).items():
                    if key in sources[lang]:
                        raise KnowledgeError(f"{path}: {key}: defined twice")
                    if not isinstance(source, str):
                        raise KnowledgeError(f"{path}: {key}: must be a text")
                    try:
                        if "{" in source:  # plain text (most texts) cannot be a syntax error
                            check_syntax(source.strip())
                    except TemplateError as exc:
                        raise KnowledgeError(f"{path}: {key}: {exc}") from exc
                    sources[lang][key] = source.strip()
        return cls(sources, globals_ or {})

    def keys(self, lang: str) -> set[str]:
        return set(self._sources.get(lang, {}))

    def sources(self, lang: str) -> list[str]:
        """Every text of `lang` as written (templates unrendered): corpus for language detection."""
        return list(self._sources.get(lang, {}).values())

    def has(self, key: str) -> bool:
        return key in self._sources[DEFAULT_LANGUAGE]

    def template(self, lang: str, key: str) -> Template:
        """The compiled template `key` in `lang` (Indonesian if missing there)."""
        return compile_template(self._source(lang, key))

    def render(self, lang: str, key: str, **data: Any) -> str:
        """Render text `key` in `lang` (Indonesian if missing there) with `data` as variables."""
        source = self._source(lang, key)
        if "{" not in source:  # no variable, tag or comment: the text is its own rendering
            return source
        return compile_template(source).render({**self._globals, **data}).strip()

    def _source(self, lang: str, key: str) -> str:
        if key not in self._sources.get(lang, {}):
            lang = DEFAULT_LANGUAGE
        source = self._sources[lang].get(key)
        if source is None:
            raise KeyError(f"no text {key!r}")
        return source

    def missing(self) -> list[str]:
        """'lang: key' for every key present in one language but not another."""
        every = set().union(*(self.keys(lang) for lang in LANGUAGES))
        return [f"{lang}: {key}" for lang in LANGUAGES for key in sorted(every - self.keys(lang))]


def read_mapping(path: Path, shape: str = "of key: text") -> dict[str, Any]:
    """A knowledge YAML file that must hold a mapping; KnowledgeError naming the file if not."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except OSError as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: must be a mapping {shape}")
    return data
