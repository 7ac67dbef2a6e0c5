"""The nodes of a YAML tree being built: their JSON type and pointers, open containers, limits."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 64


#: Aliases may add this many nodes, or ALIAS_AMPLIFICATION times the nodes written, if more.
MAX_ALIAS_EXPANSION = 100_000


ALIAS_AMPLIFICATION = 10


JSON = Any  # str | int | float | bool | None | list[JSON] | dict[str, JSON]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    if type(token) is str and "~" not in token and "/" not in token:
        return token  # most keys: nothing to escape
    return str(token).replace("~", "~0").replace("/", "~1")


#: A sparse tree records the positions of nodes at most this deep (`/uses/3/subjects`): where
#: findings point. Deeper pointers are located by parsing again with every position (see loader).
SPARSE_DEPTH = 3
#: A sparse tree's key at SPARSE_DEPTH is kept as one number, line << COLUMN_BITS | column.
COLUMN_BITS = 32


class NeedsFullTree(Exception):
    """A sparse build met what it does not handle (an anchor, an alias, a merge key, a value
    YAML 1.1 and 1.2 read differently, or an error): build again, recording every position."""


MERGE_KEY = "\x00<<"  # a key that YAML text cannot contain (NUL is refused) marks '<<'


class Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = (
        "anchor",
        "container",
        "depth",
        "fields",
        "first",
        "key",
        "merge_start",
        "merges",
        "pointer",
    )

    def __init__(self, pointer: str, depth: int, container: JSON, anchor: str | None, first: int):
        self.pointer = pointer
        self.depth = depth
        self.container = container
        self.anchor = anchor
        self.first = first  # how many positions were recorded when it started
        self.key: str | None = None  # a mapping's key whose value is awaited
        self.merge_start = 0  # where the positions of the value of '<<' start
        self.merges: list[tuple[JSON, str, int, int]] = []  # value, pointer, positions span
        self.fields: dict[str, int] | None = None  # a sparse tree's keys here (Document.fields)
