"""The benchmark's comparison with a Rego peer names the rule that differs, where, and the items."""

from __future__ import annotations

from benchmarks.outcomes import differences

OURS = {
    "/s/decl-0000.yaml": {
        "CONSENT-REPLICA-001": ["u-1", "u-2"],
        "COMP-REPLICA-DAY-001": ["u-3"],
        "TRANSP-C2PA-001": "pass",
    },
    "/s/decl-0001.yaml": {"CONSENT-REPLICA-001": ["u-4"], "COMP-REPLICA-DAY-001": "pass"},
}


def test_agreeing_outcomes_make_no_note() -> None:
    assert differences(OURS, OURS, "regorus") == (5, 0, [])


def test_each_differing_rule_is_named_with_its_files_and_items() -> None:
    theirs = {
        "/s/decl-0000.yaml": {
            "CONSENT-REPLICA-001": ["u-2", "u-9"],
            "COMP-REPLICA-DAY-001": "pass",
            "TRANSP-C2PA-001": "pass",
        },
        "/s/decl-0001.yaml": {"CONSENT-REPLICA-001": "pass", "COMP-REPLICA-DAY-001": "pass"},
    }
    compared, differ, notes = differences(OURS, theirs, "regorus")
    assert (compared, differ) == (5, 3)
    assert notes[0] == (
        "six rules differ from regorus in 3 of 5 outcomes: "
        "COMP-REPLICA-DAY-001 in 1 file, CONSENT-REPLICA-001 in 2 files"
    )
    assert notes[1:] == [
        "six rules differ: decl-0000.yaml COMP-REPLICA-DAY-001: ccai-policy fails 1: u-3; "
        "regorus passes",
        "six rules differ: decl-0000.yaml CONSENT-REPLICA-001: fails only in ccai-policy: u-1; "
        "fails only in regorus: u-9",
        "six rules differ: decl-0001.yaml CONSENT-REPLICA-001: ccai-policy fails 1: u-4; "
        "regorus passes",
    ]


def test_the_first_example_of_every_rule_comes_before_the_rest() -> None:
    ours = {f"/s/d{i}.yaml": {"A": ["u-1"], "B": "pass"} for i in range(12)}
    theirs = {f"/s/d{i}.yaml": {"A": "pass", "B": "pass"} for i in range(12)}
    theirs["/s/d11.yaml"]["B"] = "not_applicable"
    _, differ, notes = differences(ours, theirs, "opa")
    assert differ == 13
    assert len(notes) == 1 + 10
    assert "d11.yaml B: ccai-policy passes; opa does not apply" in notes[2]
