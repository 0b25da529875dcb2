"""Lines people of our users' kind wrote (`examples.yaml`), with what each is about: the semantic
stage reads the topic and off-topic ones as its own examples, and the language detector learns
every line's language. The lexical matcher never reads them."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.languages import LANGUAGES
from knowledge.texts import KnowledgeError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Lines = dict[str, list[str]]  # language -> lines


class Examples(BaseModel):
    """Lines per topic and language, off-topic lines and chat lines (small talk, requests)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    topics: dict[str, Lines] = {}  # topic id -> language -> lines
    out_of_scope: Lines = {}  # questions the bot must not answer
    chat: Lines = {}  # small talk and requests in words: the detector's only

    def rows(self, never: str) -> list[tuple[str, str]]:
        """(topic, line) for the semantic stage, the off-topic lines under `never`."""
        found = [(topic, line) for topic, by_lang in self.topics.items()
                 for lines in by_lang.values() for line in lines]  # fmt: skip
        found += [(never, line) for lines in self.out_of_scope.values() for line in lines]
        return [(topic, line.strip()) for topic, line in found if line.strip()]

    def lines(self, lang: str) -> list[str]:
        """Every line written in `lang`."""
        groups = [*self.topics.values(), self.out_of_scope, self.chat]
        return [line for by_lang in groups for line in by_lang.get(lang, [])]

    def problems(self, topics: set[str]) -> list[str]:
        """Topic ids not in `topics` and languages we do not speak."""
        found = [f"unknown topic {topic!r}" for topic in self.topics if topic not in topics]
        groups = [*self.topics.values(), self.out_of_scope, self.chat]
        found += [f"unknown language {lang!r} (use {', '.join(LANGUAGES)})"
                  for by_lang in groups for lang in by_lang if lang not in LANGUAGES]  # fmt: skip
        return found


def load_examples(path: Path) -> Examples:
    """The examples of `path` (none if the file is absent); KnowledgeError for a wrong shape."""
    if not path.exists():
        return Examples()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        return Examples.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "the top"
        raise KnowledgeError(
            f"{path}: wrong at {where}: needs `topics:` (topic id -> language -> lines),"
            " `out_of_scope:` and `chat:` (language -> lines)"
        ) from exc
