"""The reference CEL runtime (the Rust CEL library): compile with checks, evaluate with bindings.

The only module that touches that library. Evaluation (scope.py) asks the fast runtime
(runtime.py) first and comes here for every program it cannot settle: this one is the judge.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ccai_policy.errors import Location, RuleError
from ccai_policy.evaluate.celtokens import TokenError, bound_names, comprehension_nesting
from ccai_policy.spelling import did_you_mean

MAX_LENGTH = 2000
MAX_COMPREHENSION_NESTING = 3
#: A value inserted into a finding message is cut to this many characters.
MAX_RENDERED = 1000

_MACROS = ("all", "exists", "exists_one", "map", "filter")
_POSITION = re.compile(r"<input>:(\d+):(\d+):")

#: Named functions a rule may call (operators are always allowed).
ALLOWED_FUNCTIONS = frozenset(
    {
        "size",
        "contains",
        "startsWith",
        "endsWith",
        "matches",
        "int",
        "uint",
        "double",
        "string",
        "bool",
        "timestamp",
        "duration",
        "has",
        "dyn",
        "type",
        "getFullYear",
        "getMonth",
        "getDate",
        "getDayOfMonth",
        "getDayOfWeek",
        "getDayOfYear",
        "getHours",
        "getMinutes",
        "getSeconds",
        *_MACROS,
    }
)


class ExpressionError(Exception):
    """An expression failed while evaluating; carries the library's message."""


def cel_library() -> Any:
    """The CEL library, imported on first use and without its interactive command line.

    `import cel` also imports `cel.cli` (typer, rich, prompt_toolkit, pygments): 0.2-0.5 s of
    a cold start that evaluation never needs. A placeholder stands in for it during import.
    """
    if "cel" not in sys.modules:
        placeholder = types.ModuleType("cel.cli")
        sys.modules.setdefault("cel.cli", placeholder)
        try:
            import cel  # noqa: F401
        finally:
            if sys.modules.get("cel.cli") is placeholder:
                del sys.modules["cel.cli"]
    return sys.modules["cel"]


def _map_position(message: str, origin: Location, style: str, text: str) -> Location:
    """Map CEL's line:column inside an expression to the rule file's line:column."""
    match = _POSITION.search(message)
    if not match:
        return origin
    return map_position(int(match.group(1)), int(match.group(2)), origin, style, text)


def map_position(line: int, column: int, origin: Location, style: str, text: str) -> Location:
    """Where line:column (1-based) of a YAML scalar's value is in the file it came from.

    `origin` is where the value starts, `style` its YAML style ('' plain, '|', '>', quotes).
    """
    if not origin.line:
        return origin
    lines = text.splitlines()
    if not lines:
        return origin
    start = origin.line - 1  # 0-based index of the line the value starts on
    if style in ("|", ">"):
        content = [i for i in range(start + 1, len(lines)) if lines[i].strip()]
        if not content:
            return origin
        indent = len(lines[content[0]]) - len(lines[content[0]].lstrip(" "))
        if style == "|":
            return Location(origin.file, start + 1 + line, indent + column)
        segments = [(i, indent) for i in range(start + 1, len(lines))]
    else:
        first_column = origin.column - 1 + (1 if style else 0)
        segments = [(start, first_column)] + [
            (i, len(lines[i]) - len(lines[i].lstrip(" "))) for i in range(start + 1, len(lines))
        ]
    offset = column - 1
    for index, begin in segments:
        piece = lines[index][begin:].rstrip()
        if offset <= len(piece):
            return Location(origin.file, index + 1, begin + offset + 1)
        offset -= len(piece) + 1
    return origin


@dataclass(frozen=True)
class Compiled:
    """A compiled CEL program, the source it came from, and the same program as the fast
    runtime reads it ('': the source itself; see programs.compose_fast)."""

    source: str
    program: Any
    #: None: the reference runtime only (a program run only where the fast one failed).
    fast_source: str | None = ""

    def ready(self) -> Compiled:
        """The same, its reference program compiled now (raises RuleError if it does not)."""
        if isinstance(self.program, Deferred):
            self.program.load()
        return self


