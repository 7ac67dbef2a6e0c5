"""A policy cannot drop, lower, retune or unblock the mandatory rules it inherits or declares."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import POLICY, RULES, check_args
from .conftest import AS_OF, ROOT

#: A parent whose mandatory rule is high, one step above its medium rule.
PARENT = 'id: parent\nversion: "1"\ntitle: Parent\nmandatory: [TEST-PAY-001]\nfail_on: high\n'


def policies(tmp_path: Path, **files: str) -> dict[str, Path]:
    """Write policy files next to a copy of the test policy, so that `extends` finds them."""
    (tmp_path / "test-policy.yaml").write_text(POLICY.read_text(encoding="utf-8"), "utf-8")
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def child(extends: str, body: str) -> str:
    return f'id: child\nversion: "1"\ntitle: Child\nextends: [{extends}]\n{body}'


CASES = [
    pytest.param(
        {"child": child("test-policy", "severity: {TEST-CONSENT-001: info}\n")},
        "child.yaml:5:12: error: severity info for TEST-CONSENT-001 is lower than critical, its "
        "severity in policy 'test-policy', which makes it mandatory\n"
        "  hint: a policy that extends 'test-policy' may raise the severity of its mandatory "
        "rules, never lower it; remove this override",
        id="downgrade-to-info",
    ),
    pytest.param(
        {"child": child("test-policy", 'rules:\n  exclude: ["*-CONSENT-*"]\n')},
        "child.yaml:6:13: error: exclude pattern '*-CONSENT-*' removes TEST-CONSENT-001, which "
        "policy 'test-policy' makes mandatory\n"
        "  hint: take it out of exclude: a policy that extends 'test-policy' keeps its "
        "mandatory rules",
        id="exclude-glob",
    ),
    pytest.param(
        {"parent": PARENT, "child": child("parent", "fail_on: critical\n")},
        "child.yaml:5:1: error: mandatory rule TEST-PAY-001 has severity high, below this "
        "policy's fail_on critical: its failures would never fail a check\n"
        "  hint: set fail_on: high or lower",
        id="fail-on-above-mandatory",
    ),
    pytest.param(
        {
            "middle": 'id: middle\nversion: "1"\ntitle: Middle\nextends: [test-policy]\n',
            "child": child("middle", "severity: {TEST-CONSENT-001: high}\n"),
        },
        "child.yaml:5:12: error: severity high for TEST-CONSENT-001 is lower than critical, its "
        "severity in policy 'test-policy', which makes it mandatory",
        id="grandchild-downgrade",
    ),
    pytest.param(
        {
            "parent": PARENT,
            "lax": 'id: lax\nversion: "1"\ntitle: Lax\nseverity: {TEST-PAY-001: low}\n'
            "fail_on: critical\n",
            "child": child("parent, lax", ""),
        },
        "child.yaml:4:1: error: mandatory rule TEST-PAY-001 has severity high, below this "
        "policy's fail_on critical: its failures would never fail a check\n"
        "  hint: set fail_on: high or lower in this policy",
        id="second-parent-raises-threshold",
    ),
    pytest.param(
        {
            "own": 'id: own\nversion: "1"\ntitle: Own\nrules: {include: ["TEST-PAY-*"]}\n'
            "mandatory: [TEST-CONSENT-001]\n"
        },
        "own.yaml:5:13: error: mandatory rule TEST-CONSENT-001 is not among the rules this "
        "policy selects\n"
        "  hint: select it in rules.include (and keep it out of rules.exclude), or take it out "
        "of mandatory",
        id="mandatory-not-included",
    ),
    pytest.param(
        {
            "own": 'id: own\nversion: "1"\ntitle: Own\nmandatory: [TEST-DISCLOSE-001]\n'
            "fail_on: high\n"
        },
        "own.yaml:5:1: error: mandatory rule TEST-DISCLOSE-001 has severity medium, below this "
        "policy's fail_on high: its failures would never fail a check",
        id="own-mandatory-below-own-threshold",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_weakening_a_mandatory_rule_is_a_located_policy_error(
    run_cli: Callable[..., Result], tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    written = policies(tmp_path, **files)
    last = written[list(files)[-1]]
    result = run_cli(*check_args(policy=last))
    assert result.exit_code == 2, result.output
    assert f"{tmp_path}/{expected}" in result.output
    assert "Traceback" not in result.output


def test_changing_a_parameter_of_an_inherited_mandatory_rule_is_an_error(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for rule in RULES.glob("*.yaml"):
        text = rule.read_text(encoding="utf-8")
        if rule.stem == "TEST-PAY-001":
            text = text.replace(
                "assert: use.id in compensation_by_use",
                "params: {max_unpaid: 0}\n"
                "assert: use.id in compensation_by_use || params.max_unpaid > 0",
            )
        (rules / rule.name).write_text(text, encoding="utf-8")
    written = policies(tmp_path, parent=PARENT, child=child("parent", "params: {max_unpaid: 5}\n"))
    args = check_args(policy=written["child"])
    args[args.index("--rules") + 1] = str(rules)
    result = run_cli(*args)
    assert result.exit_code == 2, result.output
    assert (
        f"{written['child']}:5:10: error: params.max_unpaid changes what TEST-PAY-001 checks, "
        "which policy 'parent' makes mandatory\n"
        "  hint: a policy that extends 'parent' cannot change the parameters of its mandatory "
        "rules; remove this override"
    ) in result.output
    # The parent's own value still applies: the unpaid voice fails and the run fails.
    args[args.index("--policy") + 1] = str(written["parent"])
    assert run_cli(*args).exit_code == 1


def test_raising_a_mandatory_rule_and_lowering_others_is_allowed(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    written = policies(
        tmp_path,
        child=child("test-policy", "severity: {TEST-PAY-001: low}\nmandatory: [TEST-PAY-001]\n"),
    )
    result = run_cli(*check_args(policy=written["child"]))
    assert result.exit_code == 2
    assert "mandatory rule TEST-PAY-001 has severity low, below this policy's fail_on high" in (
        result.output
    )
    written = policies(
        tmp_path,
        child=child("test-policy", "severity: {TEST-PAY-001: low, TEST-CONSENT-001: critical}\n"),
    )
    result = run_cli(*check_args(policy=written["child"]))
    assert result.exit_code == 0, result.output
    assert "FAIL TEST-PAY-001 [low] u-voice pays nobody among p-ana" in result.output


def test_waiving_a_rule_an_ancestor_mandates_is_an_error(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    written = policies(
        tmp_path,
        middle='id: middle\nversion: "1"\ntitle: Middle\nextends: [test-policy]\n',
        child=child("middle", ""),
    )
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - rule: TEST-CONSENT-001\n    subject: '*'\n"
        "    justification: The studio says consent is coming.\n"
        "    approver: A. Producer\n    expires: 2027-01-01\n",
        encoding="utf-8",
    )
    result = run_cli(*check_args("--waivers", str(waivers), policy=written["child"]))
    assert result.exit_code == 2
    assert (
        f"{waivers}:2:5: error: `waivers[0]`: rule TEST-CONSENT-001 is mandatory in policy "
        "child (made mandatory by test-policy, which it extends) and cannot be waived"
    ) in result.output


def test_fail_on_option_above_a_mandatory_rule_is_refused(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    written = policies(tmp_path, parent=PARENT)
    result = run_cli(*check_args("--fail-on", "critical", policy=written["parent"]))
    assert result.exit_code == 2
    assert (
        "Invalid value for --fail-on: critical is above the severity of TEST-PAY-001 (high), "
        "which policy parent makes mandatory: its failures would not fail the run; use "
        "--fail-on high or lower"
    ) in result.output
    assert run_cli(*check_args("--fail-on", "high", policy=written["parent"])).exit_code == 1


def test_a_policy_file_cannot_pass_itself_off_as_a_bundled_policy(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    bundled = (ROOT / "policies" / "ccai-baseline.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "ccai-baseline.yaml"
    copy.write_text(bundled, encoding="utf-8")
    decl = str(ROOT / "examples" / "series-noncompliant.yaml")
    assert run_cli("check", decl, "--policy", str(copy), "--as-of", AS_OF).exit_code == 1
    # A copy without a mandatory rule, beside a child that extends "ccai-baseline".
    copy.write_text(bundled.replace("  - CONSENT-TIMING-001\n", ""), encoding="utf-8")
    lax = tmp_path / "lax.yaml"
    lax.write_text('id: lax\nversion: "1"\ntitle: Lax\nextends: [ccai-baseline]\n', "utf-8")
    for policy in (copy, lax):
        result = run_cli("check", decl, "--policy", str(policy), "--as-of", AS_OF)
        assert result.exit_code == 2, result.output
        assert (
            f"{copy}:2:1: error: policy id 'ccai-baseline' is a bundled policy's, but this file "
            "is not that policy: results and reports would name it as the bundled one\n"
            "  hint: give this policy its own id; to build on the bundled one, write extends: "
            "[ccai-baseline]"
        ) in result.output


def test_a_narrow_include_in_a_child_keeps_the_inherited_mandatory_rules(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    written = policies(tmp_path, child=child("test-policy", 'rules: {include: ["TEST-PAY-*"]}\n'))
    result = run_cli("policies", "show", str(written["child"]), "--rules", str(RULES))
    assert result.exit_code == 0, result.output
    assert (
        "TEST-CONSENT-001             critical  Replicas have an unrevoked consent (mandatory)"
    ) in result.output
