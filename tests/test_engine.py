"""The engine entered directly: each way a rule's evaluation can go, the chunk boundary of
pinpointing, and the branch that fails closed when a rule fails but no item can be found.

Each case writes one small rule and a declaration of N uses, some of which the rule fails, and
calls `engine.evaluate` on them: no CLI, no worker, no format in between. Every case runs twice:
with the fast runtime first (as `check` runs) and with the reference runtime only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from ccai_policy.evaluate.compiler import compile_policy
from ccai_policy.evaluate.engine import evaluate
from ccai_policy.evaluate.programs import CHUNK, MESSAGE_CHUNK
from ccai_policy.load.loader import load_file
from ccai_policy.load.validation import validate_declaration
from ccai_policy.model.result import DeclarationResult
from ccai_policy.policy.resolve import load_policy

AS_OF = dt.date(2026, 6, 1)
FAST = True


@pytest.fixture(autouse=True, params=["fast runtime", "reference runtime"])
def runtime(request: pytest.FixtureRequest) -> str:
    """Which runtime judges first: `run` reads the module's FAST while a case runs."""
    global FAST
    FAST = request.param == "fast runtime"
    return str(request.param)


RULE = """\
id: ENGINE-TEST-001
title: Every use says what it is
criterion: transparency
severity: high
references:
  - {{title: Test source, url: "https://example.org/source"}}
description: A test rule.
remediation: Describe the use.
for_each: uses
as: use
{lines}
message: "{{{{use.id}}}} is described as {{{{use.description}}}}"
"""


def uses(count: int, failing: set[int], raising: set[int]) -> str:
    lines = []
    for i in range(count):
        description = "bad" if i in failing else "boom" if i in raising else "good"
        lines += [
            f"  - id: u-{i}",
            "    category: gai_visual_or_audio",
            f'    description: "{description}"',
            "    tool: t-1",
        ]
    return "\n".join(lines)


def run(
    tmp_path: Path, rule: str, count: int, failing: set[int], **kw: set[int]
) -> DeclarationResult:
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "ENGINE-TEST-001.yaml").write_text(RULE.format(lines=rule), encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    path = tmp_path / "decl.yaml"
    path.write_text(
        "apiVersion: ccai-policy/v1\nkind: Declaration\n"
        "production: {id: prod-1, title: One, studio: S, type: film}\n"
        "tools:\n  - {id: t-1, name: T, vendor: V}\n"
        f"uses:\n{uses(count, failing, kw.get('raising', set()))}\n",
        encoding="utf-8",
    )
    ruleset = dataclasses.replace(compile_policy(load_policy(str(policy), rules)), fast=FAST)
    if kw.get("pinpoint_nothing"):  # a pinpointing program that finds no failing item
        [compiled] = ruleset.rules
        outside = "[true, [99]]"  # a sweep that fails an item the chunk does not hold
        ruleset.rules[0] = dataclasses.replace(
            compiled,
            composed={**compiled.composed, "pinpoint": "[]"},
            composed_fast={**compiled.composed_fast, "sweep": outside},
        )
    document = load_file(path, display="decl.yaml")
    return evaluate(validate_declaration(document), document, ruleset, AS_OF)


def outcomes(result: DeclarationResult) -> list[tuple[str, str, str]]:
    return [(f.status, f.subject.pointer, f.message) for f in result.findings]


ASSERT = 'assert: use.description != "bad"'


def test_every_item_passing_is_one_pass(tmp_path: Path) -> None:
    result = run(tmp_path, ASSERT, 3, set())
    assert [(f.status, f.subject.pointer) for f in result.findings] == [("pass", "/uses")]


def test_a_rule_that_selects_nothing_is_not_applicable(tmp_path: Path) -> None:
    rule = 'where: use.description == "none of them"\n' + ASSERT
    [finding] = run(tmp_path, rule, 3, {1}).findings
    assert finding.status == "not_applicable"


def test_each_failing_item_is_one_fail_in_the_rules_words(tmp_path: Path) -> None:
    assert outcomes(run(tmp_path, ASSERT, 4, {1, 3})) == [
        ("fail", "/uses/1", "u-1 is described as bad"),
        ("fail", "/uses/3", "u-3 is described as bad"),
    ]


def test_applies_when_false_is_not_applicable_with_the_rules_applicability(tmp_path: Path) -> None:
    """The rule's applicability sentence, beside the facts of the production it did not fit."""
    rule = "applies_when: production.type == 'game'\napplicability: games only\n" + ASSERT
    assert outcomes(run(tmp_path, rule, 2, {0})) == [
        (
            "not_applicable",
            "/production",
            "Games only; this production is a film, no territory declared, under no union "
            "agreement.",
        )
    ]


@pytest.mark.parametrize(
    "count", [CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 1], ids=lambda n: f"{n} uses"
)
def test_pinpointing_finds_failures_on_both_sides_of_a_chunk_boundary(
    tmp_path: Path, count: int
) -> None:
    failing = {i for i in (0, CHUNK - 1, CHUNK, 2 * CHUNK, count - 1) if i < count}
    result = run(tmp_path, ASSERT, count, failing)
    assert [f.subject.pointer for f in result.findings] == [f"/uses/{i}" for i in sorted(failing)]
    assert {f.status for f in result.findings} == {"fail"}


@pytest.mark.parametrize("count", [MESSAGE_CHUNK + 1, 2 * MESSAGE_CHUNK + 3])
def test_each_failing_items_message_is_its_own_across_message_batches(
    tmp_path: Path, count: int
) -> None:
    """Messages are written MESSAGE_CHUNK failing items per call: none is shifted or lost at
    a batch's edge."""
    failing = set(range(count))
    assert outcomes(run(tmp_path, ASSERT, count, failing)) == [
        ("fail", f"/uses/{i}", f"u-{i} is described as bad") for i in range(count)
    ]


def test_an_item_that_raises_is_an_error_and_the_others_are_still_judged(tmp_path: Path) -> None:
    """The composed program raises, so the engine goes item by item: the raising item is an
    error (which fails like a violation), the failing ones still fail, across chunks."""
    rule = (
        'assert: use.description != "bad" && '
        '(use.description != "boom" || int(use.description) > 0)'
    )
    result = run(tmp_path, rule, CHUNK + 2, {0, CHUNK + 1}, raising={CHUNK})
    assert outcomes(result) == [
        ("fail", "/uses/0", "u-0 is described as bad"),
        (
            "error",
            f"/uses/{CHUNK}",
            f"cannot evaluate the rule for u-{CHUNK}: Function 'int' error: "
            "string parse error: invalid digit found in string",
        ),
        ("fail", f"/uses/{CHUNK + 1}", f"u-{CHUNK + 1} is described as bad"),
    ]


def test_a_failed_rule_with_no_failing_item_found_fails_closed(tmp_path: Path) -> None:
    """With the fast runtime, its sweep here names a position outside the declaration: not
    trusted, so the reference runtime judges, whose pinpointing here finds nothing."""
    result = run(tmp_path, ASSERT, 3, {2}, pinpoint_nothing={1})
    assert outcomes(result) == [
        (
            "error",
            "/uses",
            "the rule failed as a whole but no single item could be pinpointed",
        )
    ]
