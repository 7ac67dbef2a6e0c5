"""Built-in Content Credentials rules: each asset file's C2PA manifest against the declaration.

They run with `check --verify-credentials` and need the optional extra `ccai-policy[c2pa]`
(c2pa-python); without it every rule says so as `not_applicable`, never as a pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ccai_policy.load.loader import Document
from ccai_policy.model.result import Finding, RuleInfo, Subject
from ccai_policy.policy.builtin_rules import CREDENTIAL_RULES, MANIFEST, SOURCE, TRAINING
from ccai_policy.provenance.c2pareader import (
    Manifest,
    Unavailable,
    Unreadable,
    load_library,
    read_manifest,
)

#: A policy parameter: true makes every asset file carry a training-and-data-mining assertion.
REQUIRE_TRAINING_MINING = "c2pa_require_training_mining"
EXTRA = "install the optional extra: pip install 'ccai-policy[c2pa]'"
TRAINING_KEYS = ("data_mining", "ai_inference", "ai_generative_training", "ai_training")


Reader = Callable[[Path, Path | None], Manifest | None]


@dataclass(frozen=True)
class AssetFile:
    """An asset of the declaration that names a file, and what reading it gave."""

    index: int
    asset: dict[str, Any]
    raw: str
    manifest: Manifest | None = None
    problem: str = ""

    @property
    def id(self) -> str:
        return str(self.asset["id"])


def _resolve(base: Path, raw: str) -> Path:
    return Path(raw) if PurePosixPath(raw).is_absolute() else base / raw


def read_assets(declaration: dict[str, Any], base: Path, reader: Reader) -> list[AssetFile]:
    """Every asset that names a file, with its manifest or why it could not be read."""
    out = []
    for index, asset in enumerate(declaration.get("assets") or []):
        raw = asset.get("path")
        if not raw:
            continue
        path = _resolve(base, raw)
        declared = (asset.get("content_credentials") or {}).get("manifest") or ""
        sidecar = _resolve(base, declared) if declared and "://" not in declared else None
        if sidecar is not None and sidecar.resolve() == path.resolve():
            sidecar = None  # the manifest is embedded in the file itself
        if not path.is_file():
            out.append(AssetFile(index, asset, raw, problem=f"the file {raw} does not exist"))
            continue
        try:
            out.append(AssetFile(index, asset, raw, manifest=reader(path, sidecar)))
        except Unreadable as exc:
            out.append(AssetFile(index, asset, raw, problem=f"cannot read {raw}: {exc}"))
    return out


class _Findings:
    """Findings of the three rules for one declaration, located in its document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.items: list[Finding] = []

    def add(self, rule: RuleInfo, status: str, message: str, item: AssetFile | None) -> None:
        pointer = f"/assets/{item.index}" if item else "/assets"
        loc = self.document.locate(f"{pointer}/path" if item else pointer)
        self.items.append(
            Finding.model_validate(
                {
                    "rule_id": rule.id,
                    "title": rule.title,
                    "criterion": rule.criterion,
                    "severity": rule.severity,
                    "status": status,
                    "message": message,
                    "subject": Subject(id=item.id if item else None, pointer=pointer),
                    "location": loc,
                    "remediation": rule.remediation,
                    "references": rule.references,
                    "tags": rule.tags,
                }
            )
        )

    def close(self, rule: RuleInfo, checked: int, failed: int, none_reason: str) -> None:
        """One finding for the rule when no item failed: a pass, or why nothing was checked."""
        if failed:
            return
        if checked:
            self.add(rule, "pass", f"passed: {rule.title} ({checked} checked)", None)
        else:
            self.add(rule, "not_applicable", none_reason, None)


def _check_manifests(out: _Findings, files: list[AssetFile]) -> None:
    failed = 0
    for f in files:
        declared = (
            " although the declaration names Content Credentials"
            if f.asset.get("content_credentials")
            else ""
        )
        if f.problem:
            message = f"{f.id}: {f.problem}, so its Content Credentials cannot be checked"
        elif f.manifest is None:
            message = (
                f"{f.id} ({f.asset['title']}): {f.raw} carries no Content Credentials{declared}"
            )
        elif not f.manifest.valid:
            reasons = ", ".join(f.manifest.failures) or "validation failed"
            message = f"{f.id}: the Content Credentials of {f.raw} do not validate ({reasons})"
        else:
            continue
        failed += 1
        out.add(MANIFEST, "fail", message, f)
    out.close(MANIFEST, len(files), failed, "the declaration names no asset files (assets[].path)")


