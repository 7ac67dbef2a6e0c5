"""Build JSON-compatible data from YAML parser events, recording where each node is, with limits."""

from __future__ import annotations

from typing import Any

from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)

from ccai_policy.errors import LoadError, Location
from ccai_policy.load.yamlscalars import (
    AMBIGUOUS,
    MERGE,
    STR,
    ScalarProblem,
    ambiguity,
    check_collection_tag,
    resolve,
    scalar_value,
)

MAX_DEPTH = 64
#: Aliases may add this many nodes, or ALIAS_AMPLIFICATION times the nodes written, if more.
MAX_ALIAS_EXPANSION = 100_000
ALIAS_AMPLIFICATION = 10
JSON = Any  # str | int | float | bool | None | list[JSON] | dict[str, JSON]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


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


#: A sparse tree records the positions of nodes at most this deep (`/uses/3/subjects`): where
#: findings point. Deeper pointers are located by parsing again with every position (see loader).
SPARSE_DEPTH = 3


class NeedsFullTree(Exception):
    """A sparse build met what it does not handle (an anchor, an alias, a merge key, a value
    YAML 1.1 and 1.2 read differently, or an error): build again, recording every position."""


_MERGE_KEY = "\x00<<"  # a key that YAML text cannot contain (NUL is refused) marks '<<'


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("anchor", "container", "depth", "first", "key", "merge_start", "merges", "pointer")

    def __init__(self, pointer: str, depth: int, container: JSON, anchor: str | None, first: int):
        self.pointer = pointer
        self.depth = depth
        self.container = container
        self.anchor = anchor
        self.first = first  # how many positions were recorded when it started
        self.key: str | None = None  # a mapping's key whose value is awaited
        self.merge_start = 0  # where the positions of the value of '<<' start
        self.merges: list[tuple[JSON, str, int, int]] = []  # value, pointer, positions span


def key_is_duplicate(parent: _Frame, event: Any) -> bool:
    return type(parent.container) is dict and event.value in parent.container


