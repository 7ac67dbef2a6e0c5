"""`ccai-policy check` end to end: exit codes, what users read, outputs, and bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from ccai_policy.policy.policyfiles import bundled_policies
from ccai_policy.report import FORMATS

from .conftest import AS_OF, ROOT

Run = Callable[..., Result]

COMPLIANT = "examples/feature-film-compliant.yaml"
REVOKED = "tests/fixtures/declarations/replica-consent-revoked.yaml"
MANY = "tests/fixtures/declarations/many-problems.yaml"
REVOKED_FAIL = (
    f"{REVOKED}:57:5: FAIL CONSENT-REPLICA-001 [critical] u-deage replicates Ana Ruiz, "
    "but no consent that counts covers it for Ana Ruiz"
)
SUMMARY = re.compile(r"^  (\d+) rules: (\d+) passed, (\d+) failed(, .*)?$", re.MULTILINE)


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths are shown relative to the working directory; run where `make test` runs."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def check(run_cli: Run, *args: str) -> Result:
    return run_cli("check", "--as-of", AS_OF, *args)


def test_compliant_example_exits_0_with_a_summary(run_cli: Run) -> None:
    result = check(run_cli, COMPLIANT)
    assert result.exit_code == 0, result.output
    assert f"{COMPLIANT}: The Lighthouse Keeper (film, Northlight Pictures) — COMPLIANT" in (
        result.stdout
    )
    [(total, passed, failed, _)] = SUMMARY.findall(result.stdout)
    assert int(passed) > 0 and failed == "0" and int(total) >= int(passed)
    assert result.stdout.endswith(": 1 compliant, 0 not compliant\n")
    assert "Traceback" not in result.output


def test_a_failing_declaration_exits_1_with_file_line_col(run_cli: Run) -> None:
    result = check(run_cli, REVOKED)
    assert result.exit_code == 1, result.output
    assert "— NOT COMPLIANT" in result.stdout
    assert f"    ✗ {REVOKED_FAIL}\n" in result.stdout
    [(_, _, failed, _)] = SUMMARY.findall(result.stdout)
    assert int(failed) >= 1
    assert result.stdout.endswith(": 0 compliant, 1 not compliant\n")


def test_an_invalid_declaration_exits_2_with_every_problem(run_cli: Run) -> None:
    result = check(run_cli, MANY)
    assert result.exit_code == 2
    assert "Could not evaluate:" in result.stdout
    assert (
        f"  {MANY}:51:16: error: `uses[3].subjects[0]` names 'p-anna', but there is no person "
        "with that id\n"
        "    hint: did you mean 'p-ana'?\n"
    ) in result.stdout
    assert len(re.findall(rf"^  {re.escape(MANY)}:\d+:\d+: error: ", result.stdout, re.M)) == 11
    assert result.stdout.endswith("; 1 file could not be evaluated\n")


def test_fail_on_critical_still_fails_on_a_critical_finding(run_cli: Run) -> None:
    assert check(run_cli, REVOKED, "--fail-on", "critical").exit_code == 1


def test_json_output_carries_fingerprints_policy_and_findings(run_cli: Run) -> None:
    result = check(run_cli, REVOKED, COMPLIANT, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    policy_file = yaml.safe_load(bundled_policies()["ccai-baseline"].read_text(encoding="utf-8"))
    assert data["policy"]["id"] == "ccai-baseline"
    assert data["policy"]["version"] == str(policy_file["version"])
    assert re.fullmatch(r"[0-9a-f]{64}", data["policy"]["rules_digest"])
    assert data["as_of"] == AS_OF
    assert {i["file"]: i["sha256"] for i in data["inputs"]} == {
        path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest()
        for path in (REVOKED, COMPLIANT)
    }
    failing = [
        (f["rule_id"], f["subject"]["id"], f["location"])
        for d in data["declarations"]
        for f in d["findings"]
        if f["status"] == "fail"
    ]
    assert ("CONSENT-REPLICA-001", "u-deage", {"file": REVOKED, "line": 57, "column": 5}) in (
        failing
    )
    assert {location["file"] for _, _, location in failing} == {REVOKED}
    assert data["problems"] == []


def test_output_file_is_the_same_json_written_atomically(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "result.json"
    stdout = check(run_cli, REVOKED, "--format", "json").stdout
    result = check(run_cli, REVOKED, "-o", f"json:{target}")
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == stdout
    assert "FAIL CONSENT-REPLICA-001" in result.stdout, "stdout keeps the default text format"
    assert sorted(p.name for p in target.parent.iterdir()) == ["result.json"]


def test_output_files_get_the_usual_permissions(run_cli: Run, tmp_path: Path) -> None:
    """A report is shared (CI artifacts, a web server): readable like any file the user writes."""
    umask = os.umask(0o022)
    try:
        check(run_cli, COMPLIANT, "-o", f"json:{tmp_path / 'result.json'}")
    finally:
        os.umask(umask)
    assert oct((tmp_path / "result.json").stat().st_mode & 0o777) == oct(0o644)


def test_a_failed_write_leaves_the_previous_file_whole(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "result.json"
    target.write_text("previous run\n", encoding="utf-8")

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = check(run_cli, REVOKED, "-o", f"json:{target}")
    assert result.exit_code == 2
    assert f"error: cannot write {target}: No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"], "no temporary file is left"


def test_an_unwritable_output_path_exits_2(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    result = check(run_cli, COMPLIANT, "-o", f"json:{blocker / 'result.json'}")
    assert result.exit_code == 2
    assert f"error: cannot write {blocker / 'result.json'}: " in result.stderr
    assert "hint: choose a writable path" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "option"),
    [(("--format", "yaml"), "--format"), (("-o", "yaml:out.yaml"), "-o/--output")],
    ids=["--format", "-o"],
)
def test_an_unknown_format_is_a_usage_error_listing_formats(
    run_cli: Run, args: tuple[str, ...], option: str
) -> None:
    result = check(run_cli, COMPLIANT, *args)
    assert result.exit_code == 2
    assert f"Invalid value for {option}: unknown format 'yaml'; choose from " in result.stderr
    listed = result.stderr.split("choose from ", 1)[1].split("\n", 1)[0]
    assert listed.split(", ") == list(FORMATS)
    assert "Usage: " in result.stderr


def every_format(directory: Path) -> list[str]:
    """-o options writing every format into a directory."""
    return [arg for name in FORMATS for arg in ("-o", f"{name}:{directory / name}")]


def read_all(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def epoch_of(date: str, time: dt.time = dt.time()) -> str:
    return str(int(dt.datetime.combine(dt.date.fromisoformat(date), time, dt.UTC).timestamp()))


def test_as_of_and_source_date_epoch_give_identical_output(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_option = check(run_cli, REVOKED, COMPLIANT, *every_format(tmp_path / "a"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(AS_OF, dt.time(13, 30)))
    by_epoch = run_cli("check", REVOKED, COMPLIANT, *every_format(tmp_path / "b"))
    assert (by_option.exit_code, by_epoch.exit_code) == (1, 1)
    assert by_option.stdout == by_epoch.stdout
    written = read_all(tmp_path / "a")
    assert sorted(written) == sorted(FORMATS)
    assert written == read_all(tmp_path / "b")
    assert json.loads(written["json"])["as_of"] == AS_OF


def test_a_bad_source_date_epoch_is_a_usage_error(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_cli("check", COMPLIANT)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH='yesterday' is not a Unix timestamp" in result.stderr


def test_a_directory_with_no_declarations(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not yaml", encoding="utf-8")
    result = check(run_cli, str(tmp_path))
    assert result.exit_code == 2
    assert f"  {tmp_path}: error: no declarations (*.yaml, *.yml) in this directory\n" in (
        result.stdout
    )
    assert "hint: give a declaration file or a directory that holds some" in result.stdout


def test_a_path_that_does_not_exist(run_cli: Run) -> None:
    result = check(run_cli, "no/such/declaration.yaml")
    assert result.exit_code == 2
    assert "  no/such/declaration.yaml: error: no such file or directory\n" in result.stdout


def test_an_unknown_policy_lists_the_bundled_ones(run_cli: Run) -> None:
    result = check(run_cli, COMPLIANT, "--policy", "ccai-basline")
    assert result.exit_code == 2
    assert "error: unknown policy 'ccai-basline'" in result.stderr
    bundled = ", ".join(sorted(bundled_policies()))
    assert (
        f"hint: did you mean 'ccai-baseline'? bundled policies: {bundled}; or give a policy file"
    ) in result.stderr
    assert "ccai-baseline" in bundled


def copy_rule(directory: Path, old: str, new: str) -> tuple[Path, int, int]:
    """A copy of CONSENT-REPLICA-001 with one change; the line and column of the change."""
    source = (ROOT / "rules" / "consent" / "CONSENT-REPLICA-001.yaml").read_text(encoding="utf-8")
    assert source.count(old) == 1, f"the rule no longer contains {old!r} once"
    text = source.replace(old, new)
    directory.mkdir()
    path = directory / "CONSENT-REPLICA-001.yaml"
    path.write_text(text, encoding="utf-8")
    before = text[: text.index(new)]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return path, line, column


@pytest.fixture
def one_rule_policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text('id: t\nversion: "1"\ntitle: t\nrules: {include: ["*"]}\n', encoding="utf-8")
    return path


def broken_cel(tmp_path: Path) -> tuple[Path, int, int]:
    """CONSENT-REPLICA-001 with a doubled '&&' in its folded (>-) assert; where the second is."""
    path, line, column = copy_rule(
        tmp_path / "rules", "size(use.subjects) > 0 &&\n", "size(use.subjects) > 0 && &&\n"
    )
    return path, line, column + len("size(use.subjects) > 0 && ")


def test_a_rule_whose_cel_does_not_compile(
    run_cli: Run, tmp_path: Path, one_rule_policy: Path
) -> None:
    path, line, _ = broken_cel(tmp_path)
    result = check(
        run_cli,
        COMPLIANT,
        "--no-bundled-rules",
        "--rules",
        str(path.parent),
        "--policy",
        str(one_rule_policy),
    )
    assert result.exit_code == 2
    assert re.search(
        rf"^{re.escape(str(path))}:{line}:\d+: error: CONSENT-REPLICA-001: 'assert' does not "
        r"compile: cannot parse 'size\(use.subjects\) > 0 && && use",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert "hint: check the CEL syntax" in result.stderr
    assert "Traceback" not in result.output


def test_a_cel_error_in_a_block_scalar_points_at_its_column(
    run_cli: Run, tmp_path: Path, one_rule_policy: Path
) -> None:
    path, line, column = broken_cel(tmp_path)
    result = check(
        run_cli,
        COMPLIANT,
        "--no-bundled-rules",
        "--rules",
        str(path.parent),
        "--policy",
        str(one_rule_policy),
    )
    assert f"{path}:{line}:{column}: error: " in result.stderr


def test_a_rule_with_an_unknown_key(run_cli: Run, tmp_path: Path, one_rule_policy: Path) -> None:
    path, line, column = copy_rule(
        tmp_path / "rules", "severity: critical\n", "severty: critical\n"
    )
    result = check(
        run_cli,
        COMPLIANT,
        "--no-bundled-rules",
        "--rules",
        str(path.parent),
        "--policy",
        str(one_rule_policy),
    )
    assert result.exit_code == 2
    assert (
        f"{path}:{line}:{column}: error: `severty` is not a field: there is no field `severty` "
        "at the top of the file\n"
        "  hint: did you mean 'severity'?\n"
    ) in result.stderr


def billion_laughs() -> bytes:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(8):
        lines.append(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


BAD_INPUTS = [
    ("malformed.yaml", b"apiVersion: [ccai-policy/v1\n", "1:13: error: the `[` on line 1 is never"),
    ("duplicate.yaml", b"kind: Declaration\nkind: Declaration\n", "2:1: error: duplicate key"),
    ("laughs.yaml", billion_laughs(), "6:8: error: aliases expand to more than 100,000 nodes"),
    ("latin1.yaml", b"production:\n  title: Am\xe9lie\n", "2:12: error: invalid UTF-8 byte 0xe9"),
    ("empty.yaml", b"", " error: file is empty"),
    ("deep.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "1:68: error: nesting is deeper"),
    ("tagged.yaml", b"a: !!python/object/apply:os.system [ls]\n", "1:4: error: tag "),
    ("number.yaml", b"a: " + b"7" * 10_000 + b"\n", "1:4: error: number is 10,000 characters"),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    BAD_INPUTS,
    ids=[n.removesuffix(".yaml") for n, _, _ in BAD_INPUTS],
)
def test_bad_input_exits_2_with_a_located_message(
    run_cli: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    expected: str,
) -> None:
    (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = check(run_cli, name)
    assert result.exit_code == 2
    assert f"\n  {name}:{expected}" in result.stdout
    assert "Traceback" not in result.output


def test_a_file_over_max_file_size(run_cli: Run) -> None:
    size = (ROOT / COMPLIANT).stat().st_size
    result = check(run_cli, COMPLIANT, "--max-file-size", "1000")
    assert result.exit_code == 2
    assert (
        f"  {COMPLIANT}: error: file is {size:,} bytes, over the limit of 1,000\n"
        "    hint: split it, or raise the limit with --max-file-size\n"
    ) in result.stdout
    assert check(run_cli, COMPLIANT, "--max-file-size", str(size)).exit_code == 0


def test_one_bad_file_hides_nothing_of_the_others(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"apiVersion: ccai-policy/v1\napiVersion: ccai-policy/v1\n")
    result = check(run_cli, REVOKED, str(bad), COMPLIANT)
    assert result.exit_code == 2
    assert f"    ✗ {REVOKED_FAIL}\n" in result.stdout
    assert f"{COMPLIANT}: The Lighthouse Keeper (film, Northlight Pictures) — COMPLIANT" in (
        result.stdout
    )
    assert f"  {bad}:2:1: error: duplicate key 'apiVersion'" in result.stdout
    assert result.stdout.endswith(": 1 compliant, 1 not compliant; 1 file could not be evaluated\n")


def test_an_internal_error_is_one_line_without_debug_and_a_traceback_with_it(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("ccai_policy.run.pipeline.run_pipeline", broken)
    result = check(run_cli, COMPLIANT)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: internal error: RuntimeError: boom\n"
        "  hint: this is a bug in ccai-policy; run again with --debug and report the traceback\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        check(run_cli, COMPLIANT, "--debug")
    with pytest.raises(RuntimeError, match="boom"):
        run_cli("--debug", "check", COMPLIANT)


def test_installed_command_is_byte_identical_to_an_in_process_run(
    run_cli: Run, tmp_path: Path
) -> None:
    """The console script in a fresh process (another hash seed, the date from the
    environment) writes exactly what an in-process run with --as-of writes."""
    command = Path(sys.executable).with_name("ccai-policy")
    if not command.exists():
        pytest.skip(f"no console script beside {sys.executable}")
    completed = subprocess.run(
        [str(command), "check", REVOKED, COMPLIANT, *every_format(tmp_path / "process")],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "12345", "SOURCE_DATE_EPOCH": epoch_of(AS_OF)},
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr.decode()
    assert completed.stderr == b""
    assert f"    ✗ {REVOKED_FAIL}\n".encode() in completed.stdout
    in_process = check(run_cli, REVOKED, COMPLIANT, *every_format(tmp_path / "in-process"))
    assert completed.stdout == in_process.stdout_bytes
    assert read_all(tmp_path / "process") == read_all(tmp_path / "in-process")
