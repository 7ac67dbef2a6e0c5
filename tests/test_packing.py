"""A worker sends each declaration's result packed (model/packing.py): what the parent gets
back must be the result the worker made, field for field, whatever the findings hold."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from ccai_policy.errors import Location
from ccai_policy.evaluate.compiler import compile_policy
from ccai_policy.model import packing
from ccai_policy.model.result import AppliedWaiver, DeclarationResult, Finding, Subject
from ccai_policy.policy.resolve import load_policy
from ccai_policy.run.pipeline import Checks, Execution, run_pipeline
from ccai_policy.run.workers import Limits, run_each

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 12, 1)
KINDS = (DeclarationResult, Finding, Subject)


@pytest.fixture(scope="module")
def results() -> list[DeclarationResult]:
    checks = Checks(ruleset=compile_policy(load_policy("ccai-baseline")), as_of=AS_OF)
    run = run_pipeline([ROOT / "examples"], checks, Execution(jobs=0))
    assert len(run.declarations) == 4 and not run.problems
    return run.declarations


def _with_waived_and_baselined(result: DeclarationResult) -> DeclarationResult:
    """What `finish` makes of a result: findings waived, expired waivers, baselined ones."""
    findings = list(result.findings)
    failing = [i for i, f in enumerate(findings) if f.status == "fail"]
    assert len(failing) >= 3
    where = Location("waivers.yaml", 4, 3)
    waiver = AppliedWaiver(
        justification="Agreed with the union", approver="A. Rep", expires=AS_OF, source=where
    )
    expired = waiver.model_copy(update={"expired": True})
    findings[failing[0]] = findings[failing[0]].model_copy(
        update={"status": "waived", "waiver": waiver}
    )
    findings[failing[1]] = findings[failing[1]].model_copy(update={"waiver": expired})
    findings[failing[2]] = findings[failing[2]].model_copy(update={"baselined": True})
    return result.model_copy(update={"findings": findings})


def _same(got: DeclarationResult, made: DeclarationResult) -> None:
    assert type(got) is DeclarationResult
    assert got == made
    assert got.model_dump_json() == made.model_dump_json()
    assert got.__pydantic_fields_set__ == made.__pydantic_fields_set__
    assert list(got.__dict__) == list(made.__dict__)
    for new, old in zip(got.findings, made.findings, strict=True):
        assert type(new) is Finding and type(new.subject) is Subject
        assert type(new.location) is Location
        assert list(new.__dict__) == list(old.__dict__)
        assert new.__pydantic_fields_set__ == old.__pydantic_fields_set__
        assert new.subject.__pydantic_fields_set__ == old.subject.__pydantic_fields_set__
        assert (new.__pydantic_extra__, new.__pydantic_private__) == (None, None)


def _most_found_rule(result: DeclarationResult) -> str:
    return max(
        sorted({f.rule_id for f in result.findings}),
        key=lambda r: sum(f.rule_id == r for f in result.findings),
    )


def test_every_example_comes_back_as_it_was_made(results: list[DeclarationResult]) -> None:
    for result in [*results, _with_waived_and_baselined(results[-1])]:
        assert packing.pack(result, KINDS) is not None
        _same(pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)), result)


def test_a_rules_words_travel_once(results: list[DeclarationResult]) -> None:
    result = max(results, key=lambda r: len(r.findings))
    rule = _most_found_rule(result)
    first = next(f for f in result.findings if f.rule_id == rule)
    assert sum(f.rule_id == rule for f in result.findings) > 1
    sent = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    assert sent.count(first.remediation.encode("utf-8")) == 1


@pytest.mark.parametrize("field", ["severity", "title", "tags"])
def test_findings_of_one_rule_with_other_words_keep_their_own(
    results: list[DeclarationResult], field: str
) -> None:
    result = max(results, key=lambda r: len(r.findings))
    findings = list(result.findings)
    rule = _most_found_rule(result)
    first, second = [i for i, f in enumerate(findings) if f.rule_id == rule][:2]
    old = findings[first]
    value = {"severity": "low" if old.severity != "low" else "high", "title": "Another"}
    findings[first] = old.model_copy(update={field: value.get(field, ["another"])})
    edited = result.model_copy(update={"findings": findings})
    got = pickle.loads(pickle.dumps(edited))
    _same(got, edited)
    assert getattr(got.findings[first], field) == getattr(findings[first], field)
    assert getattr(got.findings[second], field) == getattr(old, field)


def test_a_result_packing_does_not_know_is_pickled_as_models(
    results: list[DeclarationResult],
) -> None:
    result = results[0]
    odd = Special.model_validate(result.findings[0].model_dump())
    edited = result.model_copy(update={"findings": [odd, *result.findings[1:]]})
    assert packing.pack(edited, KINDS) is None
    got = pickle.loads(pickle.dumps(edited))
    assert type(got.findings[0]) is Special and got == edited


class Special(Finding):
    """A finding of a kind packing does not know."""


def _read(result: DeclarationResult) -> DeclarationResult:
    return result


def test_a_worker_hands_back_the_result_it_made(results: list[DeclarationResult]) -> None:
    made = _with_waived_and_baselined(results[-1])
    (got,) = run_each(_read, [made], jobs=1, limits=Limits(seconds=30))
    assert isinstance(got, DeclarationResult)
    _same(got, made)


def test_findings_share_one_set_of_fields_set_and_copies_keep_their_own(
    results: list[DeclarationResult],
) -> None:
    """A run holds every finding: each frozen finding and subject refers to the one set of the
    fields it has set (a set of 13 names is 728 bytes), made as pydantic makes it; an update
    gives the copy a set of its own and leaves the others' as they were."""
    findings = [f for result in results for f in result.findings]
    first = findings[0]
    fresh = Finding(**{name: getattr(first, name) for name in first.__pydantic_fields_set__})
    assert first.__pydantic_fields_set__ == fresh.__pydantic_fields_set__
    assert len({id(f.__pydantic_fields_set__) for f in findings}) == 1
    assert len({id(f.subject.__pydantic_fields_set__) for f in findings}) == 1
    before = set(first.__pydantic_fields_set__)
    most = max(results, key=lambda r: sum(f.status == "fail" for f in r.findings))
    waived = _with_waived_and_baselined(most).findings
    assert any(f.waiver is not None for f in waived)
    assert first.__pydantic_fields_set__ == before == findings[-1].__pydantic_fields_set__
    assert "waiver" not in before and any("waiver" in f.__pydantic_fields_set__ for f in waived)
    # After a trip through a worker's packing, as one set per distinct set again.
    back = [pickle.loads(pickle.dumps(r)) for r in results]
    assert len({id(f.__pydantic_fields_set__) for r in back for f in r.findings}) == 1


