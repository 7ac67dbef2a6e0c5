"""Hostile inputs through `ccai-policy check`: a clean exit, a located message, bounded cost.

Each case runs beside a good declaration, which must still be evaluated. The committed corpus is
in tests/hostile/ (its README says what each file proves); big files are made in tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from ccai_policy.load.loader import load_text
from ccai_policy.load.validation import field_path, pointer_of
from ccai_policy.run.workers import Killed, Limits, run_all

from .authoring import POLICY, RULES
from .conftest import AS_OF, EXAMPLES, ROOT
from .fuzzing.guards import deadline, run_command
from .fuzzing.strategies import SCHEMA
from .fuzzing.wrong_types import every_model_wrong

Run = Callable[..., Result]
CORPUS = ROOT / "tests" / "hostile"
GOOD = EXAMPLES / "feature-film-compliant.yaml"
GOOD_VERDICT = "good.yaml: The Lighthouse Keeper (film, Northlight Pictures) — COMPLIANT\n"
MIB = 1024 * 1024


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory holding good.yaml, made the working directory so that paths stay short."""
    (tmp_path / "good.yaml").write_bytes(GOOD.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def check(run_cli: Run, *args: str, seconds: int = 60) -> Result:
    """`check good.yaml ARGS`: within the deadline, no traceback, the good file evaluated."""
    with deadline(seconds):
        result = run_cli("check", "--as-of", AS_OF, "good.yaml", *args)
    assert "Traceback" not in result.output
    if result.stdout.startswith("{"):
        files = [d["file"] for d in json.loads(result.stdout)["declarations"]]
        assert "good.yaml" in files, result.output
    else:
        assert GOOD_VERDICT in result.stdout, result.output
    return result


def problem_lines(result: Result) -> list[str]:
    """The 'could not evaluate' lines of the text report, hints included."""
    _, _, rest = result.stdout.partition("Could not evaluate:\n")
    return rest.split("\n\n", 1)[0].splitlines()


# --- The committed corpus: each file and, in expected/, exactly what a user reads --------

EXPECTED = sorted(path.stem for path in (CORPUS / "expected").glob("*.txt"))


@pytest.mark.parametrize("name", EXPECTED)
def test_corpus_file_is_refused_with_every_problem_located(
    run_cli: Run, workdir: Path, name: str
) -> None:
    shutil.copy(CORPUS / f"{name}.yaml", workdir)
    result = check(run_cli, f"{name}.yaml")
    assert result.exit_code == 2
    expected = (CORPUS / "expected" / f"{name}.txt").read_text(encoding="utf-8")
    assert problem_lines(result) == expected.splitlines()


def test_dangling_references_each_get_a_located_problem_and_a_suggestion(
    run_cli: Run, workdir: Path
) -> None:
    shutil.copy(CORPUS / "dangling-references.yaml", workdir)
    result = check(run_cli, "dangling-references.yaml")
    assert result.exit_code == 2
    lines = problem_lines(result)
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 10, "one per reference: tool, subjects, features_from, ..."
    assert all(re.match(r"  dangling-references\.yaml:\d+:\d+: error: `", e) for e in errors)
    assert (
        "  dangling-references.yaml:13:5: error: `uses[0].tool` names 't-vioce', "
        "but there is no tool with that id"
    ) in lines
    assert lines[lines.index(errors[0]) + 1] == "    hint: did you mean 't-voice'?"


def test_look_alikes_that_both_yaml_versions_keep_as_text_are_evaluated(
    run_cli: Run, workdir: Path
) -> None:
    shutil.copy(CORPUS / "yaml11-text-stays-text.yaml", workdir)
    result = check(run_cli, "yaml11-text-stays-text.yaml")
    assert result.exit_code == 0
    assert "yaml11-text-stays-text.yaml: 1.2.3 (film, 2026-13-45) — COMPLIANT\n" in result.stdout


def renamed_per_section(data: dict[str, Any]) -> dict[str, Any]:
    """The same declaration with the shared id made distinct in each section."""
    out: dict[str, Any] = yaml.safe_load(yaml.safe_dump(data))
    rename = {section: f"{section}-1" for section in ("people", "tools", "uses", "consents")}
    rename |= {"compensation": "pay-1", "notices": "notice-1", "assets": "asset-1"}
    for section, new in rename.items():
        out[section][0]["id"] = new
    use = out["uses"][0]
    use["tool"], use["subjects"] = rename["tools"], [rename["people"]]
    out["consents"][0].update(person=rename["people"], uses=[rename["uses"]])
    out["compensation"][0].update(person=rename["people"], use=rename["uses"])
    out["notices"][0].update(person=rename["people"], uses=[rename["uses"]])
    out["assets"][0]["uses"] = [rename["uses"]]
    return out


def outcomes(result: Result) -> list[tuple[str, str]]:
    [declaration] = [
        d for d in json.loads(result.stdout)["declarations"] if d["file"] != "good.yaml"
    ]
    return sorted((f["rule_id"], f["status"]) for f in declaration["findings"])


def test_one_id_in_every_section_is_valid_and_changes_no_outcome(
    run_cli: Run, workdir: Path
) -> None:
    """Ids are unique per section: sharing one across sections is allowed, and every rule
    reaches the same outcome as with distinct ids, run after run, with or without workers."""
    shutil.copy(CORPUS / "ids-across-sections.yaml", workdir)
    data = yaml.safe_load((CORPUS / "ids-across-sections.yaml").read_text(encoding="utf-8"))
    (workdir / "distinct.yaml").write_text(yaml.safe_dump(renamed_per_section(data)), "utf-8")
    runs = [
        check(run_cli, "ids-across-sections.yaml", "--format", "json", "--jobs", jobs)
        for jobs in ("0", "1", "2", "1")
    ]
    assert len({r.stdout for r in runs}) == 1, "deterministic whatever the workers"
    assert runs[0].exit_code == 1
    distinct = check(run_cli, "distinct.yaml", "--format", "json")
    assert outcomes(runs[0]) == outcomes(distinct)
    assert ("CONSENT-REPLICA-001", "fail") not in outcomes(runs[0])


# --- Made at test time: size, nesting, encodings ---------------------------------------------


def good_with(old: str, new: str) -> str:
    text = GOOD.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the example no longer contains {old!r} once"
    return text.replace(old, new)


AMOUNT = "    amount: {value: 18000, currency: USD}\n"
TITLE = "  title: The Lighthouse Keeper\n"


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_a_100_mb_file_is_refused_by_its_size_without_being_read(workdir: Path) -> None:
    with (workdir / "huge.yaml").open("wb") as handle:
        handle.write(b"apiVersion: ccai-policy/v1\nkind: Declaration\n")
        handle.truncate(100 * MIB)  # sparse: 100 MB on paper, nothing to write
    alone = run_command(["check", "--as-of", AS_OF, "good.yaml"], workdir, timeout=60)
    both = run_command(["check", "--as-of", AS_OF, "good.yaml", "huge.yaml"], workdir, timeout=60)
    assert (alone.returncode, both.returncode) == (0, 2)
    assert GOOD_VERDICT in both.stdout
    assert (
        "  huge.yaml: error: file is 104,857,600 bytes, over the limit of 10,485,760\n"
        "    hint: split it, or raise the limit with --max-file-size\n"
    ) in both.stdout
    assert both.peak_bytes - alone.peak_bytes < 20 * MIB, "the file must not be read"


def test_a_10_mb_single_line_is_over_the_limit(run_cli: Run, workdir: Path) -> None:
    (workdir / "line.yaml").write_text("title: " + "x" * (10 * MIB) + "\n", encoding="utf-8")
    result = check(run_cli, "line.yaml")
    assert result.exit_code == 2
    assert problem_lines(result)[0] == (
        "  line.yaml: error: file is 10,485,768 bytes, over the limit of 10,485,760"
    )


def test_a_9_mb_single_line_value_under_the_limit_is_evaluated_in_bounded_memory(
    workdir: Path,
) -> None:
    text = good_with(AMOUNT, AMOUNT + "    notes: " + "n" * (9 * MIB) + "\n")
    (workdir / "notes.yaml").write_text(text, encoding="utf-8")
    run = run_command(["check", "--as-of", AS_OF, "good.yaml", "notes.yaml"], workdir, timeout=60)
    assert run.returncode == 0, run.output
    assert "notes.yaml: The Lighthouse Keeper (film, Northlight Pictures) — COMPLIANT" in run.stdout
    assert run.peak_bytes < 400 * MIB, f"peak {run.peak_bytes // MIB} MiB for a 9 MiB file"


def test_a_9_mb_value_where_20_000_characters_are_allowed_is_one_short_message(
    run_cli: Run, workdir: Path
) -> None:
    text = good_with(TITLE, "  title: " + "t" * (9 * MIB) + "\n")
    (workdir / "title.yaml").write_text(text, encoding="utf-8")
    result = check(run_cli, "title.yaml")
    assert result.exit_code == 2
    [line, hint] = problem_lines(result)
    assert line == (
        f"  title.yaml:{line_of(text, '  title:')}:3: error: `production.title` is "
        "9,437,184 characters, over the limit of 20,000"
    )
    assert hint == "    hint: shorten it"


LONG = "k" * (4 * MIB)
SHOWN = "k" * 79 + "…"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            TITLE,
            f"{TITLE}  ? {LONG}\n  : 1\n",
            f"`production.{SHOWN}` is not a field: there is no field `{SHOWN}` here",
        ),
        (
            "    subjects: [p-ana]\n    in_place",
            f"    subjects: [{LONG}]\n    in_place",
            f"`uses[0].subjects[0]` names '{SHOWN}', but there is no person with that id",
        ),
        (TITLE, f"{TITLE}  ? {LONG}\n  : 1\n  ? {LONG}\n  : 2\n", f"duplicate key '{SHOWN}'"),
    ],
    ids=["unknown key", "reference", "duplicate key"],
)
def test_a_4_mb_key_or_id_is_echoed_cut_to_80_characters(
    run_cli: Run, workdir: Path, old: str, new: str, message: str
) -> None:
    (workdir / "long.yaml").write_text(good_with(old, new), encoding="utf-8")
    result = check(run_cli, "long.yaml")
    assert result.exit_code == 2
    [error, *_] = problem_lines(result)
    assert re.fullmatch(r"  long\.yaml:\d+:\d+: error: (.*)", error)
    assert error.split(": error: ", 1)[1].startswith(message)
    assert len(error) < 300


