"""Every case of the official YAML test suite through `ccai-policy check`: a clean exit, always.

The suite lives beside the repository (../shared/testdata/yaml-test-suite, as in CI). None of its
documents is a declaration, so valid YAML ends in a validation problem (exit 2) and invalid YAML
in a located syntax error (exit 2); what matters is that nothing crashes or prints a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import AS_OF, SHARED
from .test_yamlerrors import leaks

SUITE = SHARED / "testdata" / "yaml-test-suite"
CASES = sorted(SUITE.rglob("in.yaml")) if SUITE.is_dir() else []
LOCATED = re.compile(r"^  in\.yaml:(\d+):(\d+): error: ", re.MULTILINE)


def case_id(path: Path) -> str:
    case = path.parent.relative_to(SUITE)
    name_file = next(
        (p / "name.txt" for p in (path.parent, path.parent.parent) if p != SUITE), None
    )
    name = name_file.read_text(encoding="utf-8").strip() if name_file and name_file.exists() else ""
    return f"{case} {name}".strip()


PARAMS = [pytest.param(path, id=case_id(path)) for path in CASES] or [
    pytest.param(None, marks=pytest.mark.skip(reason=f"YAML test suite not found at {SUITE}"))
]


@pytest.fixture(scope="module")
def no_rules(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Options for a policy of no rules: no suite document is a declaration, so no rule would
    run, and compiling the catalog 402 times would make this test ten times slower."""
    directory = tmp_path_factory.mktemp("no-rules")
    (directory / "rules").mkdir()
    policy = directory / "policy.yaml"
    policy.write_text('id: none\nversion: "1"\ntitle: no rules\nrules: {include: []}\n')
    return ["--no-bundled-rules", "--rules", str(directory / "rules"), "--policy", str(policy)]


def test_the_suite_is_complete() -> None:
    if not CASES:
        pytest.skip(f"YAML test suite not found at {SUITE}")
    invalid = [case for case in CASES if (case.parent / "error").exists()]
    assert (len(CASES), len(invalid)) == (402, 94)


@pytest.mark.parametrize("case", PARAMS)
def test_case_exits_cleanly(
    run_cli: Callable[..., Result],
    no_rules: list[str],
    monkeypatch: pytest.MonkeyPatch,
    case: Path,
) -> None:
    monkeypatch.chdir(case.parent)
    # --jobs 0: in this process, so that a crash in a parser fails loudly here
    result = run_cli("check", "in.yaml", "--as-of", AS_OF, "--jobs", "0", *no_rules)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output
    if (case.parent / "error").exists():
        assert result.exit_code == 2, result.output
        located = LOCATED.search(result.stdout)
        assert located, f"no in.yaml:line:col in:\n{result.output}"
        lines = case.read_bytes().count(b"\n") + 1
        assert 1 <= int(located.group(1)) <= lines
        assert leaks(result.output) == [], "the parser's own sentence reached the user"
