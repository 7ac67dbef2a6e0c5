"""Speed work must not change what users read: every format, byte for byte, as main wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .outputs import FIXTURES, outputs


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return outputs(tmp_path_factory.mktemp("outputs"))


def test_every_run_and_format_has_a_fixture(written: dict[str, str]) -> None:
    assert sorted(written) == sorted(p.name for p in FIXTURES.glob("*.out"))


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.out")))
def test_output_is_byte_identical_to_main(written: dict[str, str], name: str) -> None:
    expected = (FIXTURES / name).read_bytes().decode("utf-8")
    change = _first_change(expected, written[name])
    assert written[name] == expected, f"{name} differs from main's output: {change}"


def _first_change(expected: str, got: str) -> str:
    for number, (old, new) in enumerate(zip(expected.split("\n"), got.split("\n"), strict=False)):
        if old != new:
            return f"line {number + 1}: expected {old[:200]!r}, got {new[:200]!r}"
    return f"lengths differ: {len(expected)} vs {len(got)} characters"


def test_the_fixtures_hold_findings_of_every_kind() -> None:
    """The comparison means something only if the data fails some rules and passes others."""
    text = Path(FIXTURES / "slate.text.out").read_text(encoding="utf-8")
    assert text.startswith("exit 1\n")
    assert "FAIL " in text and "passed" in text
    examples = Path(FIXTURES / "examples.text.out").read_text(encoding="utf-8")
    assert "COMPLIANT" in examples and "NOT COMPLIANT" in examples


def test_json_written_beside_text_still_holds_every_declaration(tmp_path: Path) -> None:
    """A text run leaves out each declaration's data, unless another output reads it."""
    from click.testing import CliRunner

    from ccai_policy.cli import main

    from .outputs import AS_OF, ROOT, _cwd

    out = tmp_path / "result.json"
    argv = ["check", "--as-of", AS_OF, "--color", "never", "-o", f"json:{out}", "examples"]
    with _cwd(ROOT):
        result = CliRunner().invoke(main, argv, env={"SOURCE_DATE_EPOCH": None})
    expected = (FIXTURES / "examples.json.out").read_text(encoding="utf-8").split("\n", 1)
    text = (FIXTURES / "examples.text.out").read_text(encoding="utf-8").split("\n", 1)
    assert result.stdout == text[1]
    assert out.read_text(encoding="utf-8") == expected[1]
