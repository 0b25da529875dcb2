"""Every UI text the code names literally exists in every language (a key missing everywhere
is invisible to the per-language comparison in check-knowledge)."""

from __future__ import annotations

import ast
from pathlib import Path

from handlers.registration.fields import texts_needed
from knowledge import load_knowledge
from knowledge.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
# ctx.say(key, ...), ctx.t(key, ...), ctx.button(key, payload, ...), texts.render(lang, key, ...)
KEY_ARGUMENT = {"say": 0, "t": 0, "button": 0, "render": 1}


def keys_in_code() -> dict[str, str]:
    """Text key -> the file naming it, for every literal key under handlers/ and channels/."""
    found = {}
    for folder in ("handlers", "channels"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                index = KEY_ARGUMENT.get(node.func.attr)
                if index is None or len(node.args) <= index:
                    continue
                arg = node.args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." in arg.value:
                    found.setdefault(arg.value, str(path.relative_to(ROOT)))
    return found


def test_every_text_the_code_names_exists_in_every_language() -> None:
    texts = load_knowledge().texts
    used = {**keys_in_code(), **dict.fromkeys(texts_needed(), "handlers/registration/fields.py")}
    assert len(used) > 100  # the scan sees the code
    missing = [f"{where}: {lang}: {key}" for key, where in sorted(used.items())
               for lang in LANGUAGES if key not in texts.keys(lang)]  # fmt: skip
    assert missing == []
