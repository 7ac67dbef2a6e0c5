"""The state a YAML tree is built in, and the builder's steps off its hot loop (yamltree.py):
keys it cannot take inline, scalars read for the first time, merges and the end of a collection."""

from __future__ import annotations

import sys
from typing import Any

from yaml.events import AliasEvent, ScalarEvent

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
    plain_tags,
    plain_values,
    remember_value,
    resolve,
    scalar_value,
)


def key_is_duplicate(parent: Frame, event: Any) -> bool:
    return type(parent.container) is dict and event.value in parent.container


class BuilderState(PositionedTree):
    """What a tree builder records as it goes, and its steps for the rarer events."""

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
