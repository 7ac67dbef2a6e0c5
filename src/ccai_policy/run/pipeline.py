"""The one pipeline: load, validate, evaluate (rules and built-in checks), waive, baseline.

Every command that evaluates declarations (`check`, `diff`, `rules test`, `rules lint`), the
benchmark and the tests call it, under the worker limits (`workers.py`) unless told `jobs=0`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ccai_policy import __version__
from ccai_policy.errors import CcaiError, Location, ValidationErrors
from ccai_policy.evaluate.compiler import RuleSet
from ccai_policy.evaluate.engine import evaluate
from ccai_policy.evaluate.findings import finding_order
from ccai_policy.evaluate.runtime import keep_programs
from ccai_policy.load.loader import DEFAULT_MAX_BYTES, Document, load_file
from ccai_policy.load.validation import validate_declaration
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.grading import Severity
from ccai_policy.model.result import (
    DeclarationResult,
    InputFile,
    PolicyInfo,
    Problem,
    Result,
    RuleInfo,
    SkippedFile,
)
from ccai_policy.paths import display_path
from ccai_policy.policy.builtin_rules import Trigger, running
from ccai_policy.policy.resolve import ResolvedPolicy
from ccai_policy.provenance.evidence import resolve as resolve_evidence
from ccai_policy.provenance.evidence import verify as verify_evidence
from ccai_policy.run.discovery import ScanOptions, find_declarations
from ccai_policy.run.workers import FEWER_COLLECTIONS, Killed, Limits, default_limits, run_each

if TYPE_CHECKING:
    from ccai_policy.evaluate.baseline import Baseline
    from ccai_policy.evaluate.waivers import LoadedWaiver

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class EvidenceOptions:
    """Where evidence files may live besides the declaration's folder, and whether to verify."""

    roots: tuple[Path, ...] = ()
    verify: bool = False


@dataclass(frozen=True)
class Checks:
    """What a run evaluates declarations against, and what it applies to the findings."""

    ruleset: RuleSet
    as_of: dt.date
    fail_on: Severity | None = None
    evidence: EvidenceOptions = EvidenceOptions()
    #: The built-in Content Credentials rules (--verify-credentials).
    credentials: bool = False
    waivers: Sequence[LoadedWaiver] = ()
    baseline: Baseline | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    #: False: each result's copy of its declaration left empty (for outputs that never read it)
    keep_declarations: bool = True

    @property
    def triggers(self) -> set[Trigger]:
        """What makes built-in rules run in this run (see builtin_rules.py)."""
        found: set[Trigger] = set()
        if any(r.rule.agreements for r in self.ruleset.policy.rules):
            found.add("agreements")
        if self.evidence.verify:
            found.add("evidence")
        if self.credentials:
            found.add("credentials")
        return found


@dataclass(frozen=True)
class Execution:
    """How jobs run: in `jobs` worker processes under `limits`, or with 0 in this process
    without limits; `contain_errors=False` (--debug with --jobs 0) lets an internal error
    raise, for its traceback; `kept`: results kept to the process's end (workers.run_each)."""

    jobs: int = 1
    limits: Limits = field(default_factory=default_limits)
    progress: Callable[[int, int], None] | None = None
    contain_errors: bool = True
    kept: bool = False

    def run(
        self,
        job: Callable[[T], R],
        items: Sequence[T],
        weights: Sequence[float] | None = None,
    ) -> list[R | Killed]:
        """Each job's outcome, in order; a job over the limits becomes Killed. `weights`: how
        many times the time limit each job may take (default once each)."""
        return run_each(
            job,
            items,
            jobs=self.jobs,
            limits=self.limits,
            progress=self.progress,
            contain_errors=self.contain_errors,
            weights=weights,
            kept=self.kept,
        )


