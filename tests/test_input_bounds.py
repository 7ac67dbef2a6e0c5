"""Policies, rule-test bases and waiver files as untrusted input: `extends` resolved once per
policy and at most 64 deep, `extends` and `base` kept inside their folders, size and nesting
limits with hints that fit the file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.policy import policyfiles
from ccai_policy.policy.resolve import load_policy

from .authoring import CONTACT_RULE
from .conftest import EXAMPLES
from .fuzzing.guards import deadline

Run = Callable[..., Result]
COMPLIANT = EXAMPLES / "feature-film-compliant.yaml"
SECRET = "root:x:0:0:SECRET-LINE-7f3a:/root:/bin/bash\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory: film.yaml (compliant), policies/, and secret/ beside them."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "passwd").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret" / "passwd.yaml").write_text(SECRET, encoding="utf-8")
    shutil.copy(COMPLIANT, tmp_path / "film.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")  # 2026-11-23
    return tmp_path


def write_policy(folder: Path, policy_id: str, extends: list[str]) -> Path:
    path = folder / f"{policy_id}.yaml"
    parents = "".join(f"\n  - {ref}" for ref in extends)
    text = f'id: {policy_id}\nversion: "1"\ntitle: Policy {policy_id}\n'
    path.write_text(text + (f"extends:{parents}\n" if extends else ""), encoding="utf-8")
    return path


def check(run_cli: Run, policy: str) -> Result:
    with deadline(120):
        result = run_cli("check", "film.yaml", "--policy", policy)
    assert "Traceback" not in result.output
    return result


def summary(policy_id: str) -> str:
    return f"1 declaration checked against {policy_id} 1 (fail on high and above): 1 compliant"


# --- Each policy once, and not too deep -----------------------------------------------------


def diamond(folder: Path, size: int) -> None:
    """p0 extends the baseline, p1 extends p0, and each later one the two before it."""
    write_policy(folder, "p0", ["ccai-baseline"])
    write_policy(folder, "p1", ["p0"])
    for n in range(2, size):
        write_policy(folder, f"p{n}", [f"p{n - 1}", f"p{n - 2}"])


def test_a_diamond_of_30_policies_resolves(run_cli: Run, project: Path) -> None:
    diamond(project / "policies", 30)
    result = check(run_cli, "policies/p29.yaml")
    assert result.exit_code == 0, result.output
    assert summary("p29") in result.stdout


def test_each_policy_of_a_diamond_is_read_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diamond(project / "policies", 30)
    read: list[str] = []
    real = policyfiles.load_policy_file

    def counting(path: Path) -> object:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(policyfiles, "load_policy_file", counting)
    with deadline(120):
        resolved = load_policy("policies/p29.yaml")
    assert resolved.chain == ["p29"]
    assert sorted(read) == sorted([*(f"p{n}.yaml" for n in range(30)), "ccai-baseline.yaml"])


def chain(folder: Path, length: int) -> None:
    """p0 extends nothing; each p(n) extends p(n-1)."""
    write_policy(folder, "p0", [])
    for n in range(1, length):
        write_policy(folder, f"p{n}", [f"p{n - 1}"])


def test_a_chain_of_1200_policies_is_a_located_error(run_cli: Run, project: Path) -> None:
    chain(project / "policies", 1200)
    result = check(run_cli, "policies/p1199.yaml")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "policies/p1135.yaml:4:1: error: extends goes more than 64 policies deep: "
        "p1199 -> p1198 -> p1197 -> ... -> p1136 -> p1135\n"
        "  hint: a policy may extend several parents, to at most 64 levels below the policy "
        "given; extend a policy nearer the top of the chain\n"
    )


def test_a_chain_64_levels_deep_is_allowed_and_65_is_not(run_cli: Run, project: Path) -> None:
    chain(project / "policies", 66)
    deepest = check(run_cli, "policies/p64.yaml")
    assert deepest.exit_code == 0, deepest.output
    assert summary("p64") in deepest.stdout
    over = check(run_cli, "policies/p65.yaml")
    assert over.exit_code == 2, over.output
    assert over.stderr.startswith(
        "policies/p1.yaml:4:1: error: extends goes more than 64 policies deep: p65 -> p64 -> "
        "p63 -> ... -> p2 -> p1\n"
    )
    assert getattr(policyfiles, "MAX_EXTENDS_DEPTH", None) == 64


# --- extends stays in the policy's folder ---------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "shown"),
    [
        ("../secret/passwd", "../secret/passwd"),
        ("../secret/passwd.yaml", "../secret/passwd.yaml"),
        ("ABSOLUTE", "ABSOLUTE"),
        ("base", "base"),
    ],
    ids=["relative", "relative with .yaml", "absolute", "a link inside pointing out"],
)
def test_extends_outside_the_policy_folder_is_refused_unread(
    run_cli: Run, project: Path, ref: str, shown: str
) -> None:
    secret = str(project / "secret" / "passwd")
    if ref == "base":
        (project / "policies" / "base.yaml").symlink_to("../secret/passwd.yaml")
    ref = ref.replace("ABSOLUTE", secret)
    write_policy(project / "policies", "acme", [ref])
    result = check(run_cli, "policies/acme.yaml")
    assert result.exit_code == 2, result.output
    assert "SECRET-LINE" not in result.output
    assert result.stderr == (
        f"policies/acme.yaml:5:5: error: extends names '{shown.replace('ABSOLUTE', secret)}', "
        "which is outside policies, the folder of the policy given\n"
        "  hint: extend a bundled policy by id, or a policy file in that folder or below it\n"
    )


def test_extends_below_the_policy_folder_resolves(run_cli: Run, project: Path) -> None:
    (project / "policies" / "team").mkdir()
    write_policy(project / "policies", "base", ["ccai-baseline"])
    write_policy(project / "policies" / "team", "child", ["../base"])
    write_policy(project / "policies", "acme", ["team/child.yaml"])
    result = check(run_cli, "policies/acme.yaml")
    assert result.exit_code == 0, result.output
    assert summary("acme") in result.stdout


def test_extends_naming_a_missing_file_is_located(run_cli: Run, project: Path) -> None:
    write_policy(project / "policies", "acme", ["ccai-baseline", "nothere.yaml"])
    result = check(run_cli, "policies/acme.yaml")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "policies/acme.yaml:6:5: error: extends names 'nothere.yaml', which does not exist\n"
        "  hint: policy files named in extends are relative to the policy that names them\n"
    )


# --- A rule test's base stays below the project root ---------------------------------------

RULE = (
    CONTACT_RULE
    + """\