def flow_lists(levels: int) -> str:
    return "production: " + "[" * levels + "]" * levels + "\n"


def flow_mappings(levels: int) -> str:
    return "production: " + "{a: " * levels + "x" + "}" * levels + "\n"


def compact_block_lists(levels: int) -> str:
    return "production:\n  " + "- " * levels + "x\n"


@pytest.mark.parametrize(
    ("make", "where"),
    # Where level 65 opens: 'production: ' takes 12 columns, then 1, 4 or 2 columns a level.
    [(flow_lists, "1:77"), (flow_mappings, "1:269"), (compact_block_lists, "2:131")],
    ids=["flow lists", "flow mappings", "compact block lists"],
)
def test_10_000_levels_of_nesting_stop_at_the_limit(
    run_cli: Run, workdir: Path, make: Callable[[int], str], where: str
) -> None:
    (workdir / "deep.yaml").write_text(make(10_000), encoding="utf-8")
    result = check(run_cli, "deep.yaml")
    assert result.exit_code == 2
    assert problem_lines(result) == [
        f"  deep.yaml:{where}: error: nesting is deeper than 64 levels",
        "    hint: flatten it",
    ]


def test_an_integer_of_10_000_digits_in_an_amount(run_cli: Run, workdir: Path) -> None:
    text = good_with("{value: 18000,", "{value: " + "9" * 10_000 + ",")
    (workdir / "digits.yaml").write_text(text, encoding="utf-8")
    result = check(run_cli, "digits.yaml")
    assert result.exit_code == 2
    assert problem_lines(result) == [
        f"  digits.yaml:{line_of(text, '{value: 9')}:21: error: number is 10,000 characters "
        "long, over the limit of 1,000",
        "    hint: quote it if it is text",
    ]


