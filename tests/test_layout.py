"""The package's shape: folders that are the stages of the flow, imports that point down, no
import circle, and modules small enough to read, each saying its job in its first sentence."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "ccai_policy"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the project's contract, on the package found under `source`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=source,
        env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_the_tree_keeps_its_layers() -> None:
    completed = lint_imports(ROOT / "src")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Contracts: 1 kept, 0 broken." in completed.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("model/vocabulary.py", "from ccai_policy.cli import app"),
        ("evaluate/engine.py", "from ccai_policy.report import text"),
        ("load/loader.py", "import ccai_policy.policy.catalog"),
    ],
    ids=["model imports cli", "evaluate imports report", "load imports policy"],
)
def test_an_upward_import_breaks_the_lint(tmp_path: Path, module: str, upward: str) -> None:
    shutil.copytree(PACKAGE, tmp_path / "ccai_policy")
    target = tmp_path / "ccai_policy" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{upward}  # noqa\n")
    completed = lint_imports(tmp_path)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Contracts: 0 kept, 1 broken." in completed.stdout
    importer = "ccai_policy." + module.removesuffix(".py").replace("/", ".")
    assert f"- {importer} -> " in completed.stdout


def test_the_architecture_map_names_every_folder_of_the_package() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    mapped = {
        line.split("`")[1].rstrip("/") for line in text.splitlines() if line.startswith("| `")
    }
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert mapped == folders


def test_no_two_modules_import_each_other_in_a_circle() -> None:
    graph = grimp.build_graph("ccai_policy")
    circles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(imported, module):
                circles.add(" <-> ".join(sorted((module, imported))))
    assert sorted(circles) == []


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_each_module_says_its_job_and_stays_readable(path: Path) -> None:
    import ast

    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300, "split it by job: a module is at most 300 lines"
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring, "open the module with a one-sentence docstring saying its job"
