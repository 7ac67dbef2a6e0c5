"""The check pipeline: find files, load, validate and evaluate each, and gather one Result."""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .catalog import ResolvedPolicy, display_path
from .compiler import RuleSet
from .engine import evaluate
from .errors import CcaiError, Location, ValidationErrors
from .evidence import RULE as EVIDENCE_RULE
from .evidence import resolve as resolve_evidence
from .evidence import verify as verify_evidence
from .filekinds import other_format
from .loader import DEFAULT_MAX_BYTES, load_file
from .model.result import (
    DeclarationResult,
    InputFile,
    PolicyInfo,
    Problem,
    Result,
    RuleInfo,
    SkippedFile,
    SourceLocation,
)
from .model.rule import Severity
from .validation import validate_declaration
from .workers import Killed, Limits, fork_available, run_all

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Target:
    """A file to check, a problem found while looking for files, or a file left out and why."""

    path: Path | None
    problem: CcaiError | None = None
    #: Why the file at `path` is not checked, or '' when it is.
    skipped: str = ""


def _matches(path: Path, relative: str, patterns: Iterable[str]) -> bool:
    """A glob with '/' matches the path (below the scanned folder, or as shown); one without,
    the file name."""
    shown = display_path(path).replace(os.sep, "/")
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(shown, pattern):
                return True
        elif fnmatch.fnmatch(path.name, pattern):
            return True
    return False


