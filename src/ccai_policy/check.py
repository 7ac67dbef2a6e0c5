"""The check pipeline: find files, load, validate and evaluate each, and gather one Result."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .catalog import ResolvedPolicy, display_path
from .compiler import RuleSet
from .coverage import RULE as COVERAGE_RULE
from .discovery import find_declarations
from .engine import evaluate
from .errors import CcaiError, Location, ValidationErrors
from .evidence import RULE as EVIDENCE_RULE
from .evidence import resolve as resolve_evidence
from .evidence import verify as verify_evidence
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
) -> DeclarationResult | list[Problem]:
    """Load, validate and evaluate one declaration file; problems instead of a result."""
    with _fewer_collections():
        try:
            document = load_file(path, display=display_path(path), max_bytes=max_bytes)
            declaration = validate_declaration(document)
            files = resolve_evidence(declaration, document, list(evidence.roots))
        except CcaiError as exc:
            return _problems(exc)
        result = evaluate(declaration, document, ruleset, as_of)
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
) -> Result:
    """Check every declaration under the paths; a bad file never hides the others' results.

    With jobs > 0, declarations are evaluated in that many forked worker processes, each
    under hard time and memory limits; with 0, in this process without hard limits. Either
    way an internal error in one file is that file's problem; `contain_errors=False` (--debug
    with --jobs 0) lets it raise, for its traceback.
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
        return check_one(path, ruleset, as_of, max_bytes, evidence)

    if jobs > 0 and fork_available():
        outcomes = run_all(job, files, jobs=jobs, limits=limits or Limits(), progress=progress)
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
        rules=[
            *rule_infos(policy),
            *([COVERAGE_RULE] if any(r.rule.agreements for r in policy.rules) else []),
            *([EVIDENCE_RULE] if evidence.verify else []),
        ],
        inputs=[InputFile(file=d.file, sha256=d.sha256) for d in declarations],
        declarations=declarations,
        problems=problems,
        skipped=skipped,
    )
