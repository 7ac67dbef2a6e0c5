"""One finding identity: baseline, diff and SARIF agree on which findings are "the same".

Each case checks a declaration, edits it in place, and checks it again; for every failing
finding of the second run, the baseline recorded from the first suppresses it exactly when
`diff` calls it unchanged and exactly when the first run's SARIF had its fingerprint.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ccai_policy.evaluate.baseline import load_baseline
from ccai_policy.evaluate.compiler import compile_policy
from ccai_policy.model.identity import FindingId
from ccai_policy.model.result import Result
from ccai_policy.policy.resolve import load_policy
from ccai_policy.report import FORMATS
from ccai_policy.run.diff import finding_changes
from ccai_policy.run.pipeline import Checks, EvidenceOptions, run_pipeline

from .authoring import DECL, POLICY, RULES
from .conftest import AS_OF

ASSET = "  - id: a-promo\n    title: Promo\n    uses: [u-voice]\n"
#: The asset names a promo file that is not there: one failing evidence finding.
ONE_FILE = ASSET + "    path: promo.mp4\n"
#: The same asset also names a sidecar manifest that is not there: a second finding of the
#: same rule on the same subject.
TWO_FILES = ONE_FILE + "    content_credentials: {manifest: promo.c2pa}\n"


def declaration(asset: str, *, moved: bool = False) -> str:
    text = DECL.read_text(encoding="utf-8")
    assert ASSET in text
    text = text.replace(ASSET, asset)
    if moved:  # five comment lines on top: every finding moves down
        text = "# moved\n" * 5 + text
    return text


def check(path: Path, baseline: Path | None = None) -> Result:
    policy = load_policy(str(POLICY), RULES)
    checks = Checks(
        ruleset=compile_policy(policy),
        as_of=dt.date.fromisoformat(AS_OF),
        evidence=EvidenceOptions(verify=True),
        baseline=load_baseline(baseline, str(baseline)) if baseline else None,
    )
    return run_pipeline([path], checks)


def fingerprints(result: Result) -> list[str]:
    [run] = json.loads(FORMATS["sarif"](result))["runs"]
    return [r["partialFingerprints"]["ccaiPolicyFinding/v1"] for r in run["results"]]


CASES = {
    "lines move": (ONE_FILE, declaration(ONE_FILE, moved=True)),
    "a second finding of one rule on one subject": (ONE_FILE, declaration(TWO_FILES)),
    "the first of two goes": (
        TWO_FILES,
        declaration(
            ASSET + "    path: decl.yaml\n    content_credentials: {manifest: promo.c2pa}\n"
        ),
    ),
}


@pytest.mark.parametrize(("before", "after"), CASES.values(), ids=CASES.keys())
def test_baseline_diff_and_sarif_call_the_same_findings_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str, after: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("decl.yaml")
    path.write_text(declaration(before), encoding="utf-8")
    old = check(path)
    Path("baseline.json").write_text(FORMATS["json"](old), encoding="utf-8")
    old_prints = set(fingerprints(old))
    path.write_text(after, encoding="utf-8")
    new = check(path, Path("baseline.json"))
    changes = finding_changes(old.declarations[0], new.declarations[0])
    unchanged = [c.finding for c in changes if c.kind == "unchanged"]
    failing = [f for f in new.declarations[0].findings if f.status in ("fail", "error")]
    new_prints = fingerprints(new)
    assert len(new_prints) == len(failing) == len(set(new_prints)), "one alert per finding"
    verdicts = [
        (
            f.rule_id,
            f.subject.id,
            any(f is u for u in unchanged),
            f.baselined,
            fingerprint in old_prints,
        )
        for f, fingerprint in zip(failing, new_prints, strict=True)
    ]
    for rule, subject, in_diff, in_baseline, in_sarif in verdicts:
        assert in_diff == in_baseline == in_sarif, (rule, subject, verdicts)


def test_two_findings_of_one_rule_on_one_subject_are_two_identities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("decl.yaml").write_text(declaration(TWO_FILES), encoding="utf-8")
    result = check(Path("decl.yaml"))
    evidence = [
        f
        for f in result.declarations[0].findings
        if f.rule_id == "TRANSP-EVIDENCE-FILE-001" and f.status == "fail"
    ]
    assert [f.message for f in evidence] == [
        "a-promo: evidence file promo.mp4 does not exist",
        "a-promo: evidence file promo.c2pa does not exist",
    ]
    prints = fingerprints(result)
    assert len(prints) == len(set(prints))


def test_sarif_fingerprints_of_first_occurrences_are_the_earlier_releases() -> None:
    """Code scanning keeps its alerts: the hash of rule, file and subject, as before."""
    import hashlib

    earlier = hashlib.sha256(b"TEST-PAY-001\0decl.yaml\0u-voice").hexdigest()
    assert FindingId("TEST-PAY-001", "u-voice").fingerprint("decl.yaml") == earlier
    assert FindingId("TEST-PAY-001", "u-voice").fingerprint("sub\\decl.yaml") == (
        FindingId("TEST-PAY-001", "u-voice").fingerprint("sub/decl.yaml")
    )
    assert FindingId("TEST-PAY-001", "u-voice", 1).fingerprint("decl.yaml") != earlier
