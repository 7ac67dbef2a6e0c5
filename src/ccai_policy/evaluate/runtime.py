"""The fast CEL runtime: Google's CEL (`cel_expr_python`) evaluates the rules' programs first.

The reference runtime (`expressions.py`, the Rust CEL library) stays the judge of every case
this one does not settle: a program here that fails for any reason — an error of the rule, a
value it does not take, or its budget of 10,000 loop iterations per evaluation, which Python
cannot raise — gives `FAILED`, and the caller evaluates the same program in the reference
runtime. So the fast runtime never turns a legitimate large declaration into an error.
The two judge alike except where a macro's failing item is settled by another item: this
runtime follows the CEL specification (`exists` is true when any item is, whatever the others
gave), the reference runtime reports the error. Values it gives back are accepted only when
they are plain data the two runtimes render alike; anything else is `FAILED` too.

A large declaration's variables hold the indexes as positions into their sections (one
converted copy of each item, not one per index), and every program is rewritten to read them
so (positional.py); a program that cannot be is FAILED too.

Programs here read the engine's per-call names through functions: `_at()` (the item's
position) and `_chunk()` (the positions of one chunk), set before each call; a sweep reads its
chunk from the variables, `_spans[_span()]` (programs.SPAN_FAST).

cel-expr-python 0.1.3 gives back a reference to None that it never took, for nulls it reads
and writes. Where None is immortal (Python 3.12 and later) that is harmless; on Python 3.11 it
would in time free None and abort the process, so `_library` makes None immortal here too.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import functools
import re
import sys
from typing import Any

from ccai_policy.evaluate.positional import rewrite
from ccai_policy.evaluate.programcache import ProgramCache

#: What a program that this runtime cannot settle gives.
FAILED: Any = type("Failed", (), {"__repr__": lambda self: "FAILED"})()
_EPOCH = dt.date(1970, 1, 1).toordinal()
_UNIX = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: The engine's per-call values, read by `_at()`, `_chunk()` and `_span()` (-1: none, which
#: no list can be indexed with).
_BOUND: dict[str, Any] = {"at": 0, "chunk": [], "span": -1}


def _at() -> int:
    return int(_BOUND["at"])


def _chunk() -> list[int]:
    return list(_BOUND["chunk"])


def _span() -> int:
    return int(_BOUND["span"])


#: References to None added once: more than the library can give back in any process's life.
NONE_REFERENCES = 1 << 60


def _immortal_none() -> None:
    """Make None immortal as Python 3.12 does, where it is not (see the module's docstring):
    its reference count, the first field of the object, gains NONE_REFERENCES."""
    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        count = ctypes.c_ssize_t.from_address(id(None))
        if count.value < NONE_REFERENCES:
            count.value += NONE_REFERENCES


@functools.cache
def _library() -> Any:
    """The library and one environment with the engine's functions; None where it cannot load."""
    try:
        from cel_expr_python import cel
        from google.protobuf import timestamp_pb2
    except ImportError:  # pragma: no cover - a dependency; the reference runtime does it all
        return None
    _immortal_none()
    positions = cel.Type.List(cel.Type.INT)
    functions = [
        cel.FunctionDecl("_at", [cel.Overload("_at_", cel.Type.INT, [], impl=_at)]),
        cel.FunctionDecl("_chunk", [cel.Overload("_chunk_", positions, [], impl=_chunk)]),
        cel.FunctionDecl("_span", [cel.Overload("_span_", cel.Type.INT, [], impl=_span)]),
    ]
    return cel, cel.NewEnv(functions=functions), timestamp_pb2.Timestamp


def available() -> bool:
    return _library() is not None


@functools.cache
def _kept() -> ProgramCache:
    """Programs compiled by earlier runs (programcache.py), for this build of the library."""
    return ProgramCache(str(getattr(_library()[0], "__file__", "")))


def keep_programs() -> None:
    """Keep the programs this process compiled for later runs (after a declaration's check)."""
    if _library() is not None:
        _kept().save()


#: A call of timestamp() on anything but a UTC literal (the engine writes its dates so).
_OWN_TIME = re.compile(r"""timestamp\((?!\s*(?:'[^']*Z'|"[^"]*Z")\s*\))""")


@functools.lru_cache(maxsize=4096)
def _program(source: str, positions: bool) -> tuple[Any, bool]:
    """A compiled program (None when this runtime cannot compile the source), and whether it
    may write a time of its own in an offset other than UTC. With `positions` the program
    reads the indexes as positions (positional.py): None where it cannot."""
    _, env, _ = _library()
    text = rewrite(source) if positions else source
    if text is None:
        return None, True
    kept, program = _kept(), None
    serialized = kept.get(text)
    if serialized is not None:
        with contextlib.suppress(Exception):  # not this library's: compiled again
            program = env.deserialize(serialized)
    if program is None:
        try:
            program = env.compile(text, disable_check=True)
        except Exception:  # the reference runtime reports what is wrong
            return None, True
        with contextlib.suppress(Exception):
            kept.add(text, program.serialize())
    return program, _OWN_TIME.search(source) is not None


class Stamp:
    """Makes this runtime's timestamps from dates and times, noting any time not in UTC."""

    def __init__(self) -> None:
        self.timestamp = _library()[2]
        self.utc = True
        self._days: dict[dt.date, Any] = {}  # a declaration names the same days many times

    def __call__(self, value: dt.date) -> Any:
        if type(value) is dt.date:
            day = self._days.get(value)
            if day is None:
                day = self._days[value] = self.timestamp(
                    seconds=(value.toordinal() - _EPOCH) * 86400
                )
            return day
        assert isinstance(value, dt.datetime)
        offset = value.utcoffset()
        if offset:
            self.utc = False
        moment = value if offset is not None else value.replace(tzinfo=dt.UTC)
        seconds = (moment - _UNIX) // dt.timedelta(seconds=1)
        return self.timestamp(seconds=seconds, nanos=moment.microsecond * 1000)


def activation(variables: dict[str, Any]) -> Any:
    """The variables of one declaration as this runtime binds them (converted on first use)."""
    _, env, _ = _library()
    return env.Activation(variables)


def run(
    source: str,
    bound: Any,
    at: int = 0,
    chunk: list[int] | None = None,
    times: bool = True,
    positions: bool = False,
    span: int = -1,
) -> Any:
    """The value of a program, or FAILED: the caller then asks the reference runtime.

    `times`: whether the bound data's times are all in UTC. This runtime gives every time in
    UTC, the reference runtime in the offset it was written with, so a time is accepted only
    when both are UTC: the data's (`times`) and any the program writes itself.
    `positions`: whether the bound indexes hold positions (binding.bind).
    `span`: the place of `chunk` among the bound spans (programs.SPANS_NAME), -1 if none.
    """
    program, writes_times = _program(source, positions)
    if program is None:
        return FAILED
    _BOUND["at"] = at
    _BOUND["chunk"] = chunk if chunk is not None else []
    _BOUND["span"] = span
    try:
        value = program.eval(bound)
        cel = _library()[0]
        if value.type() == cel.Type.ERROR:
            return FAILED
        plain = value.plain_value()
    except Exception:  # any failure here is settled by the reference runtime
        return FAILED
    finally:
        _BOUND["chunk"] = []
        _BOUND["span"] = -1
    return plain if _plain(plain, times and not writes_times) else FAILED


_SCALARS = frozenset({bool, int, float, str, type(None), dt.timedelta})


def _plain(value: Any, times: bool) -> bool:
    """Whether a value is data both runtimes give alike: scalars, durations, lists, and
    times when `times` (maps are left out: the runtimes may order their keys differently).
    Lists are walked with a stack of their own: a message batch holds thousands of values."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dt.datetime:
        return times
    if kind is not list:
        return False
    stack = [value]
    while stack:
        for item in stack.pop():
            kind = type(item)
            if kind in _SCALARS:
                continue
            if kind is list:
                stack.append(item)
            elif kind is not dt.datetime or not times:
                return False
    return True
