"""Find and load rules and policies, bundled or user-supplied, and resolve policy composition."""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccai_policy.errors import (
    CcaiError,
    LoadError,
    Location,
    RuleError,
    UsageProblem,
    ValidationErrors,
)
from ccai_policy.load.folderwalk import has_yaml_suffix, walk
from ccai_policy.load.loader import Document, load_file, printable_path
from ccai_policy.load.validation import validate_model
from ccai_policy.model.grading import SEVERITY_RANK, Severity
from ccai_policy.model.policy import Policy
from ccai_policy.model.rule import Rule
from ccai_policy.policy.builtin_rules import BUILT_IN_IDS
from ccai_policy.policy.inheritance import Mandate, mandate_problems
from ccai_policy.spelling import did_you_mean

_PACKAGE = Path(__file__).resolve().parents[1]  # the ccai_policy package


def data_dir(name: str) -> Path:
    """A bundled data directory: inside the installed wheel, or at the source tree's top."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source_tree = {"templates": Path("reports") / "templates"}.get(name, Path(name))
    return _PACKAGE.parent.parent / source_tree


def display_path(path: Path) -> str:
    """A path as shown to users: relative to the working directory when below it, bytes that are
    not UTF-8 as U+FFFD."""
    absolute = Path(os.path.abspath(path))  # no resolve(): a symlink loop must not raise
    try:
        return printable_path(absolute.relative_to(os.path.abspath(Path.cwd())))
    except ValueError:
        return printable_path(path)


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule and the located document it came from."""

    rule: Rule
    document: Document


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


def duplicate_id(loaded: LoadedRule, previous: LoadedRule) -> RuleError:
    """A rule whose id another rule file already has: the error names both files."""
    return RuleError(
        f"duplicate rule id {loaded.rule.id!r}: also defined in {previous.document.locate('/id')}",
        loaded.document.locate("/id"),
        "give every rule its own id; a folder added with --rules cannot redefine a bundled "
        "rule (rename yours, or leave the bundled rules out with --no-bundled-rules)",
    )


def load_rules(directory: Path) -> list[LoadedRule]:
    """Every rule below a directory; all problems of all files raised together."""
    return load_catalog(RuleSources((directory,), bundled=False))


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


def _file_identity(path: Path) -> tuple[int, int] | str:
    try:
        info = os.stat(path)
    except OSError:
        return os.path.abspath(path)  # the loader reports it
    return info.st_dev, info.st_ino


def load_rule_folder(
    directory: Path, seen: set[tuple[int, int] | str] | None = None
) -> tuple[list[LoadedRule], list[CcaiError]]:
    """The rules of one folder and the problems of its broken files, in file order; a file in
    `seen` (read through another folder or link already) is not read again."""
    if not directory.is_dir():
        problem = UsageProblem(
            f"rules directory {display_path(directory)} does not exist",
            hint="give --rules a folder of rule files",
        )
        return [], [problem]
    rules: list[LoadedRule] = []
    files, problems = yaml_files(directory)
    seen = set() if seen is None else seen
    for path in files:
        identity = _file_identity(path)
        if not is_rule_file(path) or identity in seen:
            continue
        seen.add(identity)
        try:
            rules.append(load_rule_file(path))
        except ValidationErrors as exc:
            problems.extend(exc.problems)
        except CcaiError as exc:
            problems.append(exc)
    return rules, problems


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
    for directory in sources.directories():
        rules, broken = load_rule_folder(directory, seen)
        groups.append(rules)
        problems.extend(broken)
    by_id, clashes = merge_rules(groups)
    problems.extend(clashes)
    if problems:
        raise ValidationErrors(problems)
    return sorted(by_id.values(), key=lambda r: r.rule.id)