tests:
  - name: inside
    base: film.yaml
    expect: pass
  - name: outside
    base: BASE
    expect: fail
"""
)


@pytest.fixture
def author(project: Path) -> Path:
    """project/acme/rules holds one rule whose second case names a base outside project/acme."""
    (project / "acme" / "rules").mkdir(parents=True)
    shutil.copy(COMPLIANT, project / "acme" / "film.yaml")
    rule = RULE.replace("BASE", "../secret/passwd.yaml")
    (project / "acme" / "rules" / "ACME-CONTACT-001.yaml").write_text(rule, encoding="utf-8")
    return project / "acme"


def test_a_rule_test_base_outside_the_root_is_refused_unread(run_cli: Run, author: Path) -> None:
    with deadline(120):
        result = run_cli("rules", "test", "acme/rules", "--no-bundled-rules")
    assert result.exit_code == 1, result.output
    assert "SECRET-LINE" not in result.output
    assert result.stdout == (
        "PASSED ACME-CONTACT-001::inside\n"
        "FAILED ACME-CONTACT-001::outside\n"
        "    cannot run the case: acme/rules/ACME-CONTACT-001.yaml:19:5: ACME-CONTACT-001: "
        "test 'outside' names base '../secret/passwd.yaml', which is outside acme, where test "
        "bases are (name a declaration below that folder (rules test --root sets it))\n"
        "1 passed, 1 failed (1 rules)\n"
    )


def test_rules_lint_refuses_a_base_outside_the_root(run_cli: Run, author: Path) -> None:
    with deadline(120):
        result = run_cli("rules", "lint", "acme/rules", "--no-bundled-rules")
    assert result.exit_code == 2, result.output
    assert "SECRET-LINE" not in result.output
    assert (
        "acme/rules/ACME-CONTACT-001.yaml:19:5: error: ACME-CONTACT-001: test 'outside' names "
        "base '../secret/passwd.yaml', which is outside acme, where test bases are\n"
        "  hint: name a declaration below that folder (rules test --root sets it)\n"
    ) in result.output


# --- Size and nesting limits of waivers, policies and rules --------------------------------

DEEP = "[" * 70 + "]" * 70


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("waivers", "a waiver file may be at most 10 MB: split it into several --waivers files"),
        ("policy", "a policy file may be at most 10 MB: split it, one policy extending another"),
        ("rules", "a rule file may be at most 10 MB: split it into several rules"),
    ],
)
def test_files_over_10_mb_are_refused_with_a_hint_that_fits(
    run_cli: Run, project: Path, kind: str, hint: str
) -> None:
    big = project / "big" / "big.yaml"
    big.parent.mkdir()
    big.write_text("#" * (10 * 1024 * 1024) + "\n", encoding="utf-8")
    given = {"waivers": "--waivers", "policy": "--policy", "rules": "--rules"}[kind]
    with deadline(120):
        result = run_cli("check", "film.yaml", given, str(big if kind != "rules" else big.parent))
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "big/big.yaml: error: file is 10,485,761 bytes, over the limit of 10,485,760\n"
        f"  hint: {hint}\n"
    )


@pytest.mark.parametrize("kind", ["waivers", "policy"])
def test_deep_nesting_in_waivers_and_policies_is_refused(
    run_cli: Run, project: Path, kind: str
) -> None:
    deep = project / "deep.yaml"
    deep.write_text(f"waivers: {DEEP}\n" if kind == "waivers" else f"id: {DEEP}\n", "utf-8")
    with deadline(120):
        result = run_cli("check", "film.yaml", f"--{kind}", "deep.yaml")
    assert result.exit_code == 2, result.output
    column = 74 if kind == "waivers" else 69
    assert result.stderr.startswith(
        f"deep.yaml:1:{column}: error: nesting is deeper than 64 levels\n"
    )
