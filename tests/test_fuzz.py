"""Fuzzing: generated, corrupted and mangled declarations through load, validate, evaluate, render.

Whatever the input: no exception escapes, the exit code is 0, 1 or 2, every problem names the
file, the good file beside it is still evaluated, every format renders, JSON and JUnit parse and
SARIF stays valid against the official schema. `make fuzz` raises the number of examples through
CCAI_FUZZ_EXAMPLES; `make test` keeps the default, small budget.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import Result as CliResult
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ccai_policy.errors import CcaiError, ValidationErrors
from ccai_policy.evaluate.compiler import RuleSet, compile_policy
from ccai_policy.model.result import DeclarationResult, Result
from ccai_policy.model.verdict import exit_code
from ccai_policy.policy.catalog import load_policy
from ccai_policy.report import FORMATS
from ccai_policy.run.pipeline import Checks, Execution, run_pipeline
from ccai_policy.run.workers import Limits

from .authoring import DECL
from .conftest import AS_OF, SHARED
from .fuzzing.cel import cel_expressions
from .fuzzing.strategies import corrupted_declarations, declarations, hostile_evidence_paths
from .fuzzing.yaml_text import mangled_yaml, yaml_documents, yaml_soup

SARIF_SCHEMA = SHARED / "testdata" / "sarif" / "sarif-schema-2.1.0.json"
EXAMPLES = int(os.environ.get("CCAI_FUZZ_EXAMPLES", "0"))


def budget(default: int) -> settings:
    """The default number of examples for `make test`, or CCAI_FUZZ_EXAMPLES for `make fuzz`."""
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@cache
def ruleset() -> RuleSet:
    return compile_policy(load_policy("ccai-baseline"))


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory with a good declaration; each example writes fuzz.yaml beside it."""
    directory = tmp_path_factory.mktemp("fuzz")
    (directory / "good.yaml").write_bytes(DECL.read_bytes())
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield directory
    finally:
        os.chdir(previous)


def check_beside_good(workdir: Path, raw: bytes) -> Result:
    """Check the good file and the fuzzed one in this process; assert what holds for any input."""
    (workdir / "fuzz.yaml").write_bytes(raw)
    result = run_pipeline(
        [Path("good.yaml"), Path("fuzz.yaml")],
        Checks(ruleset=ruleset(), as_of=dt.date.fromisoformat(AS_OF)),
        Execution(jobs=0),
    )
    assert exit_code(result) in (0, 1, 2)
    assert [d.file for d in result.declarations][:1] == ["good.yaml"], "the good file was lost"
    for problem in result.problems:
        assert problem.location.file == "fuzz.yaml", problem
        assert problem.message.strip(), problem
    if not any(d.file == "fuzz.yaml" for d in result.declarations):
        assert result.problems, "fuzz.yaml neither evaluated nor reported"
    render_everything(result)
    return result


def render_everything(result: Result) -> None:
    for name, render in FORMATS.items():
        text = render(result)
        assert isinstance(text, str) and (text or name == "github"), name  # github: no annotation
    json.loads(FORMATS["json"](result))
    ET.fromstring(FORMATS["junit"](result))
    errors = list(sarif_validator().iter_errors(json.loads(FORMATS["sarif"](result))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]]


def fuzz_declaration(result: Result) -> DeclarationResult | None:
    return next((d for d in result.declarations if d.file == "fuzz.yaml"), None)


@budget(40)
@given(raw=yaml_documents(declarations()))
def test_valid_declarations_are_evaluated_and_every_format_renders(
    workdir: Path, raw: bytes
) -> None:
    result = check_beside_good(workdir, raw)
    assert not result.problems, [p.message for p in result.problems]
    assert exit_code(result) in (0, 1)
    evaluated = fuzz_declaration(result)
    assert evaluated is not None
    built_in = {"TRANSP-AGREEMENT-001"}  # the agreement-coverage rule runs on every declaration
    rules = {r.rule.id for r in ruleset().policy.rules} | built_in
    assert {f.rule_id for f in evaluated.findings} == rules


@budget(40)
@given(raw=yaml_documents(corrupted_declarations()))
def test_corrupted_declarations_end_in_located_problems_or_findings(
    workdir: Path, raw: bytes
) -> None:
    result = check_beside_good(workdir, raw)
    if result.problems:
        assert exit_code(result) == 2
        assert fuzz_declaration(result) is None, "an invalid declaration must not be evaluated"
        assert all(p.location.line >= 1 for p in result.problems), result.problems


@budget(60)
@given(raw=mangled_yaml() | yaml_soup())
def test_mangled_yaml_never_escapes_as_an_exception(workdir: Path, raw: bytes) -> None:
    check_beside_good(workdir, raw)


