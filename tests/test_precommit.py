"""The pre-commit hooks, run by the real pre-commit against a snapshot of this repository.

Needs `git` and the package index: pre-commit builds the hooks' environment with pip, from a
git snapshot of this working tree, in a PRE_COMMIT_HOME inside the test's temporary directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .conftest import AS_OF, EXAMPLES, ROOT
from .ecosystem import DATA

#: What pip needs to build and install the package, and the hooks manifest.
SNAPSHOT = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "src",
    "rules",
    "policies",
    "reports",
    "schemas",
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def pre_commit_executable() -> str:
    """pre-commit beside this interpreter, installed from the package index when missing."""
    found = Path(sys.executable).parent / "pre-commit"
    if not found.exists():
        install = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "pre-commit>=3.5"],
            capture_output=True,
            text=True,
        )
        if install.returncode != 0:
            pytest.skip(
                f"pre-commit could not be installed from the package index: "
                f"{install.stderr.strip()[-300:]}"
            )
    return str(found)


@dataclass(frozen=True)
class Hooks:
    """This repository as pre-commit sees it, and how to run pre-commit."""

    executable: str
    repo: str
    rev: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    """A git snapshot of this working tree, and the environment pre-commit runs in."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    executable = pre_commit_executable()
    base = tmp_path_factory.mktemp("pre-commit")
    snapshot = base / "ccai-policy"
    snapshot.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache")
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name, ignore=ignore)
        else:
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", ".")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    env = {**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(base / "cache")}
    env.pop("VIRTUAL_ENV", None)
    return Hooks(executable, str(snapshot), git(snapshot, "rev-parse", "HEAD"), env)


def consumer(path: Path, hooks: Hooks, hook: dict[str, object]) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    config = {"repos": [{"repo": hooks.repo, "rev": hooks.rev, "hooks": [hook]}]}
    (path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(path, "add", ".pre-commit-config.yaml")
    return path


def run(hooks: Hooks, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [hooks.executable, *args],
        cwd=cwd,
        env=hooks.env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_check_hook_passes_a_compliant_declaration_and_blocks_a_failing_one(
    hooks: Hooks, tmp_path: Path
) -> None:
    repo = consumer(
        tmp_path / "production", hooks, {"id": "ccai-policy-check", "args": ["--as-of", AS_OF]}
    )
    (repo / "declarations").mkdir()
    shutil.copy(EXAMPLES / "feature-film-compliant.yaml", repo / "declarations" / "film.yaml")
    (repo / "ci.yml").write_text("not: a declaration\n", encoding="utf-8")
    # A waivers file kept beside the declarations is handed to the hook too: it is skipped.
    (repo / "declarations" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    git(repo, "add", ".")

    passed = run(hooks, repo, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "ccai-policy check" in passed.stdout and "Passed" in passed.stdout
    git(repo, "commit", "-q", "-m", "compliant film")

    installed = run(hooks, repo, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    shutil.copy(EXAMPLES / "series-noncompliant.yaml", repo / "declarations" / "series.yaml")
    git(repo, "add", "declarations/series.yaml")
    blocked = subprocess.run(
        ["git", "commit", "-m", "non-compliant series"],
        cwd=repo,
        env=hooks.env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "ccai-policy check" in output and "Failed" in output
    assert "declarations/series.yaml" in output and "FAIL CONSENT-REPLICA-001 [critical]" in output
    assert "NOT COMPLIANT" in output
    assert git(repo, "log", "--format=%s") == "compliant film"


def test_rules_test_hook_runs_the_rule_cases_of_a_policy_repository(
    hooks: Hooks, tmp_path: Path
) -> None:
    repo = consumer(tmp_path / "policy-repo", hooks, {"id": "ccai-policy-rules-test"})
    shutil.copytree(DATA / "rules", repo / "rules")
    shutil.copytree(DATA / "diff", repo / "diff")
    git(repo, "add", ".")
    passed = run(hooks, repo, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "ccai-policy rules test" in passed.stdout and "Passed" in passed.stdout

    rule = repo / "rules" / "ECO-PAY-001.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace(
            "use.id in compensation_by_use", "size(use.subjects) >= 0"
        ),
        encoding="utf-8",
    )
    git(repo, "add", ".")
    failed = run(hooks, repo, "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "FAILED ECO-PAY-001::the crowd is unpaid" in failed.stdout
    assert "5 passed, 1 failed (3 rules)" in failed.stdout