NAME = "    name: Ana Ruiz\n"


def test_20_000_unknown_keys_report_100_problems_and_count_the_rest(
    run_cli: Run, workdir: Path
) -> None:
    keys = "".join(f"  key{n}: 1\n" for n in range(20_000))
    text = good_with(TITLE, TITLE + keys)
    (workdir / "keys.yaml").write_text(text, encoding="utf-8")
    result = check(run_cli, "keys.yaml")
    assert result.exit_code == 2
    lines = problem_lines(result)
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 101
    first = line_of(text, "  key0: 1")
    assert errors[0] == (
        f"  keys.yaml:{first}:3: error: `production.key0` is not a field: there is no field "
        "`key0` here"
    )
    assert errors[99] == (
        f"  keys.yaml:{first + 99}:3: error: `production.key99` is not a field: there is no "
        "field `key99` here"
    )
    assert lines[-2:] == [
        "  keys.yaml: error: 19,900 more problems in this file are not shown",
        "    hint: fix the ones above, then check again",
    ]


def test_thousands_of_dangling_references_report_100(run_cli: Run, workdir: Path) -> None:
    uses = "".join(
        f"  - {{id: u-{n}, category: voice_replica, description: V., tool: t-voice, "
        f"subjects: [p-nobody-{n}]}}\n"
        for n in range(5_000)
    )
    text = good_with("uses:\n", "uses:\n" + uses)
    (workdir / "refs.yaml").write_text(text, encoding="utf-8")
    result = check(run_cli, "refs.yaml")
    assert result.exit_code == 2
    lines = problem_lines(result)
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 101
    assert errors[0].endswith(
        "error: `uses[0].subjects[0]` names 'p-nobody-0', but there is no person with that id"
    )
    assert lines[-2:] == [
        "  refs.yaml: error: more problems in this file are not shown",
        "    hint: fix the ones above, then check again",
    ]