def _scan(
    path: Path, include: tuple[str, ...], exclude: tuple[str, ...]
) -> tuple[list[Path], list[OSError]]:
    found: list[Path] = []
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(path, followlinks=False, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            file = Path(root) / name
            relative = file.relative_to(path).as_posix()
            if _matches(file, relative, include) and not _matches(file, relative, exclude):
                found.append(file)
    return found, unreadable


def find_declarations(
    paths: Iterable[Path],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> list[Target]:
    """Expand files and directories into declaration files, in a stable order.

    Directory scans take the files matching `include` (default *.yaml, *.yml) and not
    `exclude`; files of ccai-policy's other formats (waivers, policies, rules) are skipped
    with a reason, as are files named directly that `exclude` matches.
    """
    included = tuple(include) or tuple(f"*{suffix}" for suffix in YAML_SUFFIXES)
    excluded = tuple(exclude)
    targets: list[Target] = []
    for path in paths:
        shown = display_path(path)
        if path.is_dir():
            found, unreadable = _scan(path, included, excluded)
            targets.extend(
                Target(
                    None,
                    CcaiError(
                        f"cannot read directory: {error.strerror or error}",
                        Location(display_path(Path(error.filename or path))),
                        "give the checker permission to list it, or leave it out",
                    ),
                )
                for error in unreadable
            )
            kinds = {file: other_format(file) for file in found}
            if not found and not unreadable:
                targets.append(
                    Target(
                        None,
                        CcaiError(
                            "no declarations (*.yaml, *.yml) in this directory",
                            Location(shown),
                            "give a declaration file or a directory that holds some",
                        ),
                    )
                )
            targets.extend(Target(p, skipped=kinds[p]) for p in sorted(found))
        elif path.exists() or path.is_symlink():
            if excluded and _matches(path, shown.replace(os.sep, "/"), excluded):
                targets.append(Target(path, skipped="matches an exclude pattern"))
                continue
            targets.append(Target(path, skipped=other_format(path) if path.is_file() else ""))
        else:
            targets.append(Target(None, CcaiError("no such file or directory", Location(shown))))
    return targets


def _problems(exc: CcaiError) -> list[Problem]:
    errors = exc.problems if isinstance(exc, ValidationErrors) else [exc]
    out = []
    for error in errors:
        loc = error.location or Location("")
        out.append(
            Problem(
                kind=error.kind,
                message=error.message,
                hint=error.hint,
                location=SourceLocation(file=loc.file, line=loc.line, column=loc.column),
            )
        )
    return out


@dataclass(frozen=True)
class ScanOptions:
    """Which files directory scans take (default *.yaml, *.yml) and which they leave out."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceOptions:
    """Where evidence files may live besides the declaration's folder, and whether to verify."""

    roots: tuple[Path, ...] = ()
    verify: bool = False


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while one declaration is checked.

    Checking a large declaration allocates millions of objects, nearly all without cycles;
    with the default thresholds the collector rescans the growing heap again and again (a
    fifth of the time of a 10,000-use declaration). Cycles are still collected.
    """
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check_one(
    path: Path,
    ruleset: RuleSet,
    as_of: dt.date,
    max_bytes: int = DEFAULT_MAX_BYTES,
    evidence: EvidenceOptions = EvidenceOptions(),
    keep_declaration: bool = True,
) -> DeclarationResult | list[Problem]:
    """Load, validate and evaluate one declaration file; problems instead of a result."""
    with _fewer_collections():
        try:
            document = load_file(path, display=display_path(path), max_bytes=max_bytes, sparse=True)
            declaration = validate_declaration(document)
            files = resolve_evidence(declaration, document, list(evidence.roots))
        except CcaiError as exc:
            return _problems(exc)
        result = evaluate(declaration, document, ruleset, as_of, keep_declaration)
    if not evidence.verify:
        return result
    findings = sorted(
        [*result.findings, *verify_evidence(files, document)],
        key=lambda f: (f.location.line, f.location.column, f.rule_id, f.subject.pointer),
    )
    return result.model_copy(update={"findings": findings})


def rule_infos(policy: ResolvedPolicy) -> list[RuleInfo]:
    return [
        RuleInfo(
            id=r.rule.id,
            title=r.rule.title,
            criterion=r.rule.criterion,
            severity=policy.severity[r.rule.id],
            tags=r.rule.tags,
            description=r.rule.description,
            remediation=r.rule.remediation,
            references=r.rule.references,
            mandatory=r.rule.id in policy.mandatory,
            applicability=r.rule.applicability,
        )
        for r in policy.rules
    ]


def _mebibytes(path: Path) -> float:
    """A file's size in MiB: the time limit is per MiB of the declaration (at least once), so
    that a large legitimate declaration is checked under the default limit."""
    try:
        return path.stat().st_size / (1024 * 1024)
    except OSError:
        return 1.0


def _contained(
    job: Callable[[Path], DeclarationResult | list[Problem]], path: Path
) -> DeclarationResult | list[Problem] | Killed:
    """A job run in this process, an unexpected error becoming its outcome as in a worker."""
    try:
        return job(path)
    except Exception as exc:
        return Killed(f"internal error: {type(exc).__name__}: {exc}"[:2000])


def check_paths(
    paths: Iterable[Path],
    ruleset: RuleSet,
    *,
    as_of: dt.date,
    fail_on: Severity | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 0,
    limits: Limits | None = None,
    evidence: EvidenceOptions = EvidenceOptions(),
    progress: Callable[[int, int], None] | None = None,
    scan: ScanOptions = ScanOptions(),
    contain_errors: bool = True,
    keep_declarations: bool = True,
) -> Result:
    """Check every declaration under the paths; a bad file never hides the others' results.

    With jobs > 0, declarations are evaluated in that many forked worker processes, each
    under hard time and memory limits; with 0, in this process without hard limits. Either
    way an internal error in one file is that file's problem; `contain_errors=False` (--debug
    with --jobs 0) lets it raise, for its traceback. `keep_declarations=False` leaves each
    result's copy of its declaration empty: less to hold and to send back from the workers,
    for runs whose outputs never read it.
    """
    declarations: list[DeclarationResult] = []
    problems: list[Problem] = []
    targets = find_declarations(paths, scan.include, scan.exclude)
    files = [t.path for t in targets if t.path is not None and not t.skipped]
    skipped = [
        SkippedFile(file=display_path(t.path), reason=t.skipped)
        for t in targets
        if t.path is not None and t.skipped
    ]

    def job(path: Path) -> DeclarationResult | list[Problem]:
        return check_one(path, ruleset, as_of, max_bytes, evidence, keep_declarations)

    if jobs > 0 and fork_available():
        outcomes = run_all(
            job,
            files,
            jobs=jobs,
            limits=limits or Limits(),
            progress=progress,
            weights=[_mebibytes(path) for path in files],
        )
    else:
        outcomes = [_contained(job, path) if contain_errors else job(path) for path in files]
    by_path = dict(zip(files, outcomes, strict=True))
    for target in targets:
        if target.problem is not None:
            problems.extend(_problems(target.problem))
            continue
        if target.skipped:
            continue
        assert target.path is not None
        outcome = by_path[target.path]
        if isinstance(outcome, DeclarationResult):
            declarations.append(outcome)
        elif isinstance(outcome, Killed):
            problems.append(
                Problem(
                    kind="limit",
                    message=f"could not evaluate: {outcome.reason}",
                    hint="split the declaration, or check the rules for costly expressions",
                    location=SourceLocation(file=display_path(target.path)),
                )
            )
        else:
            problems.extend(outcome)
    policy = ruleset.policy
    return Result(
        tool_version=__version__,
        as_of=as_of,
        policy=PolicyInfo(
            id=policy.policy.id,
            version=policy.policy.version,
            title=policy.policy.title,
            rules_digest=policy.digest,
            fail_on=policy.fail_on,
        ),
        fail_on=fail_on or policy.fail_on,
        rules=[*rule_infos(policy), *([EVIDENCE_RULE] if evidence.verify else [])],
        inputs=[InputFile(file=d.file, sha256=d.sha256) for d in declarations],
        declarations=declarations,
        problems=problems,
        skipped=skipped,
    )
