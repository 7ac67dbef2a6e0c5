"""JSON files the tool reads back (a baseline is a JSON result), bounded and checked against
the published schema, each problem located at file:line:col."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ccai_policy.errors import LoadError, Location
from ccai_policy.load.loader import decode, load_text
from ccai_policy.load.yamlnodes import escape_pointer_token

MAX_JSON_BYTES = 200 * 1024 * 1024
MAX_SHOWN_PROBLEMS = 5


@functools.cache
def _validator(name: str) -> Any:
    import jsonschema  # only a command that reads a JSON input pays for the import

    from ccai_policy.model.schemas import generate

    schema = json.loads(generate(name))
    return jsonschema.Draft202012Validator(schema)


def read_json(path: Path, schema: str, what: str, how_to_fix: str, shown: str = "") -> Any:
    """The data of a JSON file that must follow schemas/<schema>.schema.json.

    Every problem is a LoadError naming `what` the file is: unreadable, too large, not JSON,
    nested too deeply, or not valid under the schema (the first few errors, each located).
    """
    return read_json_text(path, schema, what, how_to_fix, shown)[0]


def read_json_text(
    path: Path, schema: str, what: str, how_to_fix: str, shown: str = ""
) -> tuple[Any, str]:
    """Like read_json, with the text read, to locate later messages about the file in it."""
    shown = shown or str(path)
    try:
        with path.open("rb") as handle:  # bounded: a device or a huge file cannot fill memory
            raw = handle.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise LoadError(f"cannot read {what}: {exc.strerror or exc}", Location(shown)) from None
    if len(raw) > MAX_JSON_BYTES:
        raise LoadError(
            f"{what} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB",
            Location(shown),
            how_to_fix,
        )
    text = decode(raw, shown)  # UTF-8 only, each problem at its line and column
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{what} is not valid JSON: {exc.msg}",
            Location(shown, exc.lineno, exc.colno),
            how_to_fix,
        ) from None
    except RecursionError:
        raise LoadError(f"{what} is nested too deeply", Location(shown), how_to_fix) from None
    errors = sorted(_validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise _schema_problem(errors, text, shown, what, how_to_fix)
    return data, text


def _schema_problem(errors: list[Any], text: str, shown: str, what: str, fix: str) -> LoadError:
    located = positions(text)
    first = errors[0]
    parts: list[str] = []
    used = 0
    for error in errors:
        if len(parts) == MAX_SHOWN_PROBLEMS:
            break
        used += 1
        pointer = "".join(f"/{escape_pointer_token(str(p))}" for p in error.absolute_path)
        line, column = nearest(located, pointer)
        part = f"line {line}, column {column} ({pointer or '/'}): {_words(error)}"
        if part not in parts:  # one `required` error per missing field, each naming them all
            parts.append(part)
    more = len(errors) - used
    if more > 0:
        parts.append(f"and {more} more")
    pointer = "".join(f"/{escape_pointer_token(str(p))}" for p in first.absolute_path)
    line, column = nearest(located, pointer)
    return LoadError(
        f"{what} does not follow the ccai-policy result format: " + "; ".join(parts),
        Location(shown, line, column),
        fix,
    )


def _words(error: Any) -> str:
    """A jsonschema error in a sentence, without echoing a long value."""
    validator = error.validator
    if validator == "required":
        missing = [m for m in error.validator_value if m not in (error.instance or {})]
        return f"missing {', '.join(repr(m) for m in missing)}"
    if validator == "additionalProperties":
        return "has a field the format does not have"
    if validator == "type":
        return f"should be {error.validator_value}, not {type(error.instance).__name__}"
    if validator in ("enum", "const"):
        return "has a value the format does not allow"
    return f"fails the schema's '{validator}' check"


def positions(text: str) -> dict[str, tuple[int, int]]:
    """Where each JSON pointer's value starts; JSON is YAML, so the located loader knows."""
    try:
        return dict(load_text(text, "<json>", sha256="-").positions)
    except LoadError:
        return {}


def nearest(positions: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int]:
    while pointer and pointer not in positions:
        pointer = pointer.rsplit("/", 1)[0]
    return positions.get(pointer, (1, 1))
