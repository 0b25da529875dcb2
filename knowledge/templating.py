"""The one Jinja2 environment: plain text, sandboxed, strict about unknown variables.

Templates come only from the knowledge files; user-supplied values are passed as data.
"""

from __future__ import annotations

from jinja2 import StrictUndefined
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
