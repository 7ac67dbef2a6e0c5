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
from ccai_policy.load.yamlbuilder import BuilderState
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
from ccai_policy.load.yamlscalars import STR, ScalarProblem, check_collection_tag

#: A column a sparse tree's packed position can hold (Document.fields).
_COLUMN_LIMIT = 1 << COLUMN_BITS
#: A value no scalar has (a cache miss).
_UNREAD: Any = object()


class TreeBuilder(BuilderState):
    """Builds JSON-compatible data from parser events, without recursion, recording positions."""

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
        # Plain keys' tags (for the inlined key path): a sparse tree's only, which records
        # no key below SPARSE_DEPTH in `positions`.
        key_tags = self.key_tags if sparse else None
        intern = sys.intern
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
                        # A sparse tree's plain text key at or below an item's fields, not
                        # seen before in its mapping (most keys): what _key does, inlined.
                        if (
                            key_tags is not None
                            and depth >= SPARSE_DEPTH
                            and kind is ScalarEvent
                            and key_tags.get(event.value) == STR
                            and event.tag is None
                            and event.implicit[0]
                            and not event.anchor
                            and event.value not in parent.container
                        ):
                            if depth > recorded:
                                parent.key = event.value
                                continue
                            mark = event.start_mark
                            if mark.column + 1 < _COLUMN_LIMIT:
                                key = event.value
                                fields = parent.fields
                                if fields is None:
                                    fields = parent.fields = self.fields[parent.pointer] = {}
                                token = key
                                if "~" in key or "/" in key:
                                    token = escape_pointer_token(key)
                                fields[intern(token)] = (
                                    mark.line + 1
                                ) << COLUMN_BITS | mark.column + 1
                                parent.key = key
                                continue
                        self._key(parent, event, depth)
                        continue
                    elif (
                        quick is not None
                        and sparse
                        and kind is ScalarEvent
                        and event.tag is None
                        and event.implicit[0]
                        and not event.anchor
                        and depth <= MAX_DEPTH
                        and parent.key is not MERGE_KEY
                    ):
                        # A plain value read before, in a sparse tree, which locates no
                        # scalar value (most values): what follows does, inlined.
                        value = quick.get(event.value, _UNREAD)
                        if value is not _UNREAD:
                            parent.container[parent.key] = value
                            parent.key = None
                            continue
                        pointer = ""
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
