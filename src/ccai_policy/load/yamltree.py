"""Build JSON-compatible data from YAML parser events, recording where each node is, with limits."""

from __future__ import annotations

import sys
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
from ccai_policy.load.yamlaliases import PositionedTree
from ccai_policy.load.yamlnodes import (
    COLUMN_BITS,
    JSON,
    MAX_DEPTH,
    MERGE_KEY,
    SPARSE_DEPTH,
    Frame,
    NeedsFullTree,
    escape_pointer_token,
)
from ccai_policy.load.yamlscalars import (
    AMBIGUOUS,
    MERGE,
    STR,
    ScalarProblem,
    ambiguity,
    check_collection_tag,
    plain_tags,
    plain_values,
    remember_value,
    resolve,
    scalar_value,
)

#: A value no scalar has (a cache miss).
_UNREAD: Any = object()


def key_is_duplicate(parent: Frame, event: Any) -> bool:
    return type(parent.container) is dict and event.value in parent.container


class TreeBuilder(PositionedTree):
    """Builds JSON-compatible data from parser events, without recursion, recording positions."""

    def __init__(self, path: str, loader: Any, record_scalars: bool, sparse: bool = False) -> None:
        super().__init__(path)
        self.loader = loader
        self.record_scalars = record_scalars
        #: Record positions only down to SPARSE_DEPTH, and raise NeedsFullTree on the rare
        #: input whose positions move (anchors, aliases, merges) or that is reported.
        self.depth_recorded = SPARSE_DEPTH if sparse else MAX_DEPTH + 1
        self.sparse = sparse
        self.scalar_starts: dict[str, tuple[int, int, str]] = {}
        #: Plain scalars YAML 1.1 and 1.2 read differently (yes, 010): kept as the text YAML 1.2
        #: reads, with the message and hint that validation reports beside its own problems.
        self.ambiguous: dict[str, tuple[str, str]] = {}
        #: A sparse tree's positions of the keys at SPARSE_DEPTH (Document.fields).
        self.fields: dict[str, dict[str, int]] = {}
        #: Plain scalars' values read before, by text (yamlscalars.plain_values).
        self.values = plain_values(loader)
        #: The same, for plain keys' tags.
        self.key_tags = plain_tags(loader)

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
        stack: list[Frame] = []
        positions, order = self.positions, self.order  # _record, inlined where it is hot
        # Plain scalars' values read before (kept by _scalar), where _scalar records nothing
        # else of them: not for rule files (scalar_starts) nor anchored scalars.
        quick = self.values if not self.record_scalars else None
        sparse, recorded = self.sparse, self.depth_recorded
        # The order of positions serves anchors, aliases and merges, which a sparse tree
        # never holds (NeedsFullTree).
        ordered = not sparse
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
                        if depth <= recorded:
                            pointer = f"{parent.pointer}/{len(parent.container)}"
                            mark = event.start_mark
                            if ordered and pointer not in positions:
                                order.append(pointer)
                            positions[pointer] = (mark.line + 1, mark.column + 1)
                        else:
                            pointer = ""  # not recorded, and so never read
                    elif parent.key is None:
                        self._key(parent, event, depth)
                        continue
                    elif parent.key is MERGE_KEY:
                        pointer = f"{parent.pointer}/{MERGE_KEY}"
                        parent.merge_start = len(self.order)
                        self._record(pointer, event.start_mark)
                    elif depth <= recorded and not (sparse and kind is ScalarEvent):
                        pointer = f"{parent.pointer}/{escape_pointer_token(parent.key)}"
                    else:
                        pointer = ""  # not read: a sparse tree's scalar values are never located
                if depth > MAX_DEPTH:
                    raise self._error(
                        f"nesting is deeper than {MAX_DEPTH} levels", event.start_mark, "flatten it"
                    )
                if sparse and (kind is AliasEvent or event.anchor):
                    raise NeedsFullTree
                if kind is ScalarEvent:
                    value = _UNREAD
                    if (
                        quick is not None
                        and event.tag is None
                        and event.implicit[0]
                        and not event.anchor
                    ):
                        value = quick.get(event.value, _UNREAD)
                    if value is _UNREAD:
                        in_mapping = bool(stack) and stack[-1].key is not None
                        value = self._scalar(event, pointer, in_mapping)
                elif kind is AliasEvent:
                    value = self._alias(event, pointer, depth)
                else:
                    try:
                        check_collection_tag(event, "map" if kind is MappingStartEvent else "seq")
                    except ScalarProblem as exc:
                        raise self._error(exc.message, event.start_mark, exc.hint) from None
                    container: JSON = {} if kind is MappingStartEvent else []
                    stack.append(Frame(pointer, depth, container, event.anchor, len(self.order)))
                    if event.anchor:
                        self.open_anchors.add(event.anchor)
                    continue
            if not stack:
                return value
            parent = stack[-1]
            key = parent.key
            if key is None:  # a list's item (a mapping always has its key here)
                parent.container.append(value)
            elif key is MERGE_KEY:
                self._add(parent, value)
            else:
                parent.container[key] = value
                parent.key = None

    def _add(self, parent: Frame, value: JSON) -> None:
        container = parent.container
        if type(container) is list:
            container.append(value)
        elif parent.key is MERGE_KEY:
            pointer = f"{parent.pointer}/{MERGE_KEY}"
            parent.merges.append((value, pointer, parent.merge_start, len(self.order)))
            parent.key = None
        else:
            container[parent.key] = value
            parent.key = None

    def _key(self, parent: Frame, event: Any, depth: int) -> None:
        mark = event.start_mark
        if self.sparse and (type(event) is not ScalarEvent or event.anchor):
            raise NeedsFullTree
        if type(event) is ScalarEvent:
            tag = self.key_tags.get(event.value) if self.key_tags is not None else None
            if tag is None or event.tag is not None or not event.implicit[0]:
                tag = resolve(self.loader, event)
            if self.sparse and (tag == MERGE or key_is_duplicate(parent, event)):
                raise NeedsFullTree
            if tag == MERGE:
                if parent.merges:
                    raise self._error(
                        "duplicate key '<<'", mark, "merge several mappings at once: <<: [*a, *b]"
                    )
                parent.key = MERGE_KEY
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
        token = key if "~" not in key and "/" not in key else escape_pointer_token(key)
        column = mark.column + 1
        if depth == SPARSE_DEPTH and self.sparse and column < 1 << COLUMN_BITS:
            # An item's field, where most findings point: by item, then key, the position
            # as one number (about a third of the memory of a pointer and a pair).
            fields = parent.fields
            if fields is None:
                fields = parent.fields = self.fields[parent.pointer] = {}
            fields[sys.intern(token)] = (mark.line + 1) << COLUMN_BITS | column
            parent.key = key
            return
        pointer = f"{parent.pointer}/{token}"
        if key in parent.container:
            first, shown = self.positions[pointer], key if len(key) <= 80 else f"{key[:79]}…"
            raise self._error(
                f"duplicate key {shown!r} (first defined at line {first[0]}, column {first[1]})",
                mark,
                "remove or rename one of them",
            )
        positions = self.positions  # _record, inlined: one call per key
        if not self.sparse and pointer not in positions:
            self.order.append(pointer)
        positions[pointer] = (mark.line + 1, mark.column + 1)
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
        if self.values is not None:
            remember_value(self.values, event, tag, result)  # read again by _root
        if event.anchor:
            self.anchors[event.anchor] = (result, pointer, len(self.order), len(self.order))
        return result

    def _close(self, frame: Frame) -> JSON:
        container = frame.container
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
        for value, pointer, start, end in frame.merges:
            self._merge(frame, value, pointer, start, end)
        if frame.anchor:
            self.anchors[frame.anchor] = (container, frame.pointer, frame.first, len(self.order))
        return container
