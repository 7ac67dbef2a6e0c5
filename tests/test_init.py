"""`ccai-policy init`: starters per production type that validate, evaluate and never overwrite."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from ccai_policy.authoring.starter import STARTER_TYPES, starter_text
from ccai_policy.model.production import ProductionType
from ccai_policy.model.schemas import generate

from .conftest import AS_OF

RunCli = Callable[..., Result]


def uncomment_examples(text: str) -> str:
    """Fill a starter the way its comments say: each `section: []` takes the example below it."""
    out: list[str] = []
    in_example = False
    lines = text.splitlines()
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if re.fullmatch(r"[a-z_]+: \[\]", line) and following.startswith("#  "):
            out.append(line[: -len(" []")])
            in_example = True
            continue
        if in_example and line.startswith("#  "):
            out.append(line[1:])
            continue
        in_example = False
        out.append(line)
    return "\n".join(out) + "\n"


def test_every_production_type_has_a_packaged_starter() -> None:
    packaged = resources.files("ccai_policy").joinpath("starters")
    names = sorted(p.name for p in packaged.iterdir() if p.name.endswith(".yaml"))
    assert names == sorted(f"{t}.yaml" for t in typing.get_args(ProductionType))
    assert sorted(STARTER_TYPES) == sorted(typing.get_args(ProductionType))


def fill_in(text: str) -> str:
    """Answer every flagged placeholder the way the starter suggests: drop the TODO marks."""
    text = re.sub(r"\s*# TODO.*$", "", text, flags=re.MULTILINE)
    return text.replace("TODO ", "")


@pytest.mark.parametrize("production_type", STARTER_TYPES, ids=STARTER_TYPES)
def test_a_fresh_starter_is_refused_at_every_todo_left(
    run_cli: RunCli, tmp_path: Path, production_type: str
) -> None:
    target = tmp_path / f"{production_type}.yaml"
    written = run_cli("init", "--type", production_type, str(target))
    assert written.exit_code == 0, written.output
    assert f"a starter declaration for a {production_type}" in written.output
    assert f"ccai-policy check {target}" in written.output
    text = target.read_text(encoding="utf-8")
    assert text == starter_text(production_type)
    modeline, title = text.splitlines()[:2]
    assert modeline == "# yaml-language-server: $schema=declaration.schema.json"
    assert title.startswith("# AI-use declaration for a ") and "TODO" in text
    schema = tmp_path / "declaration.schema.json"
    assert schema.read_text(encoding="utf-8") == generate("declaration")
    assert f"wrote {schema}: editors with a YAML language server" in written.output
    assert "ccai-policy schema declaration --format markdown (docs/fields.md)" in written.output
    data = yaml.safe_load(text)
    assert data["production"]["type"] == production_type

    checked = run_cli("check", str(target), "--as-of", AS_OF)
    assert checked.exit_code == 2, checked.output
    todos = [
        (number, line.index("TODO") + 1)
        for number, line in enumerate(text.splitlines(), start=1)
        if "TODO" in line
    ]
    assert len(todos) >= 10
    for line, column in todos:
        assert (
            f"{target}:{line}:{column}: error: a TODO is left here: the declaration is not "
            "finished" in checked.output
        )
    assert "hint: replace the placeholder with the production's real facts" in checked.output


@pytest.mark.parametrize("production_type", STARTER_TYPES, ids=STARTER_TYPES)
def test_uncommented_examples_with_todos_left_never_pass(
    run_cli: RunCli, tmp_path: Path, production_type: str
) -> None:
    target = tmp_path / "half-done.yaml"
    target.write_text(uncomment_examples(starter_text(production_type)), encoding="utf-8")
    checked = run_cli("check", str(target), "--as-of", AS_OF)
    assert checked.exit_code == 2, checked.output
    assert "error: a TODO is left here" in checked.output
    assert "COMPLIANT" not in checked.output


@pytest.mark.parametrize("production_type", STARTER_TYPES, ids=STARTER_TYPES)
def test_a_filled_starter_without_consent_fails_on_purpose(
    run_cli: RunCli, tmp_path: Path, production_type: str
) -> None:
    target = tmp_path / "filled.yaml"
    text = fill_in(starter_text(production_type))
    assert "TODO" not in text
    target.write_text(text, encoding="utf-8")
    checked = run_cli("check", str(target), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    assert "error:" not in checked.output
    data = yaml.safe_load(text)
    assert f"({production_type}, {data['production']['studio']}) — NOT COMPLIANT" in checked.output
    use = data["uses"][0]
    subject = next(p["name"] for p in data["people"] if p["id"] == use["subjects"][0])
    failure = next(
        line for line in checked.output.splitlines() if "FAIL CONSENT-REPLICA-001" in line
    )
    assert f"{use['id']} replicates {subject}, but no consent that counts covers it" in failure


@pytest.mark.parametrize("production_type", STARTER_TYPES, ids=STARTER_TYPES)
def test_the_commented_examples_validate_and_pass_the_threshold(
    run_cli: RunCli, tmp_path: Path, production_type: str
) -> None:
    filled = fill_in(uncomment_examples(starter_text(production_type)))
    assert "consents:\n  - id:" in filled
    target = tmp_path / "filled.yaml"
    target.write_text(filled, encoding="utf-8")
    checked = run_cli("check", str(target), "--as-of", AS_OF)
    # Filled in as its comments show, a starter passes the baseline's threshold: the path from
    # init to a green CI run. What is left below it (the vendor's training attestation, ...)
    # are the production's own facts to find out.
    assert checked.exit_code == 0, checked.output
    assert "error:" not in checked.output
    assert "CONSENT-REPLICA-001" not in checked.output
    assert "1 compliant, 0 not compliant" in checked.output


def test_an_existing_schema_file_is_kept_and_the_refresh_command_shown(
    run_cli: RunCli, tmp_path: Path
) -> None:
    schema = tmp_path / "declaration.schema.json"
    schema.write_text("{}\n", encoding="utf-8")
    written = run_cli("init", str(tmp_path / "a.yaml"))
    assert written.exit_code == 0, written.output
    assert schema.read_text(encoding="utf-8") == "{}\n"
    assert f"kept {schema} as it is; refresh it with: ccai-policy schema declaration > " in (
        written.output
    )


def test_refuses_to_overwrite_an_existing_file(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "decl.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    refused = run_cli("init", "--type", "series", str(target))
    assert refused.exit_code == 2
    assert "error: already exists; init never overwrites a file" in refused.output
    assert "hint: give another path" in refused.output
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_default_path_is_declarations_ai_use_yaml(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    written = run_cli("init")
    assert written.exit_code == 0, written.output
    assert "wrote declarations/ai-use.yaml: a starter declaration for a film" in written.output
    assert (
        yaml.safe_load((tmp_path / "declarations" / "ai-use.yaml").read_text())["production"][
            "type"
        ]
        == "film"
    )
    again = run_cli("init", "--type", "game")
    assert again.exit_code == 2
    assert "declarations/ai-use.yaml: error: already exists" in again.output


def test_a_directory_gets_the_default_file_name(run_cli: RunCli, tmp_path: Path) -> None:
    written = run_cli("init", "--type", "commercial", str(tmp_path))
    assert written.exit_code == 0, written.output
    assert (tmp_path / "ai-use.yaml").read_text(encoding="utf-8") == starter_text("commercial")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "tv"], "'tv' is not one of 'film', 'series', 'game', 'commercial'"),
        (["notes.txt"], "a declaration file must end in .yaml or .yml"),
    ],
    ids=["unknown type", "not yaml"],
)
def test_bad_arguments_exit_2(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    refused = run_cli("init", *args)
    assert refused.exit_code == 2
    assert message in refused.output
    assert not list(tmp_path.iterdir())
