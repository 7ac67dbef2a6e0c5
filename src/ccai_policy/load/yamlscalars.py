"""YAML scalars to JSON values by the YAML 1.2 core schema; unsafe tags and 1.1 forms refused."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

MAX_NUMBER_LENGTH = 1000

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, MERGE = (
    TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "merge")
)
_NULLS = {"", "~", "null", "Null", "NULL"}
_TIMESTAMP_RE = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"
)
# A plain scalar that YAML 1.1 (PyYAML) and YAML 1.2 (editors, most other tools) read differently:
# yes/no/on/off, 0b1010, 012 (octal in 1.1), 1_000, 1:30, and 1e3 or 0o17 (numbers only in 1.2).
# Kept as text and reported by validation, so that the CLI and an editor never disagree.
AMBIGUOUS = "tag:ccai-policy,2026:yaml-1.1-only"
# The YAML 1.2 core schema (spec 1.2.2, section 10.3.2), in the order it resolves plain scalars.
_CORE = (
    (NULL, re.compile(r"^(?:~|null|Null|NULL|)$")),
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (
        FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
    ),
)
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9]")
_BOOLS = {"true": True, "false": False}
_TAGGED = {TIMESTAMP: "a date", NULL: "null", BOOL: "true or false"}
_PLAIN_DATA = "ccai-policy reads plain data only: text, numbers, true/false, lists and mappings"


class ScalarProblem(Exception):
    """A scalar or a tag that cannot become plain data; the caller adds the location."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


#: Plain scalars resolved so far, by loader class and text: a declaration repeats its ids,
#: categories and booleans thousands of times, and a plain scalar's tag depends on its text alone
#: (the safe loaders have no path resolvers). Short texts only, and cleared when it grows large.
_RESOLVED: dict[type, dict[str, str]] = {}
_CACHED_LENGTH = 64
_CACHED_COUNT = 50_000


def resolve(loader: Any, event: Any) -> str:
    """The tag of a scalar event: explicit, or resolved from its text (YAML 1.2 core rules)."""
    tag = event.tag
    if tag is None or tag == "!":
        if tag == "!":  # the non-specific tag '!' makes a scalar text
            return STR
        value: str = event.value
        if not event.implicit[0]:  # quoted or a block scalar: text (PyYAML's default tag)
            if not loader.yaml_path_resolvers:
                return str(loader.DEFAULT_SCALAR_TAG)  # what resolve gives then, found sooner
            return str(loader.resolve(yaml.ScalarNode, value, event.implicit))
        cache = plain_tags(loader)
        if cache is None:
            cache = {}
        found = cache.get(value)
        if found is None:
            old = str(loader.resolve(yaml.ScalarNode, value, event.implicit))
            found = _core_tag(value, old)
            if len(value) <= _CACHED_LENGTH:
                if len(cache) >= _CACHED_COUNT:
                    cache.clear()
                cache[value] = found
        return found
    return str(tag)


#: Plain untagged scalars' values so far, by loader class and text (see _RESOLVED): the value
#: of such a scalar, like its tag, depends on its text alone. Values YAML 1.1 and 1.2 read
#: differently are never kept (the tree builder records each of them).
_VALUES: dict[type, dict[str, Any]] = {}


def plain_tags(loader: Any) -> dict[str, str] | None:
    """The tags of plain untagged scalars resolved so far, by text (what `resolve` keeps); None
    where the loader has path resolvers (a tag may then depend on where the scalar is)."""
    return None if loader.yaml_path_resolvers else _RESOLVED.setdefault(type(loader), {})


def plain_values(loader: Any) -> dict[str, Any] | None:
    """The values of plain untagged scalars read so far, by text, for `remember_value`; None
    where the loader has path resolvers, as plain_tags."""
    return None if loader.yaml_path_resolvers else _VALUES.setdefault(type(loader), {})