def encoded(kind: str) -> tuple[bytes, str]:
    """The example in another encoding, or with one bad byte in Ana's name; and where it is."""
    text = GOOD.read_text(encoding="utf-8")
    name = f"{line_of(text, NAME)}"
    if kind == "latin-1":
        return text.encode().replace(b"Ana Ruiz\n", b"Ana Ru\xedz\n", 1), f"{name}:17"
    if kind == "nul":
        return text.encode().replace(b"Ana Ruiz\n", b"Ana\x00Ruiz\n", 1), f"{name}:14"
    return text.encode(kind), "1:2" if kind == "utf-16-le" else "1:1"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("latin-1", "error: invalid UTF-8 byte 0xed"),
        ("utf-16", "error: file is UTF-16, not UTF-8"),
        ("utf-16-le", "error: NUL byte in file"),
        ("utf-16-be", "error: NUL byte in file"),
        ("nul", "error: NUL byte in file"),
    ],
    ids=["latin-1 byte", "UTF-16 with BOM", "UTF-16 LE without BOM", "UTF-16 BE", "NUL byte"],
)
def test_bytes_that_are_not_utf_8(run_cli: Run, workdir: Path, kind: str, message: str) -> None:
    raw, where = encoded(kind)
    (workdir / "bytes.yaml").write_bytes(raw)
    result = check(run_cli, "bytes.yaml")
    assert result.exit_code == 2
    lines = problem_lines(result)
    assert lines[0] == f"  bytes.yaml:{where}: {message}"
    assert "UTF-8" in lines[1]


# --- Links, permissions, and very many files ------------------------------------------------


def test_a_dangling_symlink_says_where_it_points(run_cli: Run, workdir: Path) -> None:
    (workdir / "link.yaml").symlink_to("gone.yaml")
    result = check(run_cli, "link.yaml")
    assert result.exit_code == 2
    first, hint = problem_lines(result)
    assert re.fullmatch(
        r"  (link|gone)\.yaml: error: cannot read file: No such file or directory", first
    )
    assert hint == "    hint: it is a symbolic link to gone.yaml; fix or remove the link"


@pytest.mark.parametrize("given", ["the link", "its directory"])
def test_a_symlink_loop_is_a_problem_of_its_own(run_cli: Run, workdir: Path, given: str) -> None:
    (workdir / "d").mkdir()
    (workdir / "d" / "a.yaml").symlink_to("b.yaml")
    (workdir / "d" / "b.yaml").symlink_to("a.yaml")
    result = check(run_cli, "d/a.yaml" if given == "the link" else "d")
    assert result.exit_code == 2
    assert "  d/a.yaml: error: cannot read file: Too many levels of symbolic links" in (
        problem_lines(result)
    )


def test_a_directory_that_links_to_itself_is_walked_once(run_cli: Run, workdir: Path) -> None:
    (workdir / "d").mkdir()
    (workdir / "d" / "again").symlink_to("..")
    shutil.copy(GOOD, workdir / "d" / "film.yaml")
    result = check(run_cli, "d")
    assert result.exit_code == 0
    assert result.stdout.count(": The Lighthouse Keeper (film, Northlight Pictures)") == 2


