"""Safe YAML loading that keeps the line and column of every node, with hard limits."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ccai_policy.errors import LoadError, Location
from ccai_policy.load.yamlerrors import GENERAL_FIX, explain_syntax
from ccai_policy.load.yamlnodes import COLUMN_BITS, JSON, SPARSE_DEPTH, NeedsFullTree
from ccai_policy.load.yamltree import TreeBuilder
from ccai_policy.paths import printable_path

try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader

    _READER_OFFSETS_IN_BYTES = True  # libyaml reports reader errors at UTF-8 byte offsets
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _READER_OFFSETS_IN_BYTES = False

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Document",
    "decode",
    "load_file",
    "load_text",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_COLUMN_MASK = (1 << COLUMN_BITS) - 1


@dataclass(frozen=True)
class Document:
    """A loaded YAML document: JSON-compatible data plus where each node came from."""

    path: str
    data: JSON
    sha256: str
    positions: dict[str, tuple[int, int]] = field(repr=False)
    #: Where scalar values in mappings start, and their style ('' plain, '|', '>', '"', "'").
    scalar_starts: dict[str, tuple[int, int, str]] = field(repr=False, default_factory=dict)
    #: The source text, kept only with record_scalars (rule files), to map expression errors.
    text: str = field(repr=False, default="")
    #: Plain scalars that YAML 1.1 and 1.2 read differently (yes, 010), by pointer: the message
    #: and hint validation reports. The data holds them as YAML 1.2 reads them: text.
    ambiguous: dict[str, tuple[str, str]] = field(repr=False, default_factory=dict)
    #: Where the word TODO appears, in values or comments: (line, column) of each.
    todos: tuple[tuple[int, int], ...] = field(repr=False, default=())
    #: True: `positions` and `fields` hold the nodes down to SPARSE_DEPTH only (a declaration
    #: being checked: where findings point), and `text` the source, parsed again for any deeper
    #: pointer.
    sparse: bool = field(repr=False, default=False)
    #: A sparse tree's keys at SPARSE_DEPTH (an item's fields: `/uses/3/subjects`), not in
    #: `positions`: by the mapping's pointer, then the key's pointer token, line << COLUMN_BITS
    #: | column.
    fields: dict[str, dict[str, int]] = field(repr=False, default_factory=dict)

    def locate(self, pointer: str) -> Location:
        """The location of the node at a JSON pointer, or of its nearest located ancestor."""
        if self.sparse:
            depth = pointer.count("/")
            if depth > SPARSE_DEPTH:
                return self._complete().locate(pointer)
            if depth == SPARSE_DEPTH:
                parent, _, token = pointer.rpartition("/")
                packed = self.fields.get(parent, {}).get(token)
                if packed is not None:
                    return Location(self.path, packed >> COLUMN_BITS, packed & _COLUMN_MASK)
        while True:
            pos = self.positions.get(pointer)
            if pos is not None:
                return Location(self.path, pos[0], pos[1])
            if not pointer:
                return Location(self.path, 1, 1)
            pointer = pointer.rpartition("/")[0]  # `a` (no leading '/') ends at the root too

    def _complete(self) -> Document:
        """The same document with every position, parsed again once (for a deep pointer: a
        validation problem, or a finding with a nested 'at')."""
        complete: Document | None = self.__dict__.get("_complete_document")
        if complete is None:
            complete = load_text(self.text, self.path, sha256=self.sha256)
            object.__setattr__(self, "_complete_document", complete)
        return complete


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def decode(raw: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM), refusing anything else with a location."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("file is UTF-16, not UTF-8", Location(path, 1, 1), "save the file as UTF-8")
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
        raise LoadError(
            "NUL byte in file",
            Location(path, line, column),
            "remove it; a file with many NUL bytes is probably UTF-16 or binary: save it as UTF-8",
        )
    return text


def load_file(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    display: str = "",
    record_scalars: bool = False,
    limit_hint: str = "split it, or raise the limit with --max-file-size",
    sparse: bool = False,
) -> Document:
    """Read and parse one YAML file into a located Document; `limit_hint` is what a file over
    `max_bytes` is told to do (sparse: see load_text)."""
    shown = display or printable_path(path)
    p = Path(path)
    try:
        info = p.stat()
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            raise LoadError(
                "not a regular file (a pipe or socket)",
                Location(shown),
                "give the path of a declaration file",
            )
        size = info.st_size
        if size > max_bytes:
            raise LoadError(
                f"file is {size:,} bytes, over the limit of {max_bytes:,}",
                Location(shown),
                limit_hint,
            )
        with p.open("rb") as handle:  # a device or a pipe has no size: read no more than allowed
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        raise LoadError(message, Location(shown), _link_hint(p)) from None
    if len(raw) > max_bytes:
        raise LoadError(
            f"file is over the limit of {max_bytes:,} bytes",
            Location(shown),
            limit_hint,
        )
    return load_text(
        decode(raw, shown),
        shown,
        sha256=hashlib.sha256(raw).hexdigest(),
        record_scalars=record_scalars,
        sparse=sparse,
    )


def _link_hint(path: Path) -> str:
    """For a symbolic link that cannot be read through, where it points."""
    try:
        target = os.readlink(path)
    except OSError:  # not a link
        return ""
    return f"it is a symbolic link to {target}; fix or remove the link"


def load_text(
    text: str,
    path: str = "<string>",
    *,
    sha256: str = "",
    record_scalars: bool = False,
    sparse: bool = False,
) -> Document:
    """Parse YAML text into a located Document; every problem is a LoadError.

    sparse: record positions only where findings point (down to SPARSE_DEPTH) and keep the text
    to locate deeper pointers on demand; the Document locates every pointer as a full one does.
    Input with anchors, aliases, merge keys or problems is parsed in full from the start.
    """
    if not sha256:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if sparse and not record_scalars:
        try:
            return _parse(text, path, sha256, record_scalars=False, sparse=True)
        except (NeedsFullTree, LoadError):
            pass  # parsed again below, in full: the same data, or the same error
    return _parse(text, path, sha256, record_scalars=record_scalars, sparse=False)


def _parse(text: str, path: str, sha256: str, *, record_scalars: bool, sparse: bool) -> Document:
    loader = _Loader(text)
    builder = TreeBuilder(path, loader, record_scalars, sparse)
    try:
        data = builder.document(text)
    except yaml.MarkedYAMLError as exc:
        raise _nesting_limit_first(exc, path, text) or _marked_error(exc, path, text) from None
    except yaml.reader.ReaderError as exc:
        index = exc.position
        if _READER_OFFSETS_IN_BYTES:
            index = len(text.encode("utf-8")[:index].decode("utf-8", "replace"))
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else f"U+{ord(char[:1] or ' '):04X}"
        raise LoadError(
            f"character {shown} is not allowed in YAML",
            Location(path, *_line_col(text, index)),
            "remove it, or write it as an escape sequence inside double quotes",
        ) from None
    except yaml.YAMLError:  # pragma: no cover - every PyYAML error is one of the above
        raise LoadError("the file is not valid YAML", Location(path), GENERAL_FIX) from None
    finally:
        loader.dispose()
    kept = text if record_scalars or sparse else ""
    todos = _todos(text)
    return Document(
        path,
        data,
        sha256,
        builder.positions,
        builder.scalar_starts,
        kept,
        builder.ambiguous,
        todos,
        sparse,
        builder.fields,
    )


#: A placeholder left to fill in: the word TODO in capitals, anywhere in the file.
_TODO = re.compile(r"(?<![A-Za-z0-9_])TODO(?![A-Za-z0-9_])")


def _todos(text: str) -> tuple[tuple[int, int], ...]:
    """Where the word TODO is written. Most files have none; a text search settles that 30
    times faster than the pattern, whose look-behind makes it try every character."""
    if "TODO" not in text:
        return ()
    return tuple(_line_col(text, m.start()) for m in _TODO.finditer(text))


def _nesting_limit_first(exc: yaml.MarkedYAMLError, path: str, text: str) -> LoadError | None:
    """This project's nesting limit where PyYAML's own, looser one stopped the scan first.

    PyYAML 6.0.4 and later stop flow nesting at 1,000 levels while the scanner reads ahead of the
    parser, before the tree builder sees the 65th level. The text before the library's stop holds
    fewer levels than the library allows, so parsing it finds where this project's limit is
    crossed, with the same message and location as on earlier PyYAML releases.
    """
    mark = exc.problem_mark
    if mark is None or "nesting depth" not in (exc.problem or ""):
        return None
    lines = text.split("\n", mark.line + 1)
    offset = sum(len(line) + 1 for line in lines[: mark.line]) + mark.column
    try:
        load_text(text[:offset], path, sha256="-")
    except LoadError as inner:
        if inner.message.startswith("nesting is deeper than"):
            return inner
    return None


def _marked_error(exc: yaml.MarkedYAMLError, path: str, text: str) -> LoadError:
    return explain_syntax(exc, path, text)