def remember_value(values: dict[str, Any], event: Any, tag: str, value: Any) -> None:
    """Keep the value of a plain untagged scalar of a short text (see _VALUES)."""
    text = event.value
    plain = event.tag is None and event.implicit[0]
    # Not NaN: each read of .nan is a NaN of its own, which no container finds equal to another.
    if plain and tag != AMBIGUOUS and len(text) <= _CACHED_LENGTH and value == value:
        if len(values) >= _CACHED_COUNT:
            values.clear()
        values[text] = value


def _core_tag(value: str, old: str) -> str:
    """The YAML 1.2 tag of a plain scalar; AMBIGUOUS where YAML 1.1 (`old`) reads it otherwise."""
    core = next((tag for tag, pattern in _CORE if pattern.match(value)), STR)
    if core == INT and _LEADING_ZERO.match(value):
        return AMBIGUOUS  # 1.1: octal (012 is 10); 1.2: decimal (012 is 12)
    if core == STR and old in (BOOL, INT, FLOAT):
        return AMBIGUOUS  # yes, 1_000, 0b101, 1:30: a value in 1.1, text in 1.2
    if core in (INT, FLOAT) and old == STR:
        return AMBIGUOUS  # 1e3, 0o17: a number in 1.2, text in 1.1 (and so to PyYAML's dump)
    if core == STR and old in (TIMESTAMP, MERGE):
        return old  # dates stay text for the models to parse; '<<' merges as before
    return core


def check_collection_tag(event: Any, expected: str) -> None:
    """Refuse a mapping or sequence tagged as anything but itself (!!python/object, !foo, ...)."""
    tag = event.tag
    if tag is not None and tag != "!" and tag != TAG + expected:
        raise ScalarProblem(f"tag {tag.replace(TAG, '!!')!r} is not allowed", _PLAIN_DATA)


def scalar_value(loader: Any, event: Any, tag: str) -> Any:
    """The JSON value of a scalar; dates stay ISO strings until the models parse them."""
    value: str = event.value
    if tag == STR:
        return value
    if tag == TIMESTAMP and (event.tag is None or _TIMESTAMP_RE.match(value)):
        return value
    if tag == NULL and value in _NULLS:
        return None
    if tag == BOOL and value.lower() in _BOOLS:
        return _BOOLS[value.lower()]
    if tag == AMBIGUOUS:
        return value  # what YAML 1.2 reads; the tree builder records the ambiguity
    if tag in (INT, FLOAT):
        if len(value) > MAX_NUMBER_LENGTH:
            raise ScalarProblem(
                f"number is {len(value):,} characters long, over the limit of "
                f"{MAX_NUMBER_LENGTH:,}",
                "quote it if it is text",
            )
        try:
            return _number(tag, value)
        except (ValueError, OverflowError):
            raise ScalarProblem(
                f"cannot read {value[:40]!r} as a number", "quote it if it is text"
            ) from None
    if tag in _TAGGED:
        raise ScalarProblem(
            f"{value[:40]!r} is not {_TAGGED[tag]}",
            "remove the tag, or quote the value if it is text",
        )
    raise ScalarProblem(f"tag {tag.replace(TAG, '!!')!r} is not allowed", _PLAIN_DATA)


def _number(tag: str, value: str) -> int | float:
    """A YAML 1.2 core number; an explicit !!int or !!float tag may also hold 1.1 forms."""
    if tag == INT:
        if value[:2] in ("0o", "0x"):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value, 10)
    lowered = value.lower()
    if lowered in (".inf", "+.inf", "-.inf", ".nan"):
        return float(lowered.replace(".", ""))
    return float(value)


def ambiguity(value: str) -> tuple[str, str]:
    """What is wrong with a plain scalar YAML 1.1 and 1.2 read differently, and the fix."""
    shown = value if len(value) <= 40 else f"{value[:39]}…"
    if value.lower() in SafeConstructor.bool_values:
        return (
            f"'{shown}' is true or false to some YAML readers and text to others",
            "write true or false; put it in quotes if it is text",
        )
    return (
        f"'{shown}' is a number to some YAML readers and text to others",
        "write numbers in plain digits (1000, not 1e3, 1_000, 010 or 1:30); "
        "put it in quotes if it is text",
    )
