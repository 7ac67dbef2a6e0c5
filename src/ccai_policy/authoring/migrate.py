"""Rewrite a v1 declaration so that every fact v1 read as false when left out is stated.

ccai-policy/v1 read a switch left out (`deepfake`, `creative`, `minor`, ...) as false (true for
`same_production`). Such a fact is now `unknown` when left out, and a rule that turns on it
fails with "needs information". Migration writes each missing switch as an explicit
`unknown`, with a comment saying what to answer, so that the file says what it does not know.
The rest of the text, comments included, is kept as it is; a mapping written in flow style
across several lines cannot be edited safely and is reported, with what to add, instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccai_policy.errors import Location, ValidationErrors, ValidationProblem
from ccai_policy.load.loader import Document, load_file, load_text
from ccai_policy.load.validation import validate_declaration

#: The switches v1 defaulted, by section; each is now `unknown` when left out.
SWITCHES: dict[str, tuple[str, ...]] = {
    "production": ("is_advertisement",),
    "people": ("minor",),
    "tools": ("gpai", "primary_purpose_is_likeness_replication"),
    "uses": (
        "deepfake",
        "creative",
        "same_production",
        "in_place_of_in_person_work",
        "during_strike",
        "required_by_company",
        "treated_as_literary_material",
    ),
    "workforce": ("employees_required_to_prompt_replacements", "writers_required_to_use_gai"),
}
_NOTE = "# was left out, which v1 read as {old}: say true or false"


@dataclass(frozen=True)
class Migration:
    """What migrating one file did: the new text and the facts it stated, by path."""

    text: str
    stated: list[str]


def _note(field: str) -> str:
    return _NOTE.format(old="true" if field == "same_production" else "false")


def _targets(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[str]]]:
    """(pointer, mapping, missing switches) for every mapping that lacks some."""
    out: list[tuple[str, dict[str, Any], list[str]]] = []
    for section, fields in SWITCHES.items():
        value = data.get(section)
        items = (
            [(f"/{section}", value)]
            if isinstance(value, dict)
            else [(f"/{section}/{i}", v) for i, v in enumerate(value)]
            if isinstance(value, list)
            else []
        )
        for pointer, mapping in items:
            if not isinstance(mapping, dict):
                continue
            missing = [f for f in fields if f not in mapping]
            if missing:
                out.append((pointer, mapping, missing))
    return out


def _block_end(lines: list[str], first: int, indent: int) -> int:
    """The index of the last line of the block mapping whose keys start at `indent`."""
    last = first
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip(" ")) < indent:
            break
        last = index
    return last


def migrate_document(document: Document, text: str) -> Migration:
    """The migrated text of a loaded v1 declaration; problems raise ValidationErrors."""
    data = document.data
    if not isinstance(data, dict):
        return Migration(text, [])
    lines = text.split("\n")
    edits: list[tuple[int, int, str]] = []  # (line index, column or -1 for a new line, text)
    problems: list[ValidationProblem] = []
    stated: list[str] = []
    for pointer, mapping, missing in _targets(data):
        keys = [
            document.positions[f"{pointer}/{k}"]
            for k in mapping
            if f"{pointer}/{k}" in document.positions
        ]
        shown = pointer.strip("/").replace("/", "[", 1).replace("/", "].") + (
            "]" if pointer.count("/") == 2 else ""
        )
        if not keys:
            problems.append(
                ValidationProblem(
                    f"`{shown}` is empty: add {', '.join(f'{f}: unknown' for f in missing)}",
                    document.locate(pointer),
                    "state each fact as true, false or unknown",
                )
            )
            continue
        line, column = min(keys)
        row = lines[line - 1]
        start = document.positions.get(pointer, (line, column))
        flow = start[0] - 1 < len(lines) and lines[start[0] - 1][start[1] - 1 : start[1]] == "{"
        if not flow and pointer.count("/") == 1:
            flow = lines[start[0] - 1].rstrip().endswith("{") or (
                line == start[0] and "{" in lines[start[0] - 1]
            )
        added = ", ".join(f"{f}: unknown" for f in missing)
        if flow:
            closing = row.rfind("}")
            if closing < 0 or row.count("{") != row.count("}"):
                problems.append(
                    ValidationProblem(
                        f"`{shown}` is a flow mapping over several lines, which migrate cannot "
                        f"edit: add {added}",
                        Location(document.path, line, column),
                        "replace each unknown with true or false once you know",
                    )
                )
                continue
            edits.append((line - 1, closing, f", {added}"))
        else:
            indent = column - 1
            end = _block_end(lines, line - 1, indent)
            for field in reversed(missing):
                edits.append((end, -1, f"{' ' * indent}{field}: unknown  {_note(field)}"))
        stated.extend(f"{shown}.{f}" for f in missing)
    if "workforce" not in data:
        body = "\n".join(f"  {f}: unknown  {_note(f)}" for f in SWITCHES["workforce"])
        edits.append((len(lines) - 1, -2, f"workforce:\n{body}"))
        stated.extend(f"workforce.{f}" for f in SWITCHES["workforce"])
    if problems:
        raise ValidationErrors(problems)
    for index, column, addition in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if column == -1:
            lines.insert(index + 1, addition)
        elif column == -2:
            while lines and not lines[-1].strip():
                lines.pop()
            lines.extend(["", addition, ""])
        else:
            lines[index] = lines[index][:column] + addition + lines[index][column:]
    return Migration("\n".join(lines), stated)


def migrate_file(path: Path, shown: str) -> Migration:
    """Migrate one file's text; the result is validated before it is returned."""
    document = load_file(path, display=shown)
    text = path.read_text(encoding="utf-8")
    validate_declaration(document)
    migration = migrate_document(document, text)
    validate_declaration(load_text(migration.text, shown))
    return migration
