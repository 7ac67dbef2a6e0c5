"""Evidence files: paths stay inside the declaration's folder; --verify-evidence checks them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import DECL, check_args

CONSENT = "  - id: c-1\n    person: p-ana\n"


def declaration(tmp_path: Path, path: str, sha: str | None = None) -> Path:
    evidence = f"    evidence: {{path: {json.dumps(path)}"
    evidence += f", sha256: {json.dumps(sha)}}}\n" if sha else "}\n"
    text = DECL.read_text(encoding="utf-8").replace(CONSENT, CONSENT + evidence)
    decl = tmp_path / "prod" / "decl.yaml"
    decl.parent.mkdir(parents=True, exist_ok=True)
    decl.write_text(text, encoding="utf-8")
    return decl


def evidence_findings(result: Result) -> list[dict[str, object]]:
    data = json.loads(result.output)
    return [
        f for f in data["declarations"][0]["findings"] if f["rule_id"] == "TRANSP-EVIDENCE-FILE-001"
    ]


@pytest.mark.parametrize(
    ("path", "why"),
    [("../outside.pdf", "leaves the declaration's folder"), ("/etc/passwd", "is absolute")],
    ids=["dotdot", "absolute"],
)
def test_paths_outside_the_folder_are_errors(
    run_cli: Callable[..., Result], tmp_path: Path, path: str, why: str
) -> None:
    decl = declaration(tmp_path, path)
    result = run_cli(*check_args(decl=decl))
    assert result.exit_code == 2
    assert f"decl.yaml:31:16: error: `consents[0].evidence.path`: evidence path {path!r} {why}" in (
        result.output
    )
    assert "--evidence-root" in result.output


def test_symlink_escaping_the_folder_is_an_error(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = declaration(tmp_path, "signed.pdf")
    (tmp_path / "secret.pdf").write_bytes(b"x")
    (decl.parent / "signed.pdf").symlink_to(tmp_path / "secret.pdf")
    result = run_cli(*check_args(decl=decl))
    assert result.exit_code == 2
    assert "evidence path 'signed.pdf' leaves the declaration's folder" in result.output


def test_a_folder_whose_name_starts_like_the_declarations_is_outside_it(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """`prod-old/` is not inside `prod/`, though its path starts with the same letters."""
    decl = declaration(tmp_path, "../prod-old/c-1.pdf")
    (tmp_path / "prod-old").mkdir()
    (tmp_path / "prod-old" / "c-1.pdf").write_bytes(b"x")
    linked = declaration(tmp_path / "second", "old/c-1.pdf")
    (linked.parent / "old").symlink_to(tmp_path / "prod-old")  # a folder linked out
    for path, shown in ((decl, "../prod-old/c-1.pdf"), (linked, "old/c-1.pdf")):
        result = run_cli(*check_args(decl=path))
        assert result.exit_code == 2
        assert f"evidence path {shown!r} leaves the declaration's folder" in result.output


def test_evidence_root_allows_a_folder(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    shared = tmp_path / "shared-evidence"
    shared.mkdir()
    (shared / "c-1.pdf").write_bytes(b"signed")
    decl = declaration(tmp_path, "../shared-evidence/c-1.pdf")
    result = run_cli(*check_args("--evidence-root", str(shared), "--verify-evidence", decl=decl))
    assert result.exit_code == 1  # the declaration's own findings, not an error
    assert "could not be evaluated" not in result.output


def test_verify_passes_when_file_matches(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    content = b"%PDF-1.7 signed consent"
    decl = declaration(tmp_path, "evidence/c-1.pdf", hashlib.sha256(content).hexdigest())
    (decl.parent / "evidence").mkdir()
    (decl.parent / "evidence" / "c-1.pdf").write_bytes(content)
    result = run_cli(*check_args("--verify-evidence", "--format", "json", decl=decl))
    [finding] = evidence_findings(result)
    assert finding["status"] == "pass"
    assert finding["message"] == "1 evidence files verified"


def test_verify_reports_missing_and_changed_files(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = declaration(tmp_path, "evidence/c-1.pdf", "0" * 64)
    result = run_cli(*check_args("--verify-evidence", decl=decl))
    assert result.exit_code == 1
    assert (
        "decl.yaml:31:16: FAIL TRANSP-EVIDENCE-FILE-001 [high] c-1: evidence file "
        "evidence/c-1.pdf does not exist" in result.output
    )
    (decl.parent / "evidence").mkdir()
    (decl.parent / "evidence" / "c-1.pdf").write_bytes(b"tampered")
    actual = hashlib.sha256(b"tampered").hexdigest()
    result = run_cli(*check_args("--verify-evidence", decl=decl))
    assert f"c-1: evidence file evidence/c-1.pdf has SHA-256 {actual}, but the declaration " in (
        result.output
    )


def test_without_verify_the_rule_is_absent(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    decl = declaration(tmp_path, "evidence/c-1.pdf", "0" * 64)
    result = run_cli(*check_args("--format", "json", decl=decl))
    assert evidence_findings(result) == []
    rules = [r["id"] for r in json.loads(result.output)["rules"]]
    assert "TRANSP-EVIDENCE-FILE-001" not in rules


@pytest.mark.parametrize("jobs", ["0", "1"])
def test_a_name_too_long_for_the_file_system_is_a_located_finding(
    run_cli: Callable[..., Result], tmp_path: Path, jobs: str
) -> None:
    decl = declaration(tmp_path, "evidence/" + "x" * 300 + ".pdf", "0" * 64)
    (decl.parent / "evidence").mkdir()
    other = tmp_path / "prod" / "other.yaml"
    other.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli(
        "check", str(decl), str(other), *check_args("--verify-evidence", "--jobs", jobs)[2:]
    )
    assert result.exit_code == 1, result.output
    assert (
        "decl.yaml:31:16: FAIL TRANSP-EVIDENCE-FILE-001 [high] c-1: cannot read evidence file: "
        "File name too long" in result.output
    )
    assert "internal error" not in result.output
    assert "other.yaml: " in result.output  # the other declaration is evaluated in full


def test_an_internal_error_in_one_file_keeps_the_others_without_workers(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ccai_policy.run.pipeline as check_module

    bad = tmp_path / "bad.yaml"
    bad.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    real = check_module.check_one

    def failing(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "bad.yaml":
            raise OSError(36, "File name too long")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(check_module, "check_one", failing)
    result = run_cli("check", str(bad), *check_args("--jobs", "0")[1:])
    assert result.exit_code == 2
    assert (
        "bad.yaml: error: could not evaluate: internal error: OSError: [Errno 36] File name "
        in (result.output)
    )
    assert "decl.yaml: " in result.output and "NOT COMPLIANT" in result.output