class TreeBuilder:
    """Builds JSON-compatible data from parser events, without recursion, recording positions."""

    def __init__(self, path: str, loader: Any, record_scalars: bool, sparse: bool = False) -> None:
        self.path = path
        self.loader = loader
        self.record_scalars = record_scalars
        #: Record positions only down to SPARSE_DEPTH, and raise NeedsFullTree on the rare
        #: input whose positions move (anchors, aliases, merges) or that is reported.
        self.depth_recorded = SPARSE_DEPTH if sparse else MAX_DEPTH + 1
        self.sparse = sparse
        self.positions: dict[str, tuple[int, int]] = {}
        self.order: list[str] = []  # pointers in the order their positions were recorded
        self.scalar_starts: dict[str, tuple[int, int, str]] = {}
        #: Plain scalars YAML 1.1 and 1.2 read differently (yes, 010): kept as the text YAML 1.2
        #: reads, with the message and hint that validation reports beside its own problems.
        self.ambiguous: dict[str, tuple[str, str]] = {}
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

    def document(self, text: str) -> JSON:
        get = self.loader.get_event
        get()  # the stream starts
        if isinstance(get(), StreamEndEvent):
            what = "file is empty" if not text.strip() else "file holds only comments, no data"
            raise LoadError(what, Location(self.path), "a declaration starts with 'apiVersion:'")
        data = self._root()
        get()  # the document ends
        event = get()
        if isinstance(event, DocumentStartEvent):
            raise self._error(
                "several YAML documents in one file",
                event.start_mark,
                "put each declaration in a file of its own and remove the '---' separator",
            )
        return data

    def _root(self) -> JSON:
        get = self.loader.get_event
        stack: list[_Frame] = []
        while True:
            event = get()
            self.events += 1
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                value = self._close(stack.pop())
            else:
                if not stack:
                    pointer, depth = "", 0
                    self._record("", event.start_mark)
                else:
                    parent = stack[-1]
                    depth = parent.depth + 1
                    if type(parent.container) is list:
                        if depth <= self.depth_recorded:
                            pointer = f"{parent.pointer}/{len(parent.container)}"
                            self._record(pointer, event.start_mark)
                        else:
                            pointer = ""  # not recorded, and so never read
                    elif parent.key is None:
                        self._key(parent, event, depth)
                        continue
                    elif parent.key is _MERGE_KEY:
                        pointer = f"{parent.pointer}/{_MERGE_KEY}"
                        parent.merge_start = len(self.order)
                        self._record(pointer, event.start_mark)
                    elif depth <= self.depth_recorded:
                        pointer = f"{parent.pointer}/{escape_pointer_token(parent.key)}"
                    else:
                        pointer = ""
                if depth > MAX_DEPTH:
                    raise self._error(
                        f"nesting is deeper than {MAX_DEPTH} levels", event.start_mark, "flatten it"
                    )
                if self.sparse and (kind is AliasEvent or event.anchor):
                    raise NeedsFullTree
                if kind is ScalarEvent:
                    value = self._scalar(event, pointer, bool(stack) and stack[-1].key is not None)
                elif kind is AliasEvent:
                    value = self._alias(event, pointer, depth)
                else:
                    try:
                        check_collection_tag(event, "map" if kind is MappingStartEvent else "seq")
                    except ScalarProblem as exc:
                        raise self._error(exc.message, event.start_mark, exc.hint) from None
                    container: JSON = {} if kind is MappingStartEvent else []
                    stack.append(_Frame(pointer, depth, container, event.anchor, len(self.order)))
                    if event.anchor:
                        self.open_anchors.add(event.anchor)
                    continue
            if not stack:
                return value
            self._add(stack[-1], value)

    def _add(self, parent: _Frame, value: JSON) -> None:
        container = parent.container
        if type(container) is list:
            container.append(value)
        elif parent.key is _MERGE_KEY:
            pointer = f"{parent.pointer}/{_MERGE_KEY}"
            parent.merges.append((value, pointer, parent.merge_start, len(self.order)))
            parent.key = None
        else:
            container[parent.key] = value
            parent.key = None

    def _key(self, parent: _Frame, event: Any, depth: int) -> None:
        mark = event.start_mark
        if self.sparse and (type(event) is not ScalarEvent or event.anchor):
            raise NeedsFullTree
        if type(event) is ScalarEvent:
            tag = resolve(self.loader, event)
            if self.sparse and (tag == MERGE or key_is_duplicate(parent, event)):
                raise NeedsFullTree
            if tag == MERGE:
                if parent.merges:
                    raise self._error(
                        "duplicate key '<<'", mark, "merge several mappings at once: <<: [*a, *b]"
                    )
                parent.key = _MERGE_KEY
                return
            if tag != STR:
                raise self._error(
                    f"mapping key {event.value!r} is not a string", mark, "quote the key"
                )
            key = event.value
            if event.anchor:
                self.anchors[event.anchor] = (key, "", len(self.order), len(self.order))
        elif type(event) is AliasEvent and isinstance(self._anchor(event)[0], str):
            key = self._anchor(event)[0]
        else:
            raise self._error("mapping key is not a string", mark, "use a plain text key")
        if depth > self.depth_recorded:
            parent.key = key
            return
        pointer = f"{parent.pointer}/{escape_pointer_token(key)}"
        if key in parent.container:
            first, shown = self.positions[pointer], key if len(key) <= 80 else f"{key[:79]}…"
            raise self._error(
                f"duplicate key {shown!r} (first defined at line {first[0]}, column {first[1]})",
                mark,
                "remove or rename one of them",
            )
        self._record(pointer, mark)
        parent.key = key

    def _scalar(self, event: Any, pointer: str, in_mapping: bool) -> JSON:
        if self.record_scalars and in_mapping:
            mark = event.start_mark
            self.scalar_starts[pointer] = (mark.line + 1, mark.column + 1, event.style or "")
        try:
            tag = resolve(self.loader, event)
            if tag == AMBIGUOUS:
                if self.sparse:
                    raise NeedsFullTree
                self.ambiguous[pointer] = ambiguity(event.value)
            result = scalar_value(self.loader, event, tag)
        except ScalarProblem as exc:
            raise self._error(exc.message, event.start_mark, exc.hint) from None
        if event.anchor:
            self.anchors[event.anchor] = (result, pointer, len(self.order), len(self.order))
        return result

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

    def _close(self, frame: _Frame) -> JSON:
        container = frame.container
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
        for value, pointer, start, end in frame.merges:
            self._merge(frame, value, pointer, start, end)
        if frame.anchor:
            self.anchors[frame.anchor] = (container, frame.pointer, frame.first, len(self.order))
        return container

    def _merge(self, frame: _Frame, value: JSON, pointer: str, start: int, end: int) -> None:
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
