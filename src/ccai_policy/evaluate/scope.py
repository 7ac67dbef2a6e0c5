"""The variables of one declaration as the rules see them, and the runtime each program runs in.

Every program runs in the fast runtime (runtime.py) first; what it cannot settle runs in the
reference runtime (expressions.py), whose copy of the variables is made only when needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ccai_policy.evaluate import runtime
from ccai_policy.evaluate.binding import bind
from ccai_policy.evaluate.expressions import (
    Compiled,
    Deferred,
    ExpressionError,
    cel_library,
    describe,
)
from ccai_policy.evaluate.programs import CHUNK_NAME, INDEX_NAME, SPANS_NAME, spans
from ccai_policy.model.declaration import LIST_SECTIONS, Declaration


def declaration_scope(
    declaration: Declaration,
    params: dict[str, Any],
    as_of: dt.date,
    names: frozenset[str],
    fast: bool = True,
    positions: bool | None = None,
) -> Scope:
    """The scope one declaration is judged in: with the fast runtime first when `fast` and it
    can run here, the reference runtime's variables bound only if a program needs them.
    `positions`: whether the fast runtime's indexes hold positions (None: from
    POSITIONS_FROM items on)."""
    if not (fast and runtime.available()):
        return Scope(bind(declaration, params, as_of, names))
    stamp = runtime.Stamp()
    if positions is None:
        positions = items(declaration) >= POSITIONS_FROM
    variables = bind(declaration, params, as_of, names, stamp, positions)

    def reference() -> dict[str, Any]:
        return bind(declaration, params, as_of, names)

    return Scope(variables, reference, stamp.utc, positions)


#: Items (in all list sections) from which the fast runtime's indexes hold positions: each
#: program is then rewritten once per process (positional.py, about 0.3 ms a program), and
#: each declaration converts one copy of its items instead of one per index.
POSITIONS_FROM = 100


def items(declaration: Declaration) -> int:
    return sum(len(getattr(declaration, section)) for section in LIST_SECTIONS)


class Scope:
    """The variables of one declaration, bound once, plus a few rebindable names.

    With `reference` (the variables bound for the reference runtime, made when first needed),
    `variables` are bound for the fast runtime (binding.bind with a runtime.Stamp) and every
    program runs there first. `fallbacks` counts the programs the reference runtime settled.
    """

    def __init__(
        self,
        variables: dict[str, Any],
        reference: Callable[[], dict[str, Any]] | None = None,
        utc: bool = True,
        positions: bool = False,
    ) -> None:
        self._variables = variables
        self._fast: Any = None
        self._spans: dict[tuple[int, int], tuple[int, list[int]]] = {}
        if reference is not None:
            counts = [len(variables[s]) for s in LIST_SECTIONS if s in variables]
            table = spans(counts)
            self._spans = {(c[0], len(c)): (n, c) for n, c in enumerate(table)}
            self._fast = runtime.activation({**variables, SPANS_NAME: table})
        self._make_reference = reference
        self._utc = utc
        self._positions = positions
        self._context: Any = None
        self._reference: dict[str, Any] = variables
        self._bound: dict[str, Any] = {}
        self.fallbacks = 0

    def _reference_context(self) -> Any:
        if self._context is None:
            if self._make_reference is not None:
                self._reference = self._make_reference()
            self._context = cel_library().Context(variables=self._reference)
            # The resolver must not refer back to this Scope or its Context: the library's
            # Context takes no part in garbage collection, so such a cycle would keep every
            # declaration's converted variables alive until the process ends.
            self._context.set_variable_resolver(self._bound.get)
        return self._context

    def _as_reference(self, value: Any) -> Any:
        """A binding made from the fast variables (a declaration rule's production) as the
        same variable bound for the reference runtime."""
        if self._fast is None or not isinstance(value, dict):
            return value
        for name, bound in self._variables.items():
            if bound is value:
                return self._reference[name]
        raise AssertionError("a binding that is not one of the variables")  # pragma: no cover

    @property
    def variables(self) -> dict[str, Any]:
        """The variables as bound for the runtime that runs first."""
        return self._variables

    @property
    def fast(self) -> bool:
        """Whether programs run in the fast runtime first."""
        return self._fast is not None

    def sweep(self, source: str, chunk: list[int]) -> Any:
        """A program only the fast runtime runs (programs.compose_fast): its value, or
        runtime.FAILED (also without the fast runtime) for the caller's reference path."""
        if self._fast is None:
            return runtime.FAILED
        span = self._spans.get((chunk[0], len(chunk))) if chunk else None
        number = span[0] if span is not None and span[1] == chunk else -1
        value = runtime.run(source, self._fast, 0, chunk, self._utc, self._positions, number)
        if value is runtime.FAILED:
            self.fallbacks += 1
        return value

    def run(self, compiled: Compiled) -> Any:
        """Evaluate with nothing extra bound."""
        return self.run_with(compiled)

    def run_with(self, compiled: Compiled, **bindings: Any) -> Any:
        """Evaluate with names bound for this call only (cheap: the scope is not rebuilt).

        The fast runtime reads the bindings of INDEX_NAME and CHUNK_NAME as `_at()` and
        `_chunk()`, and takes a declaration rule's item from `production` (compose_fast).
        """
        if self._fast is not None and compiled.fast_source is not None:
            at, chunk = bindings.get(INDEX_NAME, 0), bindings.get(CHUNK_NAME)
            source = compiled.fast_source or compiled.source
            value = runtime.run(source, self._fast, at, chunk, self._utc, self._positions)
            if value is not runtime.FAILED:
                return value
            self.fallbacks += 1
        context = self._reference_context()
        self._bound.clear()
        self._bound.update({name: self._as_reference(v) for name, v in bindings.items()})
        try:
            return self._call(compiled, context)
        finally:
            self._bound.clear()

    def _call(self, compiled: Compiled, context: Any) -> Any:
        program = compiled.program
        if isinstance(program, Deferred):
            program = program.load()  # not compiling stops the run, as it would at load
        try:
            return program.execute(context)
        except BaseException as exc:  # includes pyo3_runtime.PanicException
            if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
                raise
            raise ExpressionError(describe(exc)) from None