def check_unreadable(directory: Path, *paths: str) -> str:
    """Check in a real process that cannot read what is mode 000, even when tests run as root."""
    try:
        run = run_command(
            ["check", "--as-of", AS_OF, "good.yaml", *paths], directory, as_plain_user=True
        )
    except subprocess.SubprocessError as exc:
        pytest.skip(f"cannot give up root's file capabilities here: {exc}")
    assert "Traceback" not in run.output
    assert GOOD_VERDICT in run.stdout, run.output
    assert run.returncode == 2
    return run.stdout


def test_an_unreadable_file_in_a_directory_is_a_problem_of_its_own(workdir: Path) -> None:
    shutil.copy(GOOD, workdir / "good.yaml")
    (workdir / "d").mkdir(mode=0o755)
    shutil.copy(GOOD, workdir / "d" / "secret.yaml")
    (workdir / "d" / "secret.yaml").chmod(0)
    stdout = check_unreadable(workdir, "d")
    assert "  d/secret.yaml: error: cannot read file: Permission denied\n" in stdout


def test_an_unreadable_file_given_by_name_hides_nothing(workdir: Path) -> None:
    shutil.copy(GOOD, workdir / "good.yaml")
    shutil.copy(GOOD, workdir / "secret.yaml")
    (workdir / "secret.yaml").chmod(0)
    stdout = check_unreadable(workdir, "secret.yaml")
    assert "  secret.yaml: error: cannot read file: Permission denied\n" in stdout


def test_an_unreadable_directory_is_reported_not_skipped(workdir: Path) -> None:
    shutil.copy(GOOD, workdir / "good.yaml")
    (workdir / "d" / "locked").mkdir(parents=True)
    shutil.copy(GOOD, workdir / "d" / "locked" / "film.yaml")
    (workdir / "d" / "locked").chmod(0)
    stdout = check_unreadable(workdir, "d")
    assert "  d/locked: error: cannot read directory: Permission denied\n" in stdout


def test_a_directory_of_10_000_declarations(run_cli: Run, workdir: Path) -> None:
    """All evaluated, in file order, with two workers; one bad file among them is reported."""
    slate = workdir / "slate"
    slate.mkdir()
    template = (
        "apiVersion: ccai-policy/v1\nkind: Declaration\n"
        "production: {{id: prod-{n}, title: Spot {n}, studio: S, type: commercial}}\n"
    )
    for n in range(10_000):
        (slate / f"spot-{n:05}.yaml").write_text(template.format(n=n), encoding="utf-8")
    (slate / "spot-04321.yaml").write_text("production: [\n", encoding="utf-8")
    with deadline(300):
        result = run_cli(
            "check",
            "slate",
            "--jobs",
            "2",
            "--no-bundled-rules",
            "--rules",
            str(RULES),
            "--policy",
            str(POLICY),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        )
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    files = [d["file"] for d in report["declarations"]]
    assert len(files) == 9_999 and files == sorted(files)
    assert "slate/spot-04321.yaml" not in files
    [problem] = report["problems"]
    assert (problem["location"]["file"], problem["location"]["line"]) == (
        "slate/spot-04321.yaml",
        1,
    )


# --- Every field of every model, given a value of the wrong type ---------------------------


