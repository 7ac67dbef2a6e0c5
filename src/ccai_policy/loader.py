"""Safe YAML loading that keeps the line and column of every node, with hard limits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import LoadError, Location

try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

JSON = Any  # str | int | float | bool | None | list[JSON] | dict[str, JSON]


@dataclass(frozen=True)
class Document:
    """A loaded YAML document: JSON-compatible data plus where each node came from."""

    path: str
    data: JSON
    sha256: str
    positions: dict[str, tuple[int, int]] = field(repr=False)
    #: Where scalar values in mappings start, and their style ('' plain, '|', '>', '"', "'").
    scalar_starts: dict[str, tuple[int, int, str]] = field(repr=False, default_factory=dict)

    def locate(self, pointer: str) -> Location:
        """The location of the node at a JSON pointer, or of its nearest located ancestor."""
        while True:
            pos = self.positions.get(pointer)
            if pos is not None:
                return Location(self.path, pos[0], pos[1])
            if not pointer:
                return Location(self.path, 1, 1)
            pointer = pointer.rsplit("/", 1)[0]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def decode(raw: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM), refusing anything else with a location."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "file is UTF-16, not UTF-8",
            Location(path, 1, 1),
            "save the file as UTF-8",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, column = _line_col(prefix, len(prefix))
        raise LoadError(
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
            Location(path, line, column),
            "save the file as UTF-8",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col(text, nul)
        raise LoadError("NUL byte in file", Location(path, line, column), "remove it") from None
    return text


def load_file(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    display: str = "",
    record_scalars: bool = False,
) -> Document:
    """Read and parse one YAML file into a located Document."""
    shown = display or str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise LoadError(
                f"file is {size:,} bytes, over the limit of {max_bytes:,}",
                Location(shown),
                "split it, or raise the limit with --max-file-size",
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}", Location(shown)) from None
    if len(raw) > max_bytes:
        raise LoadError(f"file is over the limit of {max_bytes:,} bytes", Location(shown))
    return load_text(
        decode(raw, shown),
        shown,
        sha256=hashlib.sha256(raw).hexdigest(),
        record_scalars=record_scalars,
    )


def load_text(
    text: str, path: str = "<string>", *, sha256: str = "", record_scalars: bool = False
) -> Document:
    """Parse YAML text into a located Document; every problem is a LoadError."""
    if not sha256:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _marked_error(exc, path) from None
        except yaml.reader.ReaderError as exc:
            line, column = _line_col(text, exc.position)
            raise LoadError(
                f"character {exc.character!r} is not allowed in YAML",
                Location(path, line, column),
                "remove it or quote it as an escape sequence",
            ) from None
        except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error is one of the above
            raise LoadError(f"invalid YAML: {exc}", Location(path)) from None
        except RecursionError:
            raise LoadError(
                f"nesting is deeper than {MAX_DEPTH} levels", Location(path), "flatten the document"
            ) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadError("file is empty", Location(path), "a declaration starts with 'apiVersion:'")
    builder = _Builder(path, loader, record_scalars)
    data = builder.build(node, "", 0)
    return Document(
        path=path,
        data=data,
        sha256=sha256,
        positions=builder.positions,
        scalar_starts=builder.scalar_starts,
    )


def _marked_error(exc: yaml.MarkedYAMLError, path: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in problem:
        return LoadError(
            "several YAML documents in one file",
            loc,
            "put each declaration in a file of its own and remove the '---' separator",
        )
    context = f" {exc.context}" if exc.context else ""
    return LoadError(f"invalid YAML:{context} {problem}".replace("  ", " "), loc)


class _Builder:
    """Turns a composed node graph into JSON-compatible data, recording positions."""

    def __init__(self, path: str, constructor: Any, record_scalars: bool) -> None:
        self.path = path
        self.record_scalars = record_scalars
        self.constructor = constructor
        self.positions: dict[str, tuple[int, int]] = {}
        self.scalar_starts: dict[str, tuple[int, int, str]] = {}
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.expanded = 0

    def _loc(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, pointer: str, depth: int) -> JSON:
        if depth > MAX_DEPTH:
            raise LoadError(
                f"nesting is deeper than {MAX_DEPTH} levels", self._loc(node), "flatten it"
            )
        key = id(node)
        if key in self.active:
            raise LoadError("recursive alias: a node contains itself", self._loc(node))
        if key in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise LoadError(
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes",
                    self._loc(node),
                    "this looks like an alias bomb; write the data out instead of aliasing it",
                )
        self.seen.add(key)
        self.positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self.active.add(key)
        try:
            if isinstance(node, yaml.SequenceNode):
                self._check_tag(node, _TAG + "seq")
                return [
                    self.build(item, f"{pointer}/{i}", depth + 1)
                    for i, item in enumerate(node.value)
                ]
            assert isinstance(node, yaml.MappingNode)
            self._check_tag(node, _TAG + "map")
            return self._mapping(node, pointer, depth)
        finally:
            self.active.discard(key)

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise LoadError(
                f"tag {node.tag!r} is not allowed",
                self._loc(node),
                "only plain YAML data is accepted; remove the tag",
            )

    def _scalar(self, node: yaml.ScalarNode) -> JSON:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise LoadError(
                f"tag {tag!r} is not allowed",
                self._loc(node),
                "only plain YAML data is accepted; remove the tag",
            )
        if tag in (_TAG + "str", _TAG + "timestamp"):
            return str(node.value)  # dates stay ISO strings until the models parse them
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            raise LoadError(
                f"cannot read {node.value[:40]!r} as a number: {exc}",
                self._loc(node),
                "quote it if it is text, or use a smaller number",
            ) from None

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, JSON]:
        result: dict[str, JSON] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
                shown = getattr(key_node, "value", "")
                raise LoadError(
                    f"mapping key {shown!r} is not a string"
                    if isinstance(shown, str)
                    else "mapping key is not a string",
                    self._loc(key_node),
                    "quote the key",
                )
            key = str(key_node.value)
            if key in result:
                first = self.positions.get(f"{pointer}/{escape_pointer_token(key)}", (0, 0))
                raise LoadError(
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    self._loc(key_node),
                    "remove or rename one of them",
                )
            child = f"{pointer}/{escape_pointer_token(key)}"
            self.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
            if self.record_scalars and isinstance(value_node, yaml.ScalarNode):
                mark = value_node.start_mark
                self.scalar_starts[child] = (mark.line + 1, mark.column + 1, value_node.style or "")
        for merge in merges:
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in sources:
                value = self.build(source, pointer, depth + 1)
                if not isinstance(value, dict):
                    raise LoadError("merge key '<<' needs a mapping", self._loc(source))
                for k, v in value.items():
                    result.setdefault(k, v)
        return result
