"""Where nodes are, through anchors, aliases and merge keys that copy them within the limits."""

from __future__ import annotations

from typing import Any

from ccai_policy.errors import LoadError, Location
from ccai_policy.load.yamlnodes import (
    ALIAS_AMPLIFICATION,
    JSON,
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    Frame,
    escape_pointer_token,
)


class _TooDeep(Exception):
    """Raised inside a copy of aliased data when it nests too deep."""


def _copy(value: JSON, depth: int) -> JSON:
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, dict):
        return {k: _copy(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v, depth + 1) for v in value]
    return value


class PositionedTree:
    """The positions of a tree's nodes, and the anchors whose aliases and merges copy them."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.positions: dict[str, tuple[int, int]] = {}
        self.order: list[str] = []  # pointers in the order their positions were recorded
        self.anchors: dict[str, tuple[JSON, str, int, int]] = {}  # value, pointer, span
        self.open_anchors: set[str] = set()
        self.events = 0
        self.expanded = 0

    def _error(self, message: str, mark: Any, hint: str = "") -> LoadError:
        return LoadError(message, Location(self.path, mark.line + 1, mark.column + 1), hint)

    def _record(self, pointer: str, mark: Any) -> None:
        self._record_pos(pointer, (mark.line + 1, mark.column + 1))

    def _record_pos(self, pointer: str, position: tuple[int, int]) -> None:
        if pointer not in self.positions:
            self.order.append(pointer)
        self.positions[pointer] = position

    def _anchor(self, event: Any) -> tuple[JSON, str, int, int]:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            if event.anchor in self.open_anchors:
                raise self._error(
                    f"recursive alias: *{event.anchor} is used inside the node it names",
                    event.start_mark,
                    "a node cannot contain itself; write the data out",
                )
            raise self._error(
                f"alias *{event.anchor} names no anchor",
                event.start_mark,
                f"define '&{event.anchor}' before using '*{event.anchor}'",
            )
        return anchor

    def _alias(self, event: Any, pointer: str, depth: int) -> JSON:
        value, origin, start, end = self._anchor(event)
        self.expanded += end - start + 1
        limit = max(MAX_ALIAS_EXPANSION, ALIAS_AMPLIFICATION * self.events)
        if self.expanded > limit:
            raise self._error(
                f"aliases expand to more than {limit:,} nodes",
                event.start_mark,
                "this looks like an alias bomb (billion laughs); write the data out instead",
            )
        try:
            copied = _copy(value, depth)
        except _TooDeep:
            raise self._error(
                f"nesting is deeper than {MAX_DEPTH} levels once *{event.anchor} is expanded",
                event.start_mark,
                "flatten it",
            ) from None
        cut = len(origin)
        for old in self.order[start:end]:
            pos = self.positions.get(old)
            if pos is not None:
                self._record_pos(pointer + old[cut:], pos)
        return copied

    def _merge(self, frame: Frame, value: JSON, pointer: str, start: int, end: int) -> None:
        """Merge key '<<': keys written in the mapping win, then earlier sources win."""
        sources = value if isinstance(value, list) else [value]
        moved: dict[str, str] = {}  # pointer under the merge value -> pointer in the mapping
        for index, source in enumerate(sources):
            if not isinstance(source, dict):
                raise LoadError(
                    "merge key '<<' needs a mapping or a list of mappings",
                    Location(self.path, *self.positions[pointer]),
                    "write '<<: *name' where '&name' marks a mapping",
                )
            base = pointer if source is value else f"{pointer}/{index}"
            for key, item in source.items():
                if key not in frame.container:
                    frame.container[key] = item
                    token = f"/{escape_pointer_token(key)}"
                    moved[base + token] = frame.pointer + token
        segments = 2 if isinstance(value, list) else 1
        for old in self.order[start:end]:
            pos = self.positions.pop(old, None)
            if pos is None:
                continue
            rest = old[len(pointer) :]
            cut = 0
            for _ in range(segments):
                cut = rest.find("/", cut + 1)
                if cut < 0:
                    cut = len(rest)
            target = moved.get(pointer + rest[:cut])
            if target is not None:
                self._record_pos(target + rest[cut:], pos)
