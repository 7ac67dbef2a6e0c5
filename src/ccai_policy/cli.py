"""The command line: parse options, build the pieces, run, write outputs, choose the exit code."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from .errors import CcaiError, ValidationErrors

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_CHOICE = click.Choice(["critical", "high", "medium", "low", "info"])


def _fail(message: str, hint: str = "") -> NoReturn:
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(EXIT_ERROR)


def _report(exc: CcaiError) -> NoReturn:
    problems = exc.problems if isinstance(exc, ValidationErrors) else [exc]
    for problem in problems:
        where = f"{problem.location}: " if problem.location else ""
        click.echo(f"{where}error: {problem.message}", err=True)
        if problem.hint:
            click.echo(f"  hint: {problem.hint}", err=True)
    sys.exit(EXIT_ERROR)


def handle_errors(func: F) -> F:
    """Turn every error into a message and exit 2; a traceback only with --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(kwargs.get("debug")) or bool((ctx.obj or {}).get("debug"))
        try:
            return func(*args, **kwargs)
        except CcaiError as exc:
            if debug:
                raise
            _report(exc)
        except (click.ClickException, click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc}",
                "this is a bug in ccai-policy; run again with --debug and report the traceback",
            )

    return wrapper  # type: ignore[return-value]


def _as_of(value: str | None) -> dt.date:
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise click.BadParameter(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp"
            ) from None
    return dt.datetime.now(dt.UTC).date()


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see either the old content or all of the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide reports from other readers
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _outputs(
    values: tuple[str, ...], formats: dict[str, Any], directory_formats: dict[str, Any]
) -> list[tuple[str, Path, bool]]:
    """(format, path, as a directory): a target ending in / or naming a directory is one."""
    outputs = []
    for value in values:
        name, sep, file = value.partition(":")
        if not sep or not file:
            raise click.BadParameter(f"{value!r} is not FORMAT:FILE", param_hint="-o/--output")
        if name not in formats:
            raise click.BadParameter(
                f"unknown format {name!r}; choose from {', '.join(formats)}",
                param_hint="-o/--output",
            )
        as_directory = file.endswith(("/", os.sep)) or Path(file).is_dir()
        if as_directory and name not in directory_formats:
            raise click.BadParameter(
                f"{file!r} is a directory; {name} writes one file "
                f"(only {', '.join(directory_formats)} can fill a directory)",
                param_hint="-o/--output",
            )
        outputs.append((name, Path(file), as_directory))
    return outputs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccai-policy")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Check declarations of AI use in productions against Creators Coalition on AI policies.

    Exit codes: 0 no finding at or above the threshold; 1 findings at or above it;
    2 something could not be evaluated (bad input, broken rule or policy, bad option).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--policy",
    "policy_ref",
    default="ccai-baseline",
    show_default=True,
    help="Bundled policy id or policy file.",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Rules directory (default: the bundled rules).",
)
@click.option(
    "--waivers",
    "waiver_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Waiver file; repeatable.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    help="JSON result of an earlier run: fail only on findings not in it.",
)
@click.option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    help="Lowest severity that fails the run (default: the policy's, else high).",
)
@click.option(
    "--format", "fmt", default="text", show_default=True, help="Format written to standard output."
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT:FILE",
    help="Also write FORMAT to FILE; repeatable.",
)
@click.option(
    "--as-of",
    help="The date rules treat as today (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today.",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=10 * 1024 * 1024,
    show_default=True,
    help="Largest declaration file accepted, in bytes.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes evaluating declarations, each under the limits below; "
    "0 evaluates in this process without hard limits.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds one declaration may take to evaluate.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=64),
    default=4096,
    show_default=True,
    help="Address space one worker may use, in MiB.",
)
@click.option(
    "--evidence-root",
    "evidence_roots",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="A folder evidence files may also be in (besides the declaration's); repeatable.",
)
@click.option(
    "--verify-evidence",
    is_flag=True,
    help="Check that each evidence file exists and matches its declared SHA-256.",
)
@click.option(
    "--verify-credentials",
    is_flag=True,
    help="Read each asset file's C2PA Content Credentials and check them against the "
    "declaration (needs the extra ccai-policy[c2pa]).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress indicator on a terminal.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@handle_errors
def check(
    paths: tuple[Path, ...],
    policy_ref: str,
    rules_dir: Path | None,
    waiver_files: tuple[Path, ...],
    baseline_file: Path | None,
    fail_on: str | None,
    fmt: str,
    outputs: tuple[str, ...],
    as_of: str | None,
    max_file_size: int,
    jobs: int,
    timeout: float,
    memory_limit: int,
    evidence_roots: tuple[Path, ...],
    verify_evidence: bool,
    verify_credentials: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Evaluate declaration files (or directories of them) against a policy."""
    from .catalog import load_policy
    from .check import EvidenceOptions, check_paths
    from .engine import compile_policy
    from .formats import DIRECTORY_FORMATS, FORMATS
    from .model.result import exit_code
    from .waivers import apply_waivers, load_waivers
    from .workers import Limits

    if fmt not in FORMATS:
        raise click.BadParameter(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    targets = _outputs(outputs, FORMATS, DIRECTORY_FORMATS)
    today = _as_of(as_of)
    policy = load_policy(policy_ref, rules_dir)
    ruleset = compile_policy(policy)
    waivers = load_waivers(waiver_files, policy)
    baseline = None
    if baseline_file is not None:
        from .baseline import load_baseline

        baseline = load_baseline(baseline_file)
    result = check_paths(
        paths,
        ruleset,
        as_of=today,
        fail_on=fail_on,  # type: ignore[arg-type]
        max_bytes=max_file_size,
        jobs=0 if debug else jobs,
        limits=Limits(seconds=timeout, memory_bytes=memory_limit * 1024 * 1024),
        progress=None if quiet else Progress(),
        evidence=EvidenceOptions(roots=evidence_roots, verify=verify_evidence),
    )
    if verify_credentials:
        from .credentials import verify_credentials as add_credential_findings

        result = add_credential_findings(result, ruleset.policy.params)
    result = apply_waivers(result, waivers)
    if baseline is not None:
        from .baseline import apply_baseline

        result = apply_baseline(result, baseline, str(baseline_file))
    for name, file, as_directory in targets:
        try:
            if as_directory:
                for page, text in DIRECTORY_FORMATS[name](result).items():
                    write_atomic(file / page, text)
            else:
                write_atomic(file, FORMATS[name](result))
        except OSError as exc:
            _fail(f"cannot write {file}: {exc.strerror or exc}", "choose a writable path")
    click.echo(FORMATS[fmt](result), nl=False)
    sys.exit(exit_code(result))


class Progress:
    """A progress line on stderr for runs longer than a few seconds, only on a terminal."""

    def __init__(self, after: float = 3.0) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._after = after
        self._shown = False
        self._enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled or self._clock() - self._start < self._after:
            return
        self._shown = True
        end = "\n" if done == total else ""
        click.echo(f"\rchecked {done}/{total} declarations", err=True, nl=False)
        if end:
            click.echo("", err=True)


@main.group()
def rules() -> None:
    """List and show the rules."""


@rules.command("list")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@handle_errors
def rules_list(rules_dir: Path | None) -> None:
    """One line per rule: id, criterion, severity, title."""
    from .catalog import data_dir, load_rules

    for loaded in load_rules(rules_dir or data_dir("rules")):
        r = loaded.rule
        click.echo(f"{r.id:<28} {r.criterion:<13} {r.severity:<9} {r.title}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@handle_errors
def rules_show(rule_id: str, rules_dir: Path | None) -> None:
    """The rule file of one rule."""
    from .catalog import data_dir, load_rules

    for loaded in load_rules(rules_dir or data_dir("rules")):
        if loaded.rule.id == rule_id:
            click.echo(f"# {loaded.document.path}")
            click.echo(Path(loaded.document.path).read_text(encoding="utf-8"), nl=False)
            return
    _fail(f"no rule {rule_id!r}", "see 'ccai-policy rules list'")


@rules.command("test")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--require-tests", is_flag=True, help="Fail rules that lack a passing and a failing case."
)
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where test 'base' paths start (default: the rules directory's parent).",
)
@handle_errors
def rules_test(rules_dir: Path | None, require_tests: bool, root: Path | None) -> None:
    """Run the test cases the rules carry; exit 1 when any case fails."""
    from .catalog import data_dir, load_rules
    from .ruletests import missing_tests, run_rule_tests

    directory = rules_dir or data_dir("rules")
    loaded = load_rules(directory)
    results = run_rule_tests(loaded, root or directory.resolve().parent)
    for case in results:
        click.echo(f"{'PASSED' if case.passed else 'FAILED'} {case.label}")
        if not case.passed:
            click.echo(f"    {case.detail}".replace("\n", "\n    "))
    lacking = missing_tests(loaded) if require_tests else []
    for line in lacking:
        click.echo(f"MISSING {line}")
    failed = sum(not c.passed for c in results)
    click.echo(
        f"{len(results) - failed} passed, {failed} failed"
        + (f", {len(lacking)} rules lack tests" if lacking else "")
        + f" ({len(loaded)} rules)"
    )
    sys.exit(EXIT_FINDINGS if failed or lacking else EXIT_OK)


@rules.command("lint")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--policies",
    "policies_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Policies to resolve against the rules (default: policies/ beside the rules).",
)
@handle_errors
def rules_lint(rules_dir: Path | None, policies_dir: Path | None) -> None:
    """Every problem in every rule and policy file; exit 2 on any."""
    from .catalog import data_dir
    from .lint import lint

    directory = rules_dir or data_dir("rules")
    if not directory.is_dir():
        _fail(f"rules directory {directory} does not exist")
    if policies_dir is None:
        beside = directory.resolve().parent / "policies"
        policies_dir = beside if rules_dir is not None else data_dir("policies")
    report = lint(directory, policies_dir)
    for problem in report.problems:
        where = f"{problem.location}: " if problem.location else ""
        click.echo(f"{where}error: {problem.message}")
        if problem.hint:
            click.echo(f"  hint: {problem.hint}")
    count = len(report.problems)
    click.echo(
        f"{report.rules} rules, {report.policies} policies: "
        + (f"{count} problem{'s' if count != 1 else ''}" if count else "no problems")
    )
    sys.exit(EXIT_ERROR if count else EXIT_OK)


@rules.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="docs",
    show_default=True,
    help="Directory for rules.md and index.html.",
)
@handle_errors
def rules_docs(out_dir: Path) -> None:
    """Write the bundled rule catalog as Markdown and browsable HTML."""
    from .docs import bundled_catalog, outputs

    for path, text in outputs(out_dir, bundled_catalog()).items():
        try:
            write_atomic(path, text)
        except OSError as exc:
            _fail(f"cannot write {path}: {exc.strerror or exc}", "choose a writable --out")
        click.echo(f"wrote {path}")


@main.command()
@click.argument("rule_id")
@handle_errors
def explain(rule_id: str) -> None:
    """Explain a rule in plain words: why it exists, what it checks, how to pass it."""
    from .docs import bundled_catalog

    for entries in bundled_catalog().values():
        for entry in entries:
            rule = entry.rule
            if rule.id != rule_id:
                continue
            click.echo(f"{rule.id}: {rule.title}")
            click.echo(f"criterion: {rule.criterion}; severity: {rule.severity}")
            click.echo(f"policies: {', '.join(entry.policies)}")
            click.echo(f"applies to: {rule.applicability or 'every declaration'}")
            click.echo(f"\nWhy: {rule.description}\n\nWhat to do: {rule.remediation}\n")
            click.echo("Sources:")
            for ref in rule.references:
                click.echo(f"  - {ref.title} ({ref.confidence}) {ref.url}")
            return
    _fail(f"no rule {rule_id!r}", "see 'ccai-policy rules list'")


@main.group()
def policies() -> None:
    """List and show the policies."""


@policies.command("list")
@handle_errors
def policies_list() -> None:
    """Bundled policy ids, versions and titles."""
    from .catalog import bundled_policies, load_policy

    for policy_id in sorted(bundled_policies()):
        resolved = load_policy(policy_id)
        p = resolved.policy
        click.echo(f"{p.id:<20} {p.version:<10} {len(resolved.rules):>3} rules  {p.title}")


@policies.command("show")
@click.argument("policy_ref")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@handle_errors
def policies_show(policy_ref: str, rules_dir: Path | None) -> None:
    """The resolved rule set of a policy, with effective severities."""
    from .catalog import load_policy

    resolved = load_policy(policy_ref, rules_dir)
    p = resolved.policy
    click.echo(f"{p.id} {p.version}: {p.title}")
    click.echo(f"fail on: {resolved.fail_on} and above; rule set digest {resolved.digest}")
    for loaded in resolved.rules:
        rid = loaded.rule.id
        mark = " (mandatory)" if rid in resolved.mandatory else ""
        click.echo(f"  {rid:<28} {resolved.severity[rid]:<9} {loaded.rule.title}{mark}")


@main.command()
@click.argument("name", type=click.Choice(["declaration", "rule", "policy", "waivers", "result"]))
def schema(name: str) -> None:
    """Print the JSON Schema of a file format."""
    from .schemas import generate

    click.echo(generate(name), nl=False)


@main.command()
@click.option(
    "--type",
    "production_type",
    type=click.Choice(["film", "series", "game", "commercial"]),
    default="film",
    show_default=True,
    help="The kind of production the starter is for.",
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@handle_errors
def init(production_type: str, path: Path | None) -> None:
    """Write a commented starter declaration to PATH (default declarations/ai-use.yaml).

    The starter validates and evaluates; its failing findings list what to fill in.
    An existing file is never overwritten (exit 2).
    """
    from .init import write_starter

    written = write_starter(path, production_type)
    click.echo(f"wrote {written}: a starter declaration for a {production_type}")
    click.echo("next: replace the TODO values, then run")
    click.echo(f"  ccai-policy check {written}")


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--policy", "policy_ref", default="ccai-baseline", show_default=True)
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--waivers", "waiver_files", multiple=True, type=click.Path(path_type=Path))
@click.option("--fail-on", type=SEVERITY_CHOICE, help="Lowest severity a new finding fails at.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", "outputs", multiple=True, metavar="FORMAT:FILE")
@click.option("--as-of", help="The date rules treat as today (YYYY-MM-DD).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@handle_errors
def diff_command(
    old: Path,
    new: Path,
    policy_ref: str,
    rules_dir: Path | None,
    waiver_files: tuple[Path, ...],
    fail_on: str | None,
    fmt: str,
    outputs: tuple[str, ...],
    as_of: str | None,
    debug: bool,
) -> None:
    """What changed between two versions of a declaration, and which findings are new.

    Both versions are evaluated with the same policy and date; findings match by rule and
    subject id. Exit 0: no new failing finding at or above the threshold; 1: at least one;
    2: either version could not be evaluated, or a bad option.
    """
    from .catalog import load_policy
    from .diff import diff_files, exit_code
    from .diffreport import DIFF_FORMATS
    from .engine import compile_policy
    from .waivers import load_waivers

    targets = [(name, file) for name, file, _ in _outputs(outputs, DIFF_FORMATS, {})]
    today = _as_of(as_of)
    policy = load_policy(policy_ref, rules_dir)
    waivers = load_waivers(waiver_files, policy)
    result = diff_files(
        old,
        new,
        compile_policy(policy),
        as_of=today,
        fail_on=fail_on,  # type: ignore[arg-type]
        waivers=waivers,
    )
    for name, file in targets:
        try:
            write_atomic(file, DIFF_FORMATS[name](result))
        except OSError as exc:
            _fail(f"cannot write {file}: {exc.strerror or exc}", "choose a writable path")
    click.echo(DIFF_FORMATS[fmt](result), nl=False)
    sys.exit(exit_code(result))