@dataclass(frozen=True)
class ResolvedPolicy:
    """A policy with `extends` resolved: the rules it selects and their effective settings."""

    policy: Policy
    document: Document
    rules: list[LoadedRule]
    severity: dict[str, Severity]
    params: dict[str, Any]
    mandatory: frozenset[str]
    fail_on: Severity
    chain: list[str] = field(default_factory=list)
    #: For each mandatory rule, the policy (this one or an ancestor) that first made it so.
    mandated_by: dict[str, str] = field(default_factory=dict)

    def mandatory_below(self, fail_on: Severity) -> list[str]:
        """Mandatory rules whose failures a run with this threshold would not fail on."""
        rank = SEVERITY_RANK[fail_on]
        return sorted(m for m in self.mandatory if SEVERITY_RANK[self.severity[m]] < rank)

    @property
    def digest(self) -> str:
        """SHA-256 over the resolved rules, effective severities and parameters."""
        payload = {
            "rules": [
                {
                    **r.rule.model_dump(mode="json", by_alias=True),
                    "severity": self.severity[r.rule.id],
                }
                for r in self.rules
            ],
            "params": self.params,
            "mandatory": sorted(self.mandatory),
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def bundled_policies() -> dict[str, Path]:
    """Bundled policy ids and their files."""
    directory = data_dir("policies")
    return {p.stem: p for p in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])}


def _find_policy(ref: str) -> Path:
    """A policy the user names: a file (relative to the working directory) or a bundled id."""
    candidate = Path(ref)
    if has_yaml_suffix(ref) or "/" in ref or os.sep in ref:
        if candidate.is_file():
            return candidate
        raise UsageProblem(f"policy file {ref} does not exist")
    bundled = bundled_policies()
    if ref in bundled:
        return bundled[ref]
    close = did_you_mean(ref, bundled)
    raise UsageProblem(
        f"unknown policy {ref!r}",
        hint=f"{close + ' ' if close else ''}bundled policies: "
        f"{', '.join(sorted(bundled)) or 'none'}; or give a policy file",
    )


def as_sources(rules: RuleSources | Path | None) -> RuleSources:
    """A folder alone means that folder's rules only (the bundled ones left out)."""
    if rules is None:
        return RuleSources()
    if isinstance(rules, RuleSources):
        return rules
    return RuleSources((rules,), bundled=False)


def load_policy(ref: str, rules: RuleSources | Path | None = None) -> ResolvedPolicy:
    """Load a policy by bundled id or file path and resolve what it extends.

    The rules it selects from are the sources given plus the folders the policy (and every
    policy it extends) names in `rule_dirs`.
    """
    path = _find_policy(ref)
    tree = _PolicyTree(path)
    sources = as_sources(rules).adding(policy_rule_dirs(path, tree))
    by_id = {r.rule.id: r for r in load_catalog(sources)}
    return resolve_policy_file(path, by_id, tree)


def find_policy(ref: str) -> Path:
    """The file of a policy given as a bundled id or a path."""
    return _find_policy(ref)


#: How many levels `extends` may go below the policy given: a chain of up to 65 policies.
MAX_EXTENDS_DEPTH = 64


def _holds(folder: str, path: str) -> bool:
    """`path` is `folder` or below it (both real, absolute paths)."""
    return os.path.commonpath([folder, path]) == folder


class _PolicyTree:
    """The policy files one resolution reads: each once, however many policies extend it.

    `extends` is confined: a policy names bundled policies by id, or policy files in the folder
    of the policy given (or below it), never a file elsewhere, and goes at most
    MAX_EXTENDS_DEPTH levels deep. A bundled policy's own `extends` stays among the bundled.
    """

    def __init__(self, top: Path) -> None:
        self.root = os.path.realpath(top.parent)
        self.bundled_root = os.path.realpath(data_dir("policies"))
        self.files: dict[str, tuple[Policy, Document]] = {}

    def load(self, path: Path) -> tuple[Policy, Document]:
        key = os.path.realpath(path)
        if key not in self.files:
            self.files[key] = _load_policy_file(path)
        return self.files[key]

    def parents(self, path: Path, chain: list[str]) -> list[Path]:
        """The files of the policies the one at `path` extends; `chain` leads to it."""
        policy, document = self.load(path)
        if policy.extends and len(chain) >= MAX_EXTENDS_DEPTH:
            ids = [*chain, policy.id]
            shown = " -> ".join([*ids[:3], "...", *ids[-2:]] if len(ids) > 6 else ids)
            raise RuleError(
                f"extends goes more than {MAX_EXTENDS_DEPTH} policies deep: {shown}",
                document.locate("/extends"),
                f"a policy may extend several parents, to at most {MAX_EXTENDS_DEPTH} levels "
                "below the policy given; extend a policy nearer the top of the chain",
            )
        return [
            self._parent(ref, path, document.locate(f"/extends/{index}"))
            for index, ref in enumerate(policy.extends)
        ]

    def _parent(self, ref: str, child: Path, where: Location) -> Path:
        real_child = os.path.realpath(child)
        root = self.bundled_root if _holds(self.bundled_root, real_child) else self.root
        near = child.parent / ref
        names = [near] if has_yaml_suffix(near.name) else []
        names += [near.parent / f"{near.name}.yaml", near.parent / f"{near.name}.yml"]
        is_path = has_yaml_suffix(ref) or "/" in ref or os.sep in ref
        for name in names:
            inside = _holds(root, os.path.realpath(name))
            if inside and name.is_file():
                return name
            if not inside and (is_path or os.path.lexists(name)):
                # Refused before it is read: nothing of the file can reach a message.
                raise RuleError(
                    f"extends names {ref!r}, which is outside {display_path(Path(root))}, the "
                    "folder of the policy given",
                    where,
                    "extend a bundled policy by id, or a policy file in that folder or below it",
                )
        if is_path:
            raise RuleError(
                f"extends names {ref!r}, which does not exist",
                where,
                "policy files named in extends are relative to the policy that names them",
            )
        try:
            return _find_policy(ref)
        except UsageProblem as exc:
            raise RuleError(exc.message, where, exc.hint) from None


