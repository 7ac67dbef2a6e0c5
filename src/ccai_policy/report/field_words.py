"""Plain words for the declaration fields, values and agreement ids that reports name.

A fix text says "record `scan.notified_at`" or "add a line with `basis: residuals`": exact, for
whoever edits the declaration, but a union representative reading the report needs words too.
`pair` finds what a span names in the declaration model, and the reports show both, the plain
label first: “Scan notified at” (`scan.notified_at`). A span that is already plain words
(`union`, `basis: residuals`) or names no field or value (`sha256sum FILE`) stays as it is.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ccai_policy.model.declaration import Declaration
from ccai_policy.model.production import AGREEMENTS
from ccai_policy.model.vocabulary import field_values, human_title

#: `name`, `a.b`, `name: value`; anything else (a command, a mapping) names no field.
_SPAN = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?::\s*(?P<value>.+))?"
)
#: A span a reader needs no label for: lower-case words, optionally `word: word`.
_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*(?:: [a-z]+(?: [a-z]+)*)?")
#: A value written as an identifier (snake_case or camelCase), which words can replace.
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+|[A-Z][a-z0-9]*)+")
#: Words of field names that read better spelled out or joined.
_SPELLED = (
    (re.compile(r"\bph\b", re.IGNORECASE), "pension and health"),
    (re.compile(r"\bopt outs\b"), "opt-outs"),
)


def words_of(name: str) -> str:
    """A field name or value in words: `scan.notified_at` -> `Scan notified at`."""
    words = human_title(name.replace(".", "_"))
    for pattern, spelled in _SPELLED:
        words = pattern.sub(spelled, words)
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class _Field:
    path: tuple[str, ...]  # keys from the top of a declaration: ("consents", "signed_on")
    values: frozenset[str]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, alone, in a list, or optional."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_of(typing.get_args(annotation)[0])
    if origin is list or origin is typing.Union or type(annotation).__name__ == "UnionType":
        found = [m for arg in typing.get_args(annotation) if (m := _model_of(arg))]
        return found[0] if found else None
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _walk(model: type[BaseModel], path: tuple[str, ...]) -> list[_Field]:
    fields = []
    for name, info in model.model_fields.items():
        key = (*path, info.alias or name)
        fields.append(_Field(key, frozenset(field_values(info))))
        sub = _model_of(info.annotation)
        if sub is not None:
            fields.extend(_walk(sub, key))
    return fields


@lru_cache(maxsize=1)
def _fields() -> tuple[_Field, ...]:
    return tuple(_walk(Declaration, ()))


def value_words(value: str) -> str:
    """`per_digital_performance_day` -> `per digital performance day`; true -> yes."""
    if value in ("true", "false"):
        return "yes" if value == "true" else "no"
    if not _IDENTIFIER.fullmatch(value):
        return value
    words = words_of(value)
    return words if words[:2].isupper() else words[:1].lower() + words[1:]


def _field_for(name: str, value: str | None, section: str | None) -> _Field | None:
    """The field a dotted name ends in: one whose allowed values hold the value first, then
    one in the section the finding is about, then the first in the declaration's order."""
    keys = tuple(name.split("."))
    found = [f for f in _fields() if f.path[-len(keys) :] == keys]
    if value is not None and any(value in f.values for f in found):
        found = [f for f in found if value in f.values]
    in_section = [f for f in found if f.path[0] == section]
    chosen = in_section or found
    return chosen[0] if chosen else None


def label(span: str, section: str | None = None) -> str | None:
    """The plain label of a span of rule prose, or None when it needs none or names nothing.

    `section` is the top-level key of what the finding is about (`consents`), to choose
    between fields of one name in different sections."""
    text = " ".join(span.split())
    if _PLAIN.fullmatch(text):
        return None
    match = _SPAN.fullmatch(text)
    if match is None:
        return None
    name, value = match["name"], match["value"]
    field = _field_for(name, value, section)
    if field is None:
        if value is None and any(name in f.values for f in _fields()):
            return words_of(name) if _IDENTIFIER.fullmatch(name) else None
        return None
    title = words_of(name)
    if value is None:
        return title
    if value in field.values or value in ("true", "false"):
        return f"{title}: {value_words(value)}"
    return title


def section_of(pointer: str) -> str | None:
    """`/consents/2` -> `consents`: the section a finding's subject is in."""
    first = pointer.strip("/").split("/")[0]
    return first or None


#: A backticked span of prose, and whether parentheses enclose it on its own.
SPANS = re.compile(r"(?P<open>\()?`(?P<code>[^`\n]+)`(?P<close>\))?")


def pieces(text: str, pointer: str = "") -> list[tuple[str, str]]:
    """Rule prose as ("text" | "code" | "label", content) pieces for each report's own escaper:
    every backticked span is code, and one that names a field or value gets its label before
    it, “Label” (`span`), or “Label”, `span` where parentheses already hold the span."""
    section = section_of(pointer)
    out: list[tuple[str, str]] = []
    at = 0
    for match in SPANS.finditer(text):
        out.append(("text", text[at : match.start()]))
        at = match.end()
        code, opened, closed = match["code"], match["open"] or "", match["close"] or ""
        words = label(code, section)
        if words is None:
            out.extend([("text", opened), ("code", code), ("text", closed)])
        elif opened or closed:
            out.extend([("text", opened), ("label", f"“{words}”"), ("text", ", ")])
            out.extend([("code", code), ("text", closed)])
        else:
            out.extend([("label", f"“{words}”"), ("text", " ("), ("code", code), ("text", ")")])
    out.append(("text", text[at:]))
    return [(kind, content) for kind, content in out if content]


def agreement_title(agreement: str) -> str | None:
    """`wga-mba-2023` -> `WGA Minimum Basic Agreement 2023`; None for a version not encoded."""
    described = AGREEMENTS.get(agreement)
    return re.split(r" \(|, |\.$", described, maxsplit=1)[0] if described else None
