"""YAML scalars to JSON values under PyYAML's safe schema; unsafe tags and huge numbers refused."""

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
_NUMBERS = {INT: SafeConstructor.construct_yaml_int, FLOAT: SafeConstructor.construct_yaml_float}
_TAGGED = {TIMESTAMP: "a date", NULL: "null", BOOL: "true or false"}
_PLAIN_DATA = "ccai-policy reads plain data only: text, numbers, true/false, lists and mappings"


class ScalarProblem(Exception):
    """A scalar or a tag that cannot become plain data; the caller adds the location."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def resolve(loader: Any, event: Any) -> str:
    """The tag of a scalar event: explicit, or resolved from its text (YAML 1.1 rules)."""
    tag = event.tag
    if tag is None or tag == "!":
        return str(loader.resolve(yaml.ScalarNode, event.value, event.implicit))
    return str(tag)


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
    if tag == BOOL and value.lower() in SafeConstructor.bool_values:
        return SafeConstructor.bool_values[value.lower()]
    if tag in _NUMBERS:
        if len(value) > MAX_NUMBER_LENGTH:
            raise ScalarProblem(
                f"number is {len(value):,} characters long, over the limit of "
                f"{MAX_NUMBER_LENGTH:,}",
                "quote it if it is text",
            )
        try:
            return _NUMBERS[tag](loader, yaml.ScalarNode(tag, value))
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
