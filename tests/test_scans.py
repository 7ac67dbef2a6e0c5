"""Folder scans of `check` and of rule folders: linked folders followed once, YAML names in any
letter case, hidden folders named, every file left out named with why, each file checked once."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import CONTACT_RULE
from .conftest import EXAMPLES
from .fuzzing.guards import deadline

Run = Callable[..., Result]
COMPLIANT = EXAMPLES / "feature-film-compliant.yaml"
NONCOMPLIANT = EXAMPLES / "series-noncompliant.yaml"
BAD_VERDICT = "Harbor Lights (season 1) (series, Bluewater Streaming Originals) — NOT COMPLIANT"
GOOD_VERDICT = "The Lighthouse Keeper (film, Northlight Pictures) — COMPLIANT"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with decls/film.yaml, compliant, and an empty elsewhere/."""
    (tmp_path / "decls").mkdir()
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(COMPLIANT, tmp_path / "decls" / "film.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")  # 2026-11-23
    return tmp_path


def check(run_cli: Run, *args: str) -> Result:
    with deadline(120):
        result = run_cli("check", *args)
    assert "Traceback" not in result.output
    return result


def notes(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("note: skipped ")]


def checked_files(run_cli: Run, *args: str) -> tuple[list[str], list[dict[str, str]]]:
    """The files a JSON run evaluated, and what it says it skipped."""
    result = check(run_cli, *args, "--format", "json")
    as_json = json.loads(result.stdout)
    return [d["file"] for d in as_json["declarations"]], as_json["skipped"]


# --- Linked folders ------------------------------------------------------------------------


def test_a_declaration_in_a_linked_folder_is_checked(run_cli: Run, tree: Path) -> None:
    shutil.copy(NONCOMPLIANT, tree / "elsewhere" / "series.yaml")
    (tree / "decls" / "shared").symlink_to("../elsewhere")
    result = check(run_cli, "decls")
    assert result.exit_code == 1, result.output
    assert f"decls/shared/series.yaml: {BAD_VERDICT}\n" in result.stdout
    assert "2 declarations checked" in result.stdout
    assert notes(result) == []


def test_a_link_back_up_is_named_and_not_followed(run_cli: Run, tree: Path) -> None:
    (tree / "decls" / "up").symlink_to("..")
    (tree / "decls" / "here").symlink_to(".")
    shutil.copy(NONCOMPLIANT, tree / "elsewhere" / "series.yaml")  # beside decls, not below
    result = check(run_cli, "decls")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(GOOD_VERDICT) == 1
    assert "1 declaration checked" in result.stdout
    assert notes(result) == [
        "note: skipped decls/here: a link to a folder this scan already covers (decls)",
        "note: skipped decls/up: a link to a folder that holds this scan's own folder (a loop)",
    ]


def test_two_links_to_one_folder_check_it_once(run_cli: Run, tree: Path) -> None:
    shutil.copy(NONCOMPLIANT, tree / "elsewhere" / "series.yaml")
    (tree / "decls" / "a").symlink_to("../elsewhere")
    (tree / "decls" / "b").symlink_to("../elsewhere")
    files, skipped = checked_files(run_cli, "decls")
    assert files == ["decls/a/series.yaml", "decls/film.yaml"]
    assert skipped == [
        {"file": "decls/b", "reason": "a link to a folder this scan already covers (decls/a)"}
    ]


def test_a_folder_reached_by_its_own_path_is_shown_by_it(run_cli: Run, tree: Path) -> None:
    """Links are followed after the folders below the scan, so a linked folder that is also
    below it keeps its own path, whatever the names' order."""
    (tree / "decls" / "zz").mkdir()
    shutil.copy(NONCOMPLIANT, tree / "decls" / "zz" / "series.yaml")
    (tree / "decls" / "aa").symlink_to("zz")
    files, skipped = checked_files(run_cli, "decls")
    assert files == ["decls/film.yaml", "decls/zz/series.yaml"]
    assert skipped == [
        {"file": "decls/aa", "reason": "a link to a folder this scan already covers (decls/zz)"}
    ]