def _declared_sources(f: AssetFile, declaration: dict[str, Any]) -> list[str]:
    stated = (f.asset.get("content_credentials") or {}).get("digital_source_type")
    if stated:
        return [stated]
    uses = {u["id"]: u for u in declaration.get("uses") or []}
    found = (uses.get(u, {}).get("digital_source_type") for u in f.asset.get("uses") or [])
    return list(dict.fromkeys(t for t in found if t))


def _check_sources(out: _Findings, files: list[AssetFile], declaration: dict[str, Any]) -> None:
    checked = failed = 0
    for f in files:
        declared = _declared_sources(f, declaration)
        if f.manifest is None or not declared:
            continue
        checked += 1
        shown = " or ".join(declared)
        if not f.manifest.source_types:
            message = (
                f"{f.id}: the Content Credentials of {f.raw} state no digital source type; "
                f"the declaration says {shown}"
            )
        elif not set(declared) & set(f.manifest.source_types):
            message = (
                f"{f.id}: the Content Credentials of {f.raw} say "
                f"{', '.join(f.manifest.source_types)}; the declaration says {shown}"
            )
        else:
            continue
        failed += 1
        out.add(SOURCE, "fail", message, f)
    out.close(
        SOURCE,
        checked,
        failed,
        "no asset file with Content Credentials has a declared digital source type",
    )


def _check_training(out: _Findings, files: list[AssetFile], required: bool) -> None:
    checked = failed = 0
    for f in files:
        stated = (f.asset.get("content_credentials") or {}).get("training_mining") or {}
        declared = {k: v for k, v in stated.items() if k in TRAINING_KEYS and v}
        if f.manifest is None or not (declared or required):
            continue
        checked += 1
        found = f.manifest.training_mining
        if found is None:
            why = (
                "the policy requires one"
                if not declared
                else "the declaration states " + ", ".join(f"{k}: {v}" for k, v in declared.items())
            )
            message = f"{f.id}: {f.raw} carries no training-and-data-mining assertion; {why}"
        else:
            wrong = [
                f"{k}: the file says {found.get(k) or '(nothing)'}, the declaration {v}"
                for k, v in declared.items()
                if found.get(k) != v
            ]
            if not wrong:
                continue
            message = (
                f"{f.id}: the training-and-data-mining terms of {f.raw} differ: {'; '.join(wrong)}"
            )
        failed += 1
        out.add(TRAINING, "fail", message, f)
    out.close(
        TRAINING,
        checked,
        failed,
        "no asset file with Content Credentials declares training-and-data-mining terms, and "
        f"the policy does not require them (param {REQUIRE_TRAINING_MINING})",
    )


def findings(
    document: Document,
    declaration: dict[str, Any],
    params: dict[str, Any],
    reader: Reader | None,
    unavailable: str = "c2pa-python is not installed",
) -> list[Finding]:
    """The three rules' findings for one declaration (its validated data, located in its
    document); reader None: c2pa-python is unusable (for `unavailable`)."""
    out = _Findings(document)
    base = Path(document.path).resolve().parent
    named = [a for a in declaration.get("assets") or [] if a.get("path")]
    if reader is None or not named:
        reason = (
            f"cannot check {len(named)} asset file(s): {unavailable}; {EXTRA}"
            if named
            else "the declaration names no asset files (assets[].path)"
        )
        for rule in CREDENTIAL_RULES:
            out.add(rule, "not_applicable", reason, None)
        return out.items
    files = read_assets(declaration, base, reader)
    _check_manifests(out, files)
    _check_sources(out, files, declaration)
    _check_training(out, files, params.get(REQUIRE_TRAINING_MINING) is True)
    return out.items


def verify_credentials(
    document: Document,
    declaration: dict[str, Any],
    params: dict[str, Any],
    reader: Reader | None = read_manifest,
) -> list[Finding]:
    """The credentials rules' findings for one declaration, run where it is evaluated (in the
    worker, under its limits), so that reading a manifest is bounded like the rest."""
    unavailable = "c2pa-python is not installed"
    if reader is not None:
        try:
            load_library()
        except Unavailable as exc:
            reader, unavailable = None, str(exc)
    return findings(document, declaration, params, reader, unavailable)
