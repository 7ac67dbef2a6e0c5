"""Find and read policy files: the one given, bundled by id or by path, and those it extends."""

from __future__ import annotations

import os
from pathlib import Path

from ccai_policy.errors import Location, RuleError, UsageProblem, ValidationErrors
from ccai_policy.load.folderwalk import has_yaml_suffix
from ccai_policy.load.loader import Document, load_file
from ccai_policy.load.validation import validate_model
from ccai_policy.model.policy import Policy
from ccai_policy.paths import data_dir, display_path
from ccai_policy.spelling import did_you_mean


def bundled_policies() -> dict[str, Path]:
    """Bundled policy ids and their files."""
    directory = data_dir("policies")
    return {p.stem: p for p in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])}


def find_policy(ref: str) -> Path:
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


def load_policy_file(path: Path) -> tuple[Policy, Document]:
    document = load_file(
        path,
        display=display_path(path),
        limit_hint="a policy file may be at most 10 MB: split it, one policy extending another",
    )
    return validate_model(Policy, document, what="policy"), document


#: How many levels `extends` may go below the policy given: a chain of up to 65 policies.
MAX_EXTENDS_DEPTH = 64


def _holds(folder: str, path: str) -> bool:
    """`path` is `folder` or below it (both real, absolute paths)."""
    return os.path.commonpath([folder, path]) == folder


class PolicyTree:
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
            self.files[key] = load_policy_file(path)
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
            return find_policy(ref)
        except UsageProblem as exc:
            raise RuleError(exc.message, where, exc.hint) from None


def policy_rule_dirs(path: Path, tree: PolicyTree | None = None) -> list[Path]:
    """The rule folders a policy file and the policies it extends name, relative to each."""
    tree = tree or PolicyTree(path)
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
