"""What a cold `check` of one declaration loads: only what its output needs (issue 13).

Each library left out here cost a measurable part of every start (Jinja2 ~0.07 s, tomllib
~0.01 s, CEL's interactive command line 0.2-0.5 s); the test names them instead of timing the
run, so that a change bringing one back fails on any machine. Likewise the bundled rules'
programs (compiling all 505 took 0.11-0.13 s): the tests count what a check compiles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from ccai_policy.evaluate import compiled as rulesets
from ccai_policy.evaluate import expressions
from ccai_policy.evaluate.compiler import RuleSet, compile_policy
from ccai_policy.evaluate.expressions import Compiled
from ccai_policy.paths import display_path
from ccai_policy.policy.resolve import load_policy
from ccai_policy.run.pipeline import Checks, Execution, run_pipeline

from .conftest import AS_OF, EXAMPLES, ROOT

#: Runs the command line in this interpreter and reports, at exit, what was imported and how
#: many objects the collector had been told to leave alone.
PROBE = """
import atexit, gc, json, sys
def report():
    wanted = ("jinja2", "markupsafe", "tomllib", "cel.cli", "c2pa", "jsonschema",
              "ccai_policy.evaluate.typecheck", "ccai_policy.evaluate.waivers")
    loaded = sorted(name for name in wanted if name in sys.modules)
    rules = sys.modules.get("ccai_policy.model.rule")
    built = bool(rules and rules.Rule.__pydantic_complete__)
    found = {"loaded": loaded, "frozen": gc.get_freeze_count(), "built": built}
    sys.stderr.write(json.dumps(found))
atexit.register(report)
sys.argv = ["ccai-policy", *sys.argv[1:]]
from ccai_policy.cli import main
main()
"""


def probe(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return dict(json.loads(done.stderr))


def test_a_text_check_loads_no_report_template_engine_or_unused_reader() -> None:
    # nor the type checker (only rules not bundled are type-checked when loaded), nor the
    # waivers (none given)
    found = probe("check", str(EXAMPLES / "feature-film-compliant.yaml"), "--as-of", AS_OF, "-q")
    assert found["loaded"] == []


def test_a_check_with_the_rules_from_the_cache_never_builds_the_rule_model() -> None:
    """Pydantic builds a model's validator and serializer on first use (`defer_build`): the
    bundled rules come back from the catalog's cache without validation, and the rule set's
    digest reads their dumps from it, so a check saves that build (about 15 ms)."""
    args = ("check", str(EXAMPLES / "feature-film-compliant.yaml"), "--as-of", AS_OF, "-q")
    probe(*args)  # writes the cache if this run's folder has none yet
    assert probe(*args)["built"] is False


def test_the_html_format_still_loads_jinja2_when_asked_for() -> None:
    found = probe("check", str(EXAMPLES / "feature-film-compliant.yaml"), "--format", "html")
    assert found["loaded"] == ["jinja2", "markupsafe"]


def test_the_command_lines_imports_are_left_out_of_collector_passes() -> None:
    found = probe("--version")
    assert isinstance(found["frozen"], int) and found["frozen"] > 10_000


def _counting_compiles(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(rule, source) of every program the compiled rules compile from now on."""
    compiled: list[tuple[str, str]] = []
    real = rulesets.compile_expression

    def counting(source: str, **kwargs: Any) -> Compiled:
        compiled.append((kwargs["what"].split(":")[0], source))
        return real(source, **kwargs)

    monkeypatch.setattr(rulesets, "compile_expression", counting)
    return compiled


def test_the_bundled_rules_compile_only_the_programs_a_check_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = _counting_compiles(monkeypatch)
    ruleset = compile_policy(load_policy("ccai-baseline"))
    assert compiled == []  # loading the 63 rules composes their programs, compiles none
    checks = Checks(ruleset=ruleset, as_of=dt.date.fromisoformat(AS_OF))
    example = EXAMPLES / "feature-film-compliant.yaml"
    result = run_pipeline([example], checks, Execution(jobs=0))
    assert {f.status for f in result.declarations[0].findings} == {"pass", "not_applicable"}
    # At most each rule's verdict over its section (where the fast runtime does not settle
    # it), its applies_when, and for a rule that selects nothing, whether its dates are why:
    # no message, question or pinpointing program.
    may_run = set()
    for r in ruleset.rules:
        rule_id = r.loaded.rule.id
        may_run |= {(rule_id, r.composed.get("fast", r.composed["per_item"]))}
        may_run |= {
            (rule_id, r.loaded.rule.applies_when or ""),
            (rule_id, r.composed.get("undated", "")),
        }
    assert set(compiled) <= may_run
    assert len(compiled) == len(set(compiled))  # each once
    ran = len(compiled)
    for rule in ruleset.rules:
        rule.prepare()
    assert ran < len(compiled) / 5  # 26 of the catalog's 505 programs when this was written


def test_a_broken_bundled_program_found_when_first_run_is_a_located_problem() -> None:
    ruleset = compile_policy(load_policy("ccai-baseline"))
    rule = next(
        r
        for r in ruleset.rules
        if "fast" in r.composed and not r.loaded.rule.applies_when and not r.loaded.rule.agreements
    )
    broken = dataclasses.replace(
        rule,
        composed={**rule.composed, "fast": "uses.all(u,"},
        composed_fast={**rule.composed_fast, "sweep": "uses.all(u,"},  # the fast runtime's
    )
    policy = ruleset.policy
    checks = Checks(ruleset=RuleSet(policy, [broken]), as_of=dt.date.fromisoformat(AS_OF))
    result = run_pipeline([EXAMPLES / "feature-film-compliant.yaml"], checks, Execution(jobs=0))
    assert result.declarations == []
    [problem] = result.problems
    assert problem.message.startswith(f"{rule.loaded.rule.id} does not compile")
    assert problem.location.file == rule.loaded.document.path and problem.location.line


def test_a_user_rule_that_does_not_compile_is_reported_at_load_with_its_place(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "tests" / "data" / "authoring" / "rules", rules)
    rule = rules / "TEST-PAY-001.yaml"
    # A message is written only for an item that fails; this one is checked when loaded.
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text.replace("{{use.id}} pays", "{{use.id +}} pays"), encoding="utf-8")
    example = str(EXAMPLES / "feature-film-compliant.yaml")
    result = run_cli("check", example, "--rules", str(rules), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"{display_path(rule)}:13:19: error: TEST-PAY-001: 'message' does not compile: "
    )
    assert "passed" not in result.output


def test_programs_the_fast_runtime_settles_are_never_compiled_for_the_reference_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each reference compile cost about 0.4 ms of a cold start; the fast runtime settles every
    program of the compliant example, so none is compiled for the reference runtime."""
    compiles: list[str] = []
    real = expressions._compiled

    def counting(source: str, *args: Any) -> Any:
        compiles.append(source)
        return real(source, *args)

    monkeypatch.setattr(expressions, "_compiled", counting)
    ruleset = compile_policy(load_policy("ccai-baseline"))
    checks = Checks(ruleset=ruleset, as_of=dt.date.fromisoformat(AS_OF))
    example = EXAMPLES / "feature-film-compliant.yaml"
    result = run_pipeline([example], checks, Execution(jobs=0))
    assert result.declarations[0].findings
    assert compiles == []
    # The reference runtime alone compiles what it runs, when it first runs it.
    reference = dataclasses.replace(ruleset, fast=False)
    run_pipeline([example], Checks(ruleset=reference, as_of=checks.as_of), Execution(jobs=0))
    assert 0 < len(compiles) < 100
