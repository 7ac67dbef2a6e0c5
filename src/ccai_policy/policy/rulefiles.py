"""Read rule files: the YAML files of a rule folder, each validated as a Rule in its document."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccai_policy.errors import CcaiError, LoadError, Location, UsageProblem, ValidationErrors
from ccai_policy.load.folderwalk import has_yaml_suffix, walk
from ccai_policy.load.loader import Document, load_file
from ccai_policy.load.validation import validate_model
from ccai_policy.model.rule import Rule
from ccai_policy.paths import display_path


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule and the located document it came from."""

    rule: Rule
    document: Document


#: The JSON dumps of the rules last read back from the catalog's cache, by the rule object
#: they belong to (kept with it, so that an id is never taken for another rule's).
_DUMPS: dict[int, tuple[Rule, dict[str, Any]]] = {}


def remember_dumps(rules: list[Rule], dumps: list[dict[str, Any]]) -> None:
    """The dumps of rules as `rule_dump` makes them, known already (catalogcache.py), in place
    of those of an earlier read: a rule read before is dumped again if asked."""
    _DUMPS.clear()
    _DUMPS.update({id(rule): (rule, dump) for rule, dump in zip(rules, dumps, strict=True)})


def rule_dump(rule: Rule) -> dict[str, Any]:
    """The rule as JSON data (by alias), as the rule set's digest reads it: from the catalog's
    cache where it came from there, so that a check need not build the Rule model's
    serializer (about 15 ms of each start)."""
    known = _DUMPS.get(id(rule))
    if known is not None and known[0] is rule:
        return known[1]
    return rule.model_dump(mode="json", by_alias=True)


def yaml_files(directory: Path) -> tuple[list[Path], list[CcaiError]]:
    """YAML files below a directory (any letter case; linked folders followed once each), in a
    stable order, and the folders that could not be listed."""
    found = walk(directory, lambda path: has_yaml_suffix(path.name))
    unreadable: list[CcaiError] = [
        LoadError(
            f"cannot read directory: {error.strerror or error}",
            Location(display_path(Path(error.filename or directory))),
            "give the checker permission to list it, or leave it out",
        )
        for error in found.unreadable
    ]
    return found.files, unreadable


def is_rule_file(path: Path) -> bool:
    return not path.name.startswith("_") and path.stem.upper() != "README"


def load_rule_file(path: Path) -> LoadedRule:
    document = load_file(
        path,
        display=display_path(path),
        record_scalars=True,
        limit_hint="a rule file may be at most 10 MB: split it into several rules",
    )
    return LoadedRule(validate_model(Rule, document, what="rule"), document)


def _file_identity(path: Path) -> tuple[int, int] | str:
    try:
        info = os.stat(path)
    except OSError:
        return os.path.abspath(path)  # the loader reports it
    return info.st_dev, info.st_ino


def rule_paths(
    directory: Path, seen: set[tuple[int, int] | str] | None = None
) -> tuple[list[Path], list[CcaiError]]:
    """The rule files of one folder, in file order, and the problems of listing it; a file in
    `seen` (read through another folder or link already) is left out, and others added."""
    if not directory.is_dir():
        problem = UsageProblem(
            f"rules directory {display_path(directory)} does not exist",
            hint="give --rules a folder of rule files",
        )
        return [], [problem]
    files, problems = yaml_files(directory)
    seen = set() if seen is None else seen
    paths: list[Path] = []
    for path in files:
        identity = _file_identity(path)
        if not is_rule_file(path) or identity in seen:
            continue
        seen.add(identity)
        paths.append(path)
    return paths, problems


def load_rule_files(paths: list[Path]) -> tuple[list[LoadedRule], list[CcaiError]]:
    """The rules of these files and the problems of the broken ones, in order."""
    rules: list[LoadedRule] = []
    problems: list[CcaiError] = []
    for path in paths:
        try:
            rules.append(load_rule_file(path))
        except ValidationErrors as exc:
            problems.extend(exc.problems)
        except CcaiError as exc:
            problems.append(exc)
    return rules, problems


def load_rule_folder(
    directory: Path, seen: set[tuple[int, int] | str] | None = None
) -> tuple[list[LoadedRule], list[CcaiError]]:
    """The rules of one folder and the problems of its broken files, in file order; a file in
    `seen` (read through another folder or link already) is not read again."""
    paths, problems = rule_paths(directory, seen)
    rules, broken = load_rule_files(paths)
    return rules, problems + broken


def rule_location(loaded: LoadedRule, key: str) -> tuple[Location, str, str]:
    """Where a rule field's value starts in its file, its YAML scalar style, and the file."""
    pointer = f"/{key}"
    start = loaded.document.scalar_starts.get(pointer)
    if start is None:
        return loaded.document.locate(pointer), "", loaded.document.text
    return Location(loaded.document.path, start[0], start[1]), start[2], loaded.document.text
