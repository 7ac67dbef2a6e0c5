"""Files a declaration points at (signed consents, media, manifests): contained, and verified."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ccai_policy.errors import ValidationErrors, ValidationProblem
from ccai_policy.load.loader import Document
from ccai_policy.load.validation import field_path
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.result import Finding, Status, Subject
from ccai_policy.policy.builtin_rules import EVIDENCE

RULE = EVIDENCE


@dataclass(frozen=True)
class EvidenceRef:
    item: str
    pointer: str
    subject_id: str
    raw: str
    sha256: str | None


def references(declaration: Declaration) -> Iterator[EvidenceRef]:
    """Every file path the declaration names, with the JSON pointer of the path field."""
    for i, consent in enumerate(declaration.consents):
        if consent.evidence is not None:
            ev = consent.evidence
            item = f"/consents/{i}"
            yield EvidenceRef(item, f"{item}/evidence/path", consent.id, ev.path, ev.sha256)
    for i, asset in enumerate(declaration.assets):
        item = f"/assets/{i}"
        if asset.path:
            yield EvidenceRef(item, f"{item}/path", asset.id, asset.path, None)
        credentials = asset.content_credentials
        if credentials is not None and "://" not in credentials.manifest:
            pointer = f"{item}/content_credentials/manifest"
            yield EvidenceRef(item, pointer, asset.id, credentials.manifest, None)


def _display(pointer: str) -> str:
    parts = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
    return field_path(parts)


def _real(path: Path, folders: dict[str, str]) -> str:
    """path.resolve(), as text, resolving each folder once: a declaration names many files in
    few folders, so only a file that is itself a symbolic link is resolved on its own."""
    if ".." in path.parts:
        return str(path.resolve())
    head, name = os.path.split(str(path))
    folder = folders.get(head)
    if folder is None:
        folder = folders[head] = str(Path(head).resolve())
    real = os.path.join(folder, name) if name else folder
    return str(Path(real).resolve()) if os.path.islink(real) else real


def _refusal(target: Path, absolute: bool, roots: list[Path], folders: dict[str, str]) -> str:
    """Why an evidence path is not acceptable, or '' when it is inside an allowed folder."""
    if "\x00" in str(target):
        return "contains a NUL character"
    try:
        resolved = _real(target, folders)
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
        return "cannot be resolved (a symbolic link loop?)"
    if any(_inside(resolved, root) for root in roots):
        return ""
    return "is absolute" if absolute else "leaves the declaration's folder"


def _inside(path: str, root: Path) -> bool:
    """Whether a resolved path is the resolved folder `root` or inside it: compared as text
    where paths are POSIX (both absolute and normalized, so a prefix ending in a separator is
    a parent), else as parts."""
    if os.sep != "/" or os.altsep:  # pragma: no cover - Windows compares case-insensitively
        return Path(path) == root or root in Path(path).parents
    folder = str(root)
    return path == folder or path.startswith(folder if folder.endswith("/") else folder + "/")


def resolve(
    declaration: Declaration, document: Document, roots: list[Path]
) -> list[tuple[EvidenceRef, Path]]:
    """Each reference's file; paths that leave the allowed folders are validation errors."""
    base = Path(document.path).resolve().parent
    allowed = [base, *(r.resolve() for r in roots)]
    resolved: list[tuple[EvidenceRef, Path]] = []
    problems = []
    folders: dict[str, str] = {}
    for ref in references(declaration):
        absolute = PurePosixPath(ref.raw).is_absolute()
        target = Path(ref.raw) if absolute else base / ref.raw
        why = _refusal(target, absolute, allowed, folders)
        if why:
            shown = repr(ref.raw) if len(ref.raw) <= 200 else f"{ref.raw[:200]!r}…"
            problems.append(
                ValidationProblem(
                    f"`{_display(ref.pointer)}`: evidence path {shown} {why}",
                    document.locate(ref.pointer),
                    "use a path relative to the declaration's folder, or allow a folder with "
                    "--evidence-root",
                )
            )
            continue
        resolved.append((ref, target))
    if problems:
        raise ValidationErrors(problems)
    return resolved


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(resolved: list[tuple[EvidenceRef, Path]], document: Document) -> list[Finding]:
    """Findings of the built-in evidence rule: one per bad file, or one pass."""

    def finding(status: Status, message: str, ref: EvidenceRef | None) -> Finding:
        if ref is None:
            return RULE.finding(status, message, Subject(id=None, pointer=""), document.locate(""))
        subject = Subject(id=ref.subject_id, pointer=ref.item)
        return RULE.finding(status, message, subject, document.locate(ref.pointer))

    if not resolved:
        return [finding("not_applicable", "the declaration names no evidence files", None)]
    findings = []
    for ref, path in resolved:
        try:
            is_file = stat.S_ISREG(path.stat().st_mode)
        except OSError as exc:  # a name too long for the file system, a permission, ...
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                reason = exc.strerror or str(exc)
                findings.append(
                    finding("fail", f"{ref.subject_id}: cannot read evidence file: {reason}", ref)
                )
                continue
            is_file = False
        if not is_file:
            findings.append(
                finding("fail", f"{ref.subject_id}: evidence file {ref.raw} does not exist", ref)
            )
            continue
        if ref.sha256 is None:
            continue
        try:
            actual = _sha256(path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            findings.append(
                finding(
                    "fail", f"{ref.subject_id}: cannot read evidence file {ref.raw}: {reason}", ref
                )
            )
            continue
        if actual != ref.sha256:
            findings.append(
                finding(
                    "fail",
                    f"{ref.subject_id}: evidence file {ref.raw} has SHA-256 {actual}, "
                    f"but the declaration records {ref.sha256}",
                    ref,
                )
            )
    if not findings:
        findings.append(finding("pass", f"{len(resolved)} evidence files verified", None))
    return findings