def problems_of(exc: CcaiError) -> list[Problem]:
    """An error (or each of a group) as the problems a result reports."""
    errors = exc.problems if isinstance(exc, ValidationErrors) else [exc]
    return [
        Problem(kind=e.kind, message=e.message, hint=e.hint, location=e.location or Location(""))
        for e in errors
    ]


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while one declaration is checked.

    Checking a large declaration allocates millions of objects, nearly all without cycles;
    with the default thresholds the collector rescans the growing heap again and again (a
    fifth of the time of a 10,000-use declaration). Cycles are still collected.
    """
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def evaluate_document(document: Document, checks: Checks) -> DeclarationResult:
    """Validate one loaded declaration and evaluate the rules and the built-in checks on it.

    Raises the validation errors of an invalid declaration, which is never evaluated."""
    return evaluate_valid(validate_declaration(document), document, checks)


def evaluate_valid(
    declaration: Declaration, document: Document, checks: Checks
) -> DeclarationResult:
    """Evaluate the rules and the built-in checks on a validated declaration."""
    files = resolve_evidence(declaration, document, list(checks.evidence.roots))
    keep = checks.keep_declarations or checks.credentials  # the credentials check reads it
    result = evaluate(declaration, document, checks.ruleset, checks.as_of, keep)
    built_in = []
    if checks.evidence.verify:
        built_in += verify_evidence(files, document)
    if checks.credentials:
        from ccai_policy.provenance.credentials import verify_credentials

        built_in += verify_credentials(document, result.declaration, checks.ruleset.policy.params)
    if not built_in:
        return result
    findings = sorted([*result.findings, *built_in], key=finding_order)
    return result.model_copy(update={"findings": findings})


def check_one(path: Path, checks: Checks) -> DeclarationResult | list[Problem]:
    """Load, validate and evaluate one declaration file; problems instead of a result."""
    with _fewer_collections():
        try:
            document = load_file(
                path, display=display_path(path), max_bytes=checks.max_bytes, sparse=True
            )
            declaration = validate_declaration(document)
            # The model holds the data now: the parsed tree is not kept while rules run.
            document = dataclasses.replace(document, data=None)
            result = evaluate_valid(declaration, document, checks)
        except CcaiError as exc:
            return problems_of(exc)
    keep_programs()  # what this check compiled, for the next run (evaluate/programcache.py)
    return result


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


def killed_problem(file: str, outcome: Killed) -> Problem:
    """A job the limits stopped (or whose worker died), as the located problem users read."""
    return Problem(
        kind="limit",
        message=f"could not evaluate: {outcome.reason}",
        hint="split the declaration, or check the rules for costly expressions",
        location=Location(file=file),
    )


def _mebibytes(path: Path) -> float:
    """A file's size in MiB: the CPU-time limit is per MiB (at least once), for large files."""
    try:
        return path.stat().st_size / (1024 * 1024)
    except OSError:
        return 1.0


def run_pipeline(
    paths: Iterable[Path],
    checks: Checks,
    execution: Execution | None = None,
    scan: ScanOptions | None = None,
) -> Result:
    """Check every declaration under the paths, then waive and apply the baseline.

    One bad file never hides the others' results: a file that cannot be read, is invalid, or
    is stopped by the limits is a problem of its own, and the rest are evaluated in full.
    """
    declarations: list[DeclarationResult] = []
    problems: list[Problem] = []
    scan = scan or ScanOptions()
    execution = execution or Execution()
    targets = find_declarations(paths, scan.include, scan.exclude)
    files = [t.path for t in targets if t.path is not None and not t.skipped]
    skipped = [
        SkippedFile(file=display_path(t.path), reason=t.skipped)
        for t in targets
        if t.path is not None and t.skipped
    ]

    def job(path: Path) -> DeclarationResult | list[Problem]:
        return check_one(path, checks)

    weights = [_mebibytes(path) for path in files]
    with _fewer_collections():  # the results received are as large as the declarations
        by_path = dict(zip(files, execution.run(job, files, weights), strict=True))
    for target in targets:
        if target.problem is not None:
            problems.extend(problems_of(target.problem))
            continue
        if target.skipped or target.path is None:
            continue
        outcome = by_path[target.path]
        if isinstance(outcome, DeclarationResult):
            declarations.append(outcome)
        elif isinstance(outcome, Killed):
            problems.append(killed_problem(display_path(target.path), outcome))
        else:
            problems.extend(outcome)
    policy = checks.ruleset.policy
    result = Result(
        tool_version=__version__,
        as_of=checks.as_of,
        policy=PolicyInfo(
            id=policy.policy.id,
            version=policy.policy.version,
            title=policy.policy.title,
            rules_digest=policy.digest,
            fail_on=policy.fail_on,
        ),
        fail_on=checks.fail_on or policy.fail_on,
        rules=[*rule_infos(policy), *running(checks.triggers)],
        inputs=[InputFile(file=d.file, sha256=d.sha256) for d in declarations],
        declarations=declarations,
        problems=problems,
        skipped=skipped,
    )
    return finish(result, checks)


def finish(result: Result, checks: Checks) -> Result:
    """The waive and baseline stages, in that order: a baseline never stands in for a waiver."""
    if checks.waivers:  # else nothing to waive, nor to list as unused
        from ccai_policy.evaluate.waivers import apply_waivers

        result = apply_waivers(result, list(checks.waivers))
    if checks.baseline is not None:
        from ccai_policy.evaluate.baseline import apply_baseline

        result = apply_baseline(result, checks.baseline, checks.ruleset.policy.mandated_by)
    return result
