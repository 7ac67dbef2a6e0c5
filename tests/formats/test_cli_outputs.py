"""`check -o FMT:FILE`: several formats in one run, directories of HTML pages, clear errors."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import Result as CliResult

from ccai_policy.report import FORMATS

from ..conftest import AS_OF, ROOT
from .conftest import FIXTURES, MORNING_TIDE, NIGHT_FERRY

RunCli = Callable[..., CliResult]
FIXTURE_ARGS = (
    "--policy",
    str(FIXTURES / "policy.yaml"),
    "--no-bundled-rules",
    "--rules",
    str(FIXTURES / "rules"),
    "--waivers",
    str(FIXTURES / "waivers.yaml"),
    "--as-of",
    AS_OF,
)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_several_formats_in_one_run(run_cli: RunCli, tmp_path: Path) -> None:
    outputs = {name: tmp_path / f"report.{name}" for name in FORMATS}
    args = [a for name, path in outputs.items() for a in ("-o", f"{name}:{path}")]
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "--format", "github", *args)
    assert result.exit_code == 1
    assert result.output == outputs["github"].read_text(encoding="utf-8")
    assert all(path.stat().st_size > 0 for path in outputs.values())
    assert not list(tmp_path.glob(".*.tmp")), "atomic writes leave no temporary files"


@pytest.mark.parametrize(
    ("target", "spec"),
    [("site", "html:{}/"), ("existing", "html:{}")],
    ids=["trailing-slash", "existing-dir"],
)
def test_html_directory_target(run_cli: RunCli, tmp_path: Path, target: str, spec: str) -> None:
    (tmp_path / "existing").mkdir()
    out = tmp_path / target
    result = run_cli(
        "check", str(MORNING_TIDE), str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", spec.format(out)
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        "prod-morning-tide.html",
        "prod-night-ferry.html",
    ]


def test_html_file_target_holds_every_report(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run_cli("check", str(MORNING_TIDE), str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", f"html:{out}")
    text = out.read_text(encoding="utf-8")
    assert "<h1>2 productions checked</h1>" in text
    assert '<h2 id="d2-title">The Night Ferry: Not compliant</h2>' in text


def test_identical_runs_give_identical_bytes(run_cli: RunCli, tmp_path: Path) -> None:
    for run in ("a", "b"):
        args = [a for name in FORMATS for a in ("-o", f"{name}:{tmp_path / run / name}")]
        run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, *args)
    for name in FORMATS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_unknown_format_lists_the_valid_ones(run_cli: RunCli) -> None:
    result = run_cli("check", str(NIGHT_FERRY), "-o", "pdf:out.pdf")
    assert result.exit_code == 2
    assert "unknown format 'pdf'; choose from text, json, html, sarif, junit, markdown, github" in (
        result.output
    )


def test_single_file_format_refuses_a_directory(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("check", str(NIGHT_FERRY), "-o", f"sarif:{tmp_path}/")
    assert result.exit_code == 2
    assert "is a directory; sarif writes one file (only html can fill a directory)" in (
        result.output
    )


def test_unwritable_output_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", f"sarif:{blocker}/x.sarif")
    assert result.exit_code == 2
    assert f"error: cannot write {blocker}/x.sarif" in result.output


def test_a_fifo_is_written_into_not_replaced(run_cli: RunCli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-q", "-o", f"json:{fifo}")
    reader.join(timeout=60)
    assert result.exit_code == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO is still a FIFO"
    assert json.loads(received[0])["tool"] == "ccai-policy"


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
def test_a_device_is_written_into_not_replaced(run_cli: RunCli, tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of its own
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-q", "-o", f"sarif:{null}")
    assert result.exit_code == 1, result.output
    assert stat.S_ISCHR(null.lstat().st_mode), "the device is not replaced by a regular file"
    assert null.stat().st_rdev == os.makedev(1, 3)


def test_dash_is_standard_output(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", "json:-")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["tool"] == "ccai-policy"
    assert not (ROOT / "-").exists(), "no file named '-'"
    both = run_cli("check", str(NIGHT_FERRY), "--format", "sarif", "-o", "json:-")
    assert both.exit_code == 2
    assert "--format and -o FORMAT:- both choose what goes to standard output" in both.output


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("json:{d}/a.json", "sarif:{d}/./a.json"),
        ("json:-", "junit:-"),
        ("json:{d}/l", "json:{d}/a"),
    ],
    ids=["same-file", "both-stdout", "symlink-to-it"],
)
def test_two_outputs_to_one_file_are_refused(
    run_cli: RunCli, tmp_path: Path, first: str, second: str
) -> None:
    (tmp_path / "l").symlink_to(tmp_path / "a")
    result = run_cli(
        "check", str(NIGHT_FERRY), "-o", first.format(d=tmp_path), "-o", second.format(d=tmp_path)
    )
    assert result.exit_code == 2
    assert "give each output a file of its own" in result.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "a.json").exists()


def test_a_symlink_is_followed_and_kept(run_cli: RunCli, tmp_path: Path) -> None:
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "result.json"
    link.symlink_to(real)
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-q", "-o", f"json:{link}")
    assert result.exit_code == 1
    assert link.is_symlink(), "the link is kept"
    assert json.loads(real.read_text(encoding="utf-8"))["tool"] == "ccai-policy"


def test_a_name_too_long_is_exit_2_and_the_other_outputs_are_written(
    run_cli: RunCli, tmp_path: Path
) -> None:
    long = tmp_path / ("x" * 300 + ".json")
    near = tmp_path / ("y" * 250 + ".json")  # legal: no temporary name may push it over
    fine = tmp_path / "fine.sarif"
    result = run_cli(
        "check",
        str(NIGHT_FERRY),
        *FIXTURE_ARGS,
        "-q",
        "-o",
        f"json:{long}",
        "-o",
        f"json:{near}",
        "-o",
        f"sarif:{fine}",
    )
    assert result.exit_code == 2
    assert f"error: cannot write {long}: File name too long\n" in result.stderr
    assert "internal error" not in result.output
    assert json.loads(near.read_text(encoding="utf-8"))["tool"] == "ccai-policy"
    assert json.loads(fine.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "1 declaration checked" in result.stdout, "standard output is still written"


def test_an_unwritable_folder_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anywhere it may: use a file system that refuses
            target = Path("/proc/ccai-policy-report.json")
            reason = "(No such file or directory|Permission denied|Read-only file system)"
        else:
            target, reason = folder / "x.json", "Permission denied"
        result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-q", "-o", f"json:{target}")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert re.search(
        rf"^error: cannot write {re.escape(str(target))}: {reason}$", result.stderr, re.M
    )


def test_an_html_folder_loses_the_pages_of_earlier_runs(run_cli: RunCli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = run_cli(
        "check", str(NIGHT_FERRY), str(MORNING_TIDE), *FIXTURE_ARGS, "-q", "-o", f"html:{site}/"
    )
    assert first.exit_code == 1
    assert sorted(p.name for p in site.iterdir()) == [
        "index.html",
        "prod-morning-tide.html",
        "prod-night-ferry.html",
    ]
    (site / "notes.html").write_text("<p>my own notes</p>", encoding="utf-8")
    again = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-q", "-o", f"html:{site}/")
    assert again.exit_code == 1
    assert sorted(p.name for p in site.iterdir()) == [
        "index.html",
        "notes.html",
        "prod-night-ferry.html",
    ], "the morning tide page of the first run is gone, the user's own file stays"


def test_page_names_differ_where_case_does_not_count(tmp_path: Path) -> None:
    from ccai_policy.report.html import page_names

    def production(pid: str) -> Any:
        return SimpleNamespace(production=SimpleNamespace(id=pid))

    names = page_names([production(p) for p in ("Ferry", "ferry", "FERRY", "Index", "con")])
    assert names == [
        "Ferry.html",
        "ferry-2.html",
        "FERRY-3.html",
        "Index-2.html",
        "con-report.html",
    ]
    assert len({n.lower() for n in names}) == len(names)