def test_links_in_a_circle_end(run_cli: Run, tree: Path) -> None:
    (tree / "elsewhere" / "back").symlink_to("../decls")
    (tree / "decls" / "out").symlink_to("../elsewhere")
    result = check(run_cli, "decls")
    assert result.exit_code == 0, result.output
    assert notes(result) == [
        "note: skipped decls/out/back: a link to a folder this scan already covers (decls)"
    ]


def test_a_link_that_leads_nowhere_is_named(run_cli: Run, tree: Path) -> None:
    (tree / "decls" / "archive").symlink_to("../gone")
    result = check(run_cli, "decls")
    assert result.exit_code == 0, result.output
    assert notes(result) == [
        "note: skipped decls/archive: a symbolic link to ../gone, which cannot be followed "
        "(missing, or a loop)"
    ]


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SERIES.YAML", "series.Yml", "series.yAmL"])
def test_yaml_names_in_any_letter_case_are_checked(run_cli: Run, tree: Path, name: str) -> None:
    shutil.copy(NONCOMPLIANT, tree / "decls" / name)
    result = check(run_cli, "decls")
    assert result.exit_code == 1, result.output
    assert f"decls/{name}: {BAD_VERDICT}\n" in result.stdout


def test_include_and_exclude_globs_ignore_letter_case(run_cli: Run, tree: Path) -> None:
    shutil.copy(NONCOMPLIANT, tree / "decls" / "SERIES.CCAI.YAML")
    files, _ = checked_files(run_cli, "decls", "--include", "*.ccai.yaml")
    assert files == ["decls/SERIES.CCAI.YAML"]
    files, skipped = checked_files(run_cli, "decls", "--exclude", "*.ccai.yaml")
    assert files == ["decls/film.yaml"]
    assert skipped == [{"file": "decls/SERIES.CCAI.YAML", "reason": "matches an exclude pattern"}]


def test_every_yaml_file_a_scan_leaves_out_is_named(run_cli: Run, tree: Path) -> None:
    (tree / "decls" / "old.draft.yaml").write_text("x: 1\n", encoding="utf-8")
    (tree / "decls" / "notes.txt").write_text("not YAML\n", encoding="utf-8")
    excluded = check(run_cli, "decls", "--exclude", "*.draft.yaml")
    assert excluded.exit_code == 0, excluded.output
    assert notes(excluded) == ["note: skipped decls/old.draft.yaml: matches an exclude pattern"]
    included = check(run_cli, "decls", "--include", "film.*")
    assert included.exit_code == 0, included.output
    assert notes(included) == [
        "note: skipped decls/old.draft.yaml: matches no include pattern (film.*)"
    ]


# --- Hidden folders ------------------------------------------------------------------------


def test_a_hidden_folder_is_named_and_checked_when_given(run_cli: Run, tree: Path) -> None:
    (tree / "decls" / ".drafts").mkdir()
    shutil.copy(NONCOMPLIANT, tree / "decls" / ".drafts" / "series.yaml")
    scan = check(run_cli, "decls")
    assert scan.exit_code == 0, scan.output
    assert notes(scan) == [
        "note: skipped decls/.drafts: a hidden folder: scans leave those out; give its path "
        "to check it"
    ]
    _, skipped = checked_files(run_cli, "decls")
    assert skipped == [
        {
            "file": "decls/.drafts",
            "reason": "a hidden folder: scans leave those out; give its path to check it",
        }
    ]
    given = check(run_cli, "decls/.drafts")
    assert given.exit_code == 1, given.output
    assert f"decls/.drafts/series.yaml: {BAD_VERDICT}\n" in given.stdout


def test_a_hidden_file_is_checked(run_cli: Run, tree: Path) -> None:
    shutil.copy(NONCOMPLIANT, tree / "decls" / ".series.yaml")
    result = check(run_cli, "decls")
    assert result.exit_code == 1, result.output
    assert f"decls/.series.yaml: {BAD_VERDICT}\n" in result.stdout


