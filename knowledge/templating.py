"""The one Jinja2 environment: plain text, sandboxed, strict about unknown variables.

Templates come only from the knowledge files; user-supplied values are passed as data.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment


def make_environment() -> SandboxedEnvironment:
    """A sandboxed environment for plain-text templates (no autoescape: output is not HTML)."""
    return SandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


_SHARED = make_environment()


@lru_cache(maxsize=8192)
def compile_template(source: str) -> Template:
    """`source` compiled in the shared environment; cached, so reloads and tests stay cheap."""
    return _SHARED.from_string(source)


@lru_cache(maxsize=8192)
def check_syntax(source: str) -> None:
    """Raise jinja2.TemplateSyntaxError if `source` is not a valid template (cached)."""
    _SHARED.parse(source)