def policy_rule_dirs(path: Path, tree: _PolicyTree | None = None) -> list[Path]:
    """The rule folders a policy file and the policies it extends name, relative to each."""
    tree = tree or _PolicyTree(path)
    folders: list[Path] = []
    done: set[str] = set()

    def visit(path: Path, chain: list[str]) -> None:
        key = os.path.realpath(path)
        if key in done:
            return  # reached before, or a cycle: that is reported when the policy is resolved
        done.add(key)
        policy, document = tree.load(path)
        own = [path.parent / folder for folder in policy.rule_dirs]
        missing = [
            RuleError(
                f"rule_dirs names {name!r}, which is not a folder ({display_path(folder)})",
                document.locate(f"/rule_dirs/{index}"),
                "rule folders are relative to the policy file",
            )
            for index, (name, folder) in enumerate(zip(policy.rule_dirs, own, strict=True))
            if not folder.is_dir()
        ]
        if missing:
            raise ValidationErrors(missing)
        folders.extend(own)
        for parent in tree.parents(path, chain):
            visit(parent, [*chain, policy.id])

    visit(path, [])
    return folders


def resolve_policy_file(
    path: Path, by_id: dict[str, LoadedRule], tree: _PolicyTree | None = None
) -> ResolvedPolicy:
    """Resolve one policy file against a set of rules by id; each policy it extends, directly or
    through others, is read and resolved once."""
    return _resolve(path, by_id, [], tree or _PolicyTree(path), {})


def _same_file(bundled: Path, path: Path) -> bool:
    """The bundled policy itself, or a byte-identical copy of it."""
    try:
        return bundled.samefile(path) or bundled.read_bytes() == path.read_bytes()
    except OSError:
        return False


def _load_policy_file(path: Path) -> tuple[Policy, Document]:
    document = load_file(
        path,
        display=display_path(path),
        limit_hint="a policy file may be at most 10 MB: split it, one policy extending another",
    )
    return validate_model(Policy, document, what="policy"), document