class Deferred:
    """The reference runtime's program of an expression composed from checked parts, compiled
    when first run: the fast runtime settles most programs, so most are never compiled."""

    __slots__ = ("_at", "_program", "_source", "_what")

    def __init__(self, source: str, what: str, at: tuple[Location, str, str]) -> None:
        self._source, self._what, self._at = source, what, at
        self._program: Any = None

    def load(self) -> Any:
        """The program, compiled on first call (RuleError where it does not compile)."""
        if self._program is None:
            self._program = _compiled(self._source, self._what, *self._at)
        return self._program


def compile_expression(
    source: str,
    *,
    what: str,
    origin: Location,
    style: str = "",
    text: str = "",
    known: Iterable[str] = (),
    checked: bool = True,
    fast_source: str | None = "",
    deferred: bool = False,
) -> Compiled:
    """Compile one expression, checking length, nesting, functions and variable names.

    `checked=False` is for expressions the engine composes from already checked parts;
    `deferred` (only for those) leaves the reference program to be compiled when first run.
    """
    if deferred and not checked:
        return Compiled(source, Deferred(source, what, (origin, style, text)), fast_source)
    if checked:
        _check_limits(source, what, origin)
    program = _compiled(source, what, origin, style, text)
    if checked:
        _check_names(program, source, what, origin, set(known))
    return Compiled(source, program, fast_source)


def _compiled(source: str, what: str, origin: Location, style: str, text: str) -> Any:
    try:
        return cel_library().compile(source)
    except BaseException as exc:  # the library raises ValueError, or a panic (BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        detail = str(exc).replace("Failed to parse expression", "cannot parse").strip()
        raise RuleError(
            f"{what} does not compile: {detail}",
            _map_position(detail, origin, style, text),
            "check the CEL syntax",
        ) from None


def _check_limits(source: str, what: str, origin: Location) -> None:
    if len(source) > MAX_LENGTH:
        raise RuleError(f"{what} is {len(source)} characters, over {MAX_LENGTH}", origin)
    try:
        nesting = comprehension_nesting(source)
    except TokenError as exc:
        raise RuleError(
            f"{what} is not valid CEL: {exc} (at character {exc.offset + 1})",
            origin,
            "close the string with the quote it was opened with",
        ) from None
    if nesting > MAX_COMPREHENSION_NESTING:
        raise RuleError(
            f"{what} nests comprehensions {nesting} deep, over {MAX_COMPREHENSION_NESTING}",
            origin,
            "use an index such as people_by_id or consents_by_use instead of nested loops",
        )


def _check_names(program: Any, source: str, what: str, origin: Location, known: set[str]) -> None:
    functions = {f for f in program.functions() if f[:1].isalpha()}
    unknown_functions = sorted(functions - ALLOWED_FUNCTIONS)
    if unknown_functions:
        raise RuleError(
            f"{what} calls {', '.join(unknown_functions)}, which rules may not use",
            origin,
            f"allowed: {', '.join(sorted(ALLOWED_FUNCTIONS))}",
        )
    if known:
        unknown = sorted(set(program.variables()) - known - bound_names(source))
        if unknown:
            hints = [f"{name!r}: {did_you_mean(name, known)}" for name in unknown]
            raise RuleError(
                f"{what} uses unknown name{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(repr(u) for u in unknown)}",
                origin,
                "; ".join(h for h in hints if not h.endswith(": "))
                or "a name is a section (uses, people, ...), an index, params, today or the item",
            )


def describe(exc: BaseException) -> str:
    text = str(exc)
    for advice in (". Check that", ". Check function arguments", " CEL does not coerce"):
        text = text.split(advice, 1)[0]
    text = " ".join(text.split())  # one line: a message never breaks a report's layout
    if len(text) > MAX_RENDERED:
        text = f"{text[:MAX_RENDERED]}…"
    if isinstance(exc, KeyError):
        return f"no field {text} in the item (check the field name)"
    return text or type(exc).__name__
