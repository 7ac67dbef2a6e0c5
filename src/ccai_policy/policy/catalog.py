"""The rule catalog: the rules of every source folder, bundled ones first, merged by unique id."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.paths import data_dir
from ccai_policy.policy.builtin_rules import BUILT_IN_IDS
from ccai_policy.policy.catalogcache import load_bundled_folder
from ccai_policy.policy.rulefiles import LoadedRule, load_rule_folder


@dataclass(frozen=True)
class RuleSources:
    """Where rules come from: the bundled catalog (unless left out) and each folder added."""

    folders: tuple[Path, ...] = ()
    bundled: bool = True

    def directories(self) -> list[Path]:
        """Each folder once, the bundled catalog first, in the order given."""
        found = [data_dir("rules")] if self.bundled else []
        found += self.folders
        unique: dict[str, Path] = {}
        for folder in found:
            unique.setdefault(os.path.abspath(folder), folder)
        return list(unique.values())

    def adding(self, folders: list[Path]) -> RuleSources:
        return RuleSources((*self.folders, *folders), self.bundled)

    def without(self, folder: Path) -> RuleSources:
        """These sources less one folder (the bundled catalog too, when that is the one)."""
        target = os.path.abspath(folder)
        kept = tuple(f for f in self.folders if os.path.abspath(f) != target)
        bundled = self.bundled and os.path.abspath(data_dir("rules")) != target
        return RuleSources(kept, bundled)


def as_sources(rules: RuleSources | Path | None) -> RuleSources:
    """A folder alone means that folder's rules only (the bundled ones left out)."""
    if rules is None:
        return RuleSources()
    if isinstance(rules, RuleSources):
        return rules
    return RuleSources((rules,), bundled=False)


def duplicate_id(loaded: LoadedRule, previous: LoadedRule) -> RuleError:
    """A rule whose id another rule file already has: the error names both files."""
    return RuleError(
        f"duplicate rule id {loaded.rule.id!r}: also defined in {previous.document.locate('/id')}",
        loaded.document.locate("/id"),
        "give every rule its own id; a folder added with --rules cannot redefine a bundled "
        "rule (rename yours, or leave the bundled rules out with --no-bundled-rules)",
    )


def merge_rules(
    groups: list[list[LoadedRule]], seen: dict[str, LoadedRule] | None = None
) -> tuple[dict[str, LoadedRule], list[CcaiError]]:
    """Rules by id across sources; a second rule with an id already seen is a problem."""
    by_id: dict[str, LoadedRule] = dict(seen or {})
    problems: list[CcaiError] = []
    for group in groups:
        for loaded in group:
            if loaded.rule.id in BUILT_IN_IDS:
                problems.append(
                    RuleError(
                        f"rule id {loaded.rule.id!r} is a built-in rule's (see 'ccai-policy "
                        f"explain {loaded.rule.id}')",
                        loaded.document.locate("/id"),
                        "give the rule an id of its own",
                    )
                )
                continue
            previous = by_id.get(loaded.rule.id)
            if previous is not None:
                problems.append(duplicate_id(loaded, previous))
                continue
            by_id[loaded.rule.id] = loaded
    return by_id, problems


def load_catalog(sources: RuleSources) -> list[LoadedRule]:
    """Every rule of every source, ids unique across them; all problems raised together."""
    groups: list[list[LoadedRule]] = []
    problems: list[CcaiError] = []
    seen: set[tuple[int, int] | str] = set()
    bundled = os.path.abspath(data_dir("rules")) if sources.bundled else None
    for directory in sources.directories():
        if os.path.abspath(directory) == bundled:
            rules, broken = load_bundled_folder(directory, seen)
        else:
            rules, broken = load_rule_folder(directory, seen)
        groups.append(rules)
        problems.extend(broken)
    by_id, clashes = merge_rules(groups)
    problems.extend(clashes)
    if problems:
        raise ValidationErrors(problems)
    return sorted(by_id.values(), key=lambda r: r.rule.id)


def load_rules(directory: Path) -> list[LoadedRule]:
    """Every rule below a directory; all problems of all files raised together."""
    return load_catalog(RuleSources((directory,), bundled=False))