def test_a_skipped_name_reaches_the_terminal_escaped(run_cli: Run, tree: Path) -> None:
    (tree / "decls" / ".x\n::error::forged\x1b[2J").mkdir()
    result = check(run_cli, "decls")
    assert result.exit_code == 0, result.output
    assert notes(result) == [
        "note: skipped decls/.x\\n::error::forged\\e[2J: a hidden folder: scans leave those "
        "out; give its path to check it"
    ]
    assert "\x1b" not in result.stderr


# --- One file, once ------------------------------------------------------------------------


def test_a_file_named_twice_is_checked_once(run_cli: Run, tree: Path) -> None:
    result = check(run_cli, "decls/film.yaml", "decls/film.yaml", "decls")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(GOOD_VERDICT) == 1
    assert "1 declaration checked" in result.stdout
    assert notes(result) == [
        "note: skipped decls/film.yaml: reached more than once; checked once",
        "note: skipped decls/film.yaml: reached more than once; checked once",
    ]


@pytest.mark.parametrize("how", ["symbolic link", "hard link"])
def test_a_file_reached_through_a_link_and_directly_is_checked_once(
    run_cli: Run, tree: Path, how: str
) -> None:
    shutil.copy(NONCOMPLIANT, tree / "elsewhere" / "series.yaml")
    if how == "symbolic link":
        (tree / "decls" / "series.yaml").symlink_to("../elsewhere/series.yaml")
    else:
        os.link(tree / "elsewhere" / "series.yaml", tree / "decls" / "series.yaml")
    result = check(run_cli, "decls", "elsewhere")
    assert result.exit_code == 1, result.output
    assert result.stdout.count(BAD_VERDICT) == 1
    assert "2 declarations checked" in result.stdout
    assert notes(result) == [
        "note: skipped elsewhere/series.yaml: the same file as decls/series.yaml; checked once"
    ]


# --- Rule folders --------------------------------------------------------------------------

RULE = CONTACT_RULE


def rule_ids(run_cli: Run, *args: str) -> list[str]:
    with deadline(120):
        listed = run_cli("rules", "list", "--no-bundled-rules", *args)
    assert listed.exit_code == 0, listed.output
    return [line.split()[0] for line in listed.stdout.splitlines()]


def test_rules_in_a_linked_folder_and_in_any_letter_case_load(run_cli: Run, tree: Path) -> None:
    (tree / "rules").mkdir()
    (tree / "elsewhere" / "ACME-CONTACT-001.YAML").write_text(RULE, encoding="utf-8")
    (tree / "rules" / "acme").symlink_to("../elsewhere")
    (tree / "rules" / "again").symlink_to("../elsewhere")  # once, not a duplicate id
    (tree / "rules" / "up").symlink_to("..")
    assert rule_ids(run_cli, "--rules", "rules") == ["ACME-CONTACT-001"]


def test_a_rule_file_behind_a_broken_link_is_an_error(run_cli: Run, tree: Path) -> None:
    (tree / "rules").mkdir()
    (tree / "rules" / "ACME-CONTACT-001.yaml").symlink_to("gone.yaml")
    with deadline(120):
        result = run_cli("rules", "lint", "rules")
    assert result.exit_code == 2, result.output
    assert (
        "rules/ACME-CONTACT-001.yaml: error: cannot read file: No such file or directory"
        in result.output
    )


def test_a_rule_folder_given_directly_and_through_a_link_loads_once(
    run_cli: Run, tree: Path
) -> None:
    (tree / "rules").mkdir()
    (tree / "rules" / "ACME-CONTACT-001.yaml").write_text(RULE, encoding="utf-8")
    (tree / "again").symlink_to("rules")
    assert rule_ids(run_cli, "--rules", "rules", "--rules", "again") == ["ACME-CONTACT-001"]
    assert rule_ids(run_cli, "--rules", "rules", "--rules", "rules/.") == ["ACME-CONTACT-001"]