def test_every_field_of_the_wrong_type_is_a_located_error_naming_it(
    run_cli: Run, workdir: Path
) -> None:
    cases = every_model_wrong()
    assert set(cases) == {*SCHEMA["$defs"], "Declaration"}, "every model is reached"
    texts = {}
    for model, (data, _) in cases.items():
        texts[model] = yaml.safe_dump(data, sort_keys=False)
        (workdir / f"{model}.yaml").write_text(texts[model], encoding="utf-8")
    result = check(run_cli, *(f"{model}.yaml" for model in cases), "--format", "json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    located = {(p["location"]["file"], p["location"]["line"], p["message"]) for p in problems}
    missing = []
    for model, (_, wrong) in cases.items():
        document = load_text(texts[model], f"{model}.yaml")
        for field in wrong:
            where = document.locate(pointer_of(field.loc))
            prefix = f"`{field_path(field.loc)}` "
            if not any(
                (file, line) == (where.file, where.line) and message.startswith(prefix)
                for file, line, message in located
            ):
                missing.append(f"{where}: {prefix}")
    assert not missing, missing
    assert sum(len(wrong) for _, wrong in cases.values()) > 100


# --- A failure inside a worker is reported, never printed as a traceback -------------------


def _raise_on_one(item: int) -> int:
    if item == 1:
        raise ValueError("a bug in a job")
    return item


def test_an_exception_in_a_worker_is_a_result_not_a_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    results = run_all(_raise_on_one, [0, 1, 2], jobs=2, limits=Limits(seconds=10))
    assert results == [0, Killed("internal error: ValueError: a bug in a job"), 2]
    assert "Traceback" not in capfd.readouterr().err


# --- Evidence paths from a hostile declaration -------------------------------------------

EVIDENCE = "      path: evidence/c-ana-deage.pdf\n"


def test_an_evidence_path_with_a_nul_character_is_a_located_error(
    run_cli: Run, workdir: Path
) -> None:
    text = good_with(EVIDENCE, '      path: "evidence/c-ana\\0deage.pdf"\n')
    (workdir / "nul-path.yaml").write_text(text, encoding="utf-8")
    result = check(run_cli, "nul-path.yaml")
    assert result.exit_code == 2
    assert problem_lines(result)[0] == (
        f"  nul-path.yaml:{line_of(text, '      path: ')}:7: error: `consents[0].evidence.path`: "
        "evidence path 'evidence/c-ana\\x00deage.pdf' contains a NUL character"
    )


def test_an_evidence_path_through_a_symlink_loop_is_a_located_error(
    run_cli: Run, workdir: Path
) -> None:
    (workdir / "sub" / "evidence").mkdir(parents=True)
    (workdir / "sub" / "evidence" / "c-ana-deage.pdf").symlink_to("loop.pdf")
    (workdir / "sub" / "evidence" / "loop.pdf").symlink_to("c-ana-deage.pdf")
    shutil.copy(GOOD, workdir / "sub" / "looped.yaml")
    result = check(run_cli, "sub/looped.yaml")
    assert result.exit_code == 2
    assert problem_lines(result)[0] == (
        f"  sub/looped.yaml:{line_of(GOOD.read_text(encoding='utf-8'), EVIDENCE)}:7: error: "
        "`consents[0].evidence.path`: evidence path 'evidence/c-ana-deage.pdf' cannot be "
        "resolved (a symbolic link loop?)"
    )


def test_an_unreadable_evidence_file_is_a_failing_finding(workdir: Path) -> None:
    (workdir / "evidence").mkdir()
    for name in ("c-ana-deage.pdf", "c-ana-voice.pdf"):
        (workdir / "evidence" / name).write_bytes(b"%PDF-1.7\n")
        (workdir / "evidence" / name).chmod(0)
    try:
        run = run_command(
            ["check", "--as-of", AS_OF, "good.yaml", "--verify-evidence"],
            workdir,
            as_plain_user=True,
        )
    except subprocess.SubprocessError as exc:
        pytest.skip(f"cannot give up root's file capabilities here: {exc}")
    assert run.returncode == 1, run.output
    assert "Traceback" not in run.output
    assert (
        f"good.yaml:{line_of(GOOD.read_text(encoding='utf-8'), EVIDENCE)}:7: FAIL "
        "TRANSP-EVIDENCE-FILE-001 [high] c-ana-deage: cannot read evidence file "
        "evidence/c-ana-deage.pdf: Permission denied"
    ) in run.stdout


def _abort_on_one(item: int) -> int:
    if item == 1:
        os.write(2, b"memory allocation of 160000 bytes failed\nstack backtrace:\n   0: frame\n")
        os.abort()
    return item


def test_what_a_crashing_library_prints_joins_the_reason_not_the_terminal(
    capfd: pytest.CaptureFixture[str],
) -> None:
    results = run_all(_abort_on_one, [0, 1, 2], jobs=1, limits=Limits(seconds=10))
    assert results == [
        0,
        Killed(
            "the worker process was killed by SIGABRT (memory limit or a crash in a library): "
            "memory allocation of 160000 bytes failed"
        ),
        2,
    ]
    assert capfd.readouterr().err == ""