def _resolve(
    path: Path,
    by_id: dict[str, LoadedRule],
    stack: list[str],
    tree: _PolicyTree,
    done: dict[str, ResolvedPolicy],
) -> ResolvedPolicy:
    real = os.path.realpath(path)
    if real in done:
        return dataclasses.replace(done[real], chain=[*stack, done[real].policy.id])
    policy, document = tree.load(path)
    bundled = bundled_policies().get(policy.id)
    if bundled is not None and not _same_file(bundled, path):
        raise RuleError(
            f"policy id {policy.id!r} is a bundled policy's, but this file is not that policy: "
            "results and reports would name it as the bundled one",
            document.locate("/id"),
            f"give this policy its own id; to build on the bundled one, write extends: "
            f"[{policy.id}]",
        )
    if policy.id in stack:
        raise RuleError(
            f"policy {policy.id!r} extends itself: {' -> '.join([*stack, policy.id])}",
            document.locate("/extends"),
            "remove the cycle",
        )
    parents = [
        _resolve(parent, by_id, [*stack, policy.id], tree, done)
        for parent in tree.parents(path, stack)
    ]
    selected: set[str] = set()
    severity: dict[str, Severity] = {}
    params: dict[str, Any] = {}
    mandatory: set[str] = set()
    fail_on: Severity | None = None
    inherited: dict[str, Mandate] = {}
    for parent in parents:
        selected.update(r.rule.id for r in parent.rules)
        severity.update(parent.severity)
        params.update(parent.params)
        mandatory.update(parent.mandatory)
        fail_on = parent.fail_on
        for rule_id in parent.mandatory:
            mandate = Mandate(
                parent.mandated_by.get(rule_id, parent.policy.id),
                parent.severity[rule_id],
                parent.params,
            )
            known = inherited.get(rule_id)
            if known is None or SEVERITY_RANK[mandate.severity] > SEVERITY_RANK[known.severity]:
                inherited[rule_id] = mandate
    # A second parent must not lower or retune what the first one mandates.
    for rule_id, mandate in inherited.items():
        if SEVERITY_RANK[severity[rule_id]] < SEVERITY_RANK[mandate.severity]:
            severity[rule_id] = mandate.severity
        for name in by_id[rule_id].rule.params:
            if name in mandate.params:
                params[name] = mandate.params[name]
    include_given = "include" in policy.rules.model_fields_set or not parents
    problems: list[CcaiError] = []
    for index, pattern in enumerate(policy.rules.include if include_given else []):
        matched = fnmatch.filter(by_id, pattern)
        if not matched:
            problems.append(
                RuleError(
                    f"include pattern {pattern!r} matches no rule",
                    document.locate(f"/rules/include/{index}"),
                    "check the rule id",
                )
            )
        selected.update(matched)
    for pattern in policy.rules.exclude:
        selected.difference_update(fnmatch.filter(selected, pattern))
    for key, where in (("severity", policy.severity), ("mandatory", policy.mandatory)):
        for rule_id in where:
            if rule_id not in by_id:
                problems.append(
                    RuleError(
                        f"{key} names unknown rule {rule_id!r}",
                        document.locate(f"/{key}"),
                        did_you_mean(rule_id, by_id) or "check the rule id",
                    )
                )
    if problems:
        raise ValidationErrors(problems)
    rules = [by_id[rule_id] for rule_id in sorted(selected)]
    for loaded in rules:
        severity.setdefault(loaded.rule.id, loaded.rule.severity)
    severity.update(policy.severity)
    for loaded in rules:
        for name, default in loaded.rule.params.items():
            params.setdefault(name, default)
    params.update(policy.params)
    mandatory.update(policy.mandatory)
    resolved_fail_on: Severity = policy.fail_on or fail_on or "high"
    problems.extend(
        mandate_problems(
            policy,
            document,
            inherited,
            {rule_id: loaded.rule.params for rule_id, loaded in by_id.items()},
            selected,
            severity,
            resolved_fail_on,
        )
    )
    if problems:
        raise ValidationErrors(problems)
    mandated_by = {rule_id: m.policy for rule_id, m in inherited.items()}
    for rule_id in policy.mandatory:
        mandated_by.setdefault(rule_id, policy.id)
    resolved = ResolvedPolicy(
        policy=policy,
        document=document,
        rules=rules,
        severity={r.rule.id: severity[r.rule.id] for r in rules},
        params=params,
        mandatory=frozenset(m for m in mandatory if m in selected),
        fail_on=resolved_fail_on,
        chain=[*stack, policy.id],
        mandated_by={m: p for m, p in mandated_by.items() if m in selected},
    )
    done[real] = resolved
    return resolved


def rule_location(loaded: LoadedRule, key: str) -> tuple[Location, str, str]:
    """Where a rule field's value starts in its file, its YAML scalar style, and the file."""
    pointer = f"/{key}"
    start = loaded.document.scalar_starts.get(pointer)
    if start is None:
        return loaded.document.locate(pointer), "", loaded.document.text
    return Location(loaded.document.path, start[0], start[1]), start[2], loaded.document.text