def test_a_finding_made_without_validating_is_the_one_pydantic_makes() -> None:
    """rule_finding skips validating values already validated: what it makes must be what the
    validated model makes, field for field and in the same order, and what it is not sure of
    is validated, and refused, by the model itself."""
    from pydantic import ValidationError

    from ccai_policy.model.result import rule_finding, subject

    rule = compile_policy(load_policy("ccai-baseline")).rules[0].loaded.rule
    where = Location("decl.yaml", 12, 5)
    about = subject("u-1", "/uses/0")
    made = rule_finding(rule, "high", "fail", "u-1 has no consent", about, where)
    validated = Finding(
        rule_id=rule.id,
        title=rule.title,
        criterion=rule.criterion,
        severity="high",
        status="fail",
        message="u-1 has no consent",
        subject=Subject(id="u-1", pointer="/uses/0"),
        location=where,
        remediation=rule.remediation,
        references=rule.references,
        tags=rule.tags,
    )
    assert made == validated
    assert list(made.__dict__) == list(validated.__dict__)
    assert made.model_dump_json() == validated.model_dump_json()
    assert made.__pydantic_fields_set__ == validated.__pydantic_fields_set__
    assert made.subject.__pydantic_fields_set__ == validated.subject.__pydantic_fields_set__
    assert made.references is not rule.references and made.tags is not rule.tags
    with pytest.raises(ValidationError, match="status"):
        rule_finding(rule, "high", "broken", "m", subject("u-1", "/uses/0"), where)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="severity"):
        rule_finding(rule, "urgent", "fail", "m", subject("u-1", "/uses/0"), where)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="status"):
        rule_finding(rule, "high", ["fail"], "m", subject("u-1", "/uses/0"), where)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="message"):
        rule_finding(rule, "high", "fail", 3, subject("u-1", "/uses/0"), where)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="pointer"):
        subject("u-1", 7)  # type: ignore[arg-type]
