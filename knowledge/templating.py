"""The one Jinja2 environment: plain text, sandboxed, strict about unknown variables.

Templates come only from the knowledge files; user-supplied values are passed as data.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined, Template, nodes
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


# --- Staff-written templates (broadcasts): a restricted language with bounded cost -------------
#
# The sandbox stops escapes but not work: loops, `*` and `**` can take minutes and gigabytes.
# A staff template may therefore use only what personalisation needs: text, the named
# variables, string constants, a few filters that are linear in their input, `~`, `if`/`else`
# and comparisons. Rendering one is then linear in (template size x variable sizes): a few
# microseconds, cheap enough for the event loop, with nothing to time out.

SAFE_FILTERS = frozenset({"default", "d", "upper", "lower", "title", "capitalize", "trim"})
SAFE_TESTS = frozenset({"defined", "undefined", "none"})
MAX_SOURCE = 4000  # characters of template source
MAX_CONSTANT = 500  # characters of one string constant

_PLAIN = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Not, nodes.And, nodes.Or,
    nodes.CondExpr, nodes.Concat, nodes.Compare, nodes.Operand,
)  # fmt: skip
_COMPARISONS = frozenset({"eq", "ne", "in", "notin"})  # linear in their operands
# Each refused construct: (the kind of problem, as the staff member typed it). The kind names
# the explanation text (`broadcast.refused.<kind>`) in the staff member's language.
_CONSTRUCTS = {
    nodes.For: ("loop", "{% for %}"), nodes.Macro: ("tag", "{% macro %}"),
    nodes.CallBlock: ("tag", "{% call %}"), nodes.Assign: ("tag", "{% set %}"),
    nodes.AssignBlock: ("tag", "{% set %}"), nodes.With: ("tag", "{% with %}"),
    nodes.FilterBlock: ("tag", "{% filter %}"), nodes.Include: ("tag", "{% include %}"),
    nodes.Import: ("tag", "{% import %}"), nodes.FromImport: ("tag", "{% from %}"),
    nodes.Extends: ("tag", "{% extends %}"), nodes.Block: ("tag", "{% block %}"),
    nodes.Call: ("call", "( )"), nodes.Getattr: ("attribute", "."),
    nodes.Getitem: ("index", "[ ]"), nodes.Slice: ("index", "[ : ]"),
    nodes.Mul: ("arithmetic", "*"), nodes.Pow: ("arithmetic", "**"),
    nodes.Add: ("arithmetic", "+"), nodes.Sub: ("arithmetic", "-"),
    nodes.Div: ("arithmetic", "/"), nodes.FloorDiv: ("arithmetic", "//"),
    nodes.Mod: ("arithmetic", "%"), nodes.Neg: ("arithmetic", "-"),
    nodes.Pos: ("arithmetic", "+"), nodes.List: ("collection", "[ ]"),
    nodes.Tuple: ("collection", "( , )"), nodes.Dict: ("collection", "{ }"),
}  # fmt: skip


class TemplateRefused(Exception):
    """A staff template uses something outside the restricted language.

    `kind` names the problem (loop, arithmetic, filter, ...), `detail` shows it as typed.
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail = kind, detail


def check_bounded(source: str) -> nodes.Template:
    """Parse `source` and refuse every construct outside the restricted language.

    Raises jinja2.TemplateSyntaxError for bad syntax and TemplateRefused for a construct that
    is not allowed; returns the tree (the caller checks which variables it names).
    """
    if len(source) > MAX_SOURCE:
        raise TemplateRefused("source_long", str(MAX_SOURCE))
    try:
        tree = _SHARED.parse(source)
        for node in tree.find_all(nodes.Node):
            _check_node(node)
    except RecursionError:
        raise TemplateRefused("nested") from None
    return tree


def _check_node(node: nodes.Node) -> None:
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            raise TemplateRefused("tag", "{% set %}")
        return  # unknown names are reported by the caller, with the list of allowed ones
    if isinstance(node, nodes.Const):
        if isinstance(node.value, str) and len(node.value) > MAX_CONSTANT:
            raise TemplateRefused("constant_long", str(MAX_CONSTANT))
        return
    if isinstance(node, nodes.Filter | nodes.Test):
        _check_call(node, SAFE_FILTERS if isinstance(node, nodes.Filter) else SAFE_TESTS)
        return
    if isinstance(node, nodes.Operand) and node.op not in _COMPARISONS:
        raise TemplateRefused("comparison", node.op)
    if isinstance(node, _PLAIN):
        return
    raise TemplateRefused(*_CONSTRUCTS.get(type(node), ("tag", type(node).__name__)))


def _check_call(node: nodes.Filter | nodes.Test, allowed: frozenset[str]) -> None:
    kind = "filter" if isinstance(node, nodes.Filter) else "test"
    if node.name not in allowed:
        raise TemplateRefused(kind, node.name)
    if node.kwargs or node.dyn_args or node.dyn_kwargs or len(node.args) > 1:
        raise TemplateRefused("arguments", node.name)