@budget(20)
@given(raw=yaml_documents(hostile_evidence_paths()))
def test_evidence_paths_outside_the_folder_are_refused_and_odd_ones_evaluated(
    workdir: Path, raw: bytes
) -> None:
    result = check_beside_good(workdir, raw)
    if result.problems:
        assert len(result.problems) == 1
        assert re.search(
            r"evidence path '.*' (is absolute|leaves the declaration's folder|contains a NUL)",
            result.problems[0].message,
        ), result.problems[0].message
    else:
        assert fuzz_declaration(result) is not None


KINDS = {
    "unknown field": r"is not a field: there is no field `",
    "missing field": r"^`[^`]+` is missing",
    "dangling reference": r"but there is no [a-z ]+ with that id",
    "duplicate id": r"\.id` is '.*', the id of [a-z]+\[\d+\] too",
    "wrong type": r", but it should be ",
}


def test_the_corruptions_reach_each_kind_of_problem(workdir: Path) -> None:
    """The corrupted strategy is worth running: it produces each kind of mistake it claims."""
    seen: set[str] = set()

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(raw=yaml_documents(corrupted_declarations()))
    def collect(raw: bytes) -> None:
        for problem in check_beside_good(workdir, raw).problems:
            for kind, pattern in KINDS.items():
                if re.search(pattern, problem.message):
                    seen.add(kind)

    collect()
    assert seen == set(KINDS)


def cli_check(run_cli: Callable[..., CliResult], *args: str) -> CliResult:
    return run_cli("check", "--as-of", AS_OF, "--format", "json", *args)


@settings(
    max_examples=EXAMPLES // 100 or 8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=corrupted_declarations() | declarations(), mode=st.sampled_from(["0", "1"]))
def test_the_command_line_with_workers_prints_no_traceback(
    run_cli: Callable[..., CliResult], workdir: Path, data: Any, mode: str
) -> None:
    """The same inputs through `ccai-policy check`, evaluated in a worker process or not."""
    (workdir / "cli.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = cli_check(run_cli, "good.yaml", "cli.yaml", "--jobs", mode)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    assert [d["file"] for d in report["declarations"]][:1] == ["good.yaml"]


@pytest.fixture(scope="module")
def rule_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory with small.yaml, a policy of every rule, and a rules folder for one rule."""
    directory = tmp_path_factory.mktemp("cel")
    (directory / "small.yaml").write_bytes(DECL.read_bytes())
    (directory / "policy.yaml").write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    (directory / "rules").mkdir()
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield directory
    finally:
        os.chdir(previous)


def fuzz_rule(assertion: str, shown: str) -> dict[str, Any]:
    return {
        "id": "FUZZ-CEL-001",
        "title": "Generated",
        "criterion": "controls",
        "severity": "high",
        "references": [{"title": "Fuzzing", "url": "https://example.org/fuzz"}],
        "description": "Generated.",
        "remediation": "None.",
        "for_each": "uses",
        "as": "use",
        "assert": assertion,
        "message": "{{use.id}}: {{ " + shown + " }}",
    }


@budget(60)
@given(assertion=cel_expressions(), shown=cel_expressions())
def test_any_expression_is_refused_at_load_or_evaluated_to_findings(
    rule_dir: Path, assertion: str, shown: str
) -> None:
    """A rule with a generated assert and message: a located load error, or findings; never
    an exception, a crash of the library, or output no format can render."""
    text = yaml.safe_dump(fuzz_rule(assertion, shown), sort_keys=False)
    (rule_dir / "rules" / "FUZZ-CEL-001.yaml").write_text(text, encoding="utf-8")
    try:
        ruleset = compile_policy(load_policy("policy.yaml", Path("rules")))
    except CcaiError as exc:
        errors = exc.problems if isinstance(exc, ValidationErrors) else [exc]
        for error in errors:
            assert str(error.location).startswith("rules/FUZZ-CEL-001.yaml:"), str(error)
        event("refused when the rule loads")
        return
    result = run_pipeline(
        [Path("small.yaml")],
        Checks(ruleset=ruleset, as_of=dt.date.fromisoformat(AS_OF)),
        Execution(jobs=1, limits=Limits(seconds=20, memory_bytes=2 << 30)),
    )
    assert [p.message for p in result.problems] == [], "a crash or a runaway expression"
    assert exit_code(result) in (0, 1)
    for finding in result.declarations[0].findings:
        if finding.rule_id == "FUZZ-CEL-001" and finding.status == "error":
            assert finding.message.startswith(
                ("cannot evaluate the rule for ", "cannot write the message for ")
            ), finding.message
            assert "\n" not in finding.message
    statuses = {f.status for f in result.declarations[0].findings if f.rule_id == "FUZZ-CEL-001"}
    event(f"evaluated: {', '.join(sorted(statuses))}")
    render_everything(result)
