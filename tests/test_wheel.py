"""The built wheel, installed in a fresh venv, checks declarations from any directory.

Slow (about half a minute to a minute: a build and a pip install of requirements.lock), and part
of `make test` on purpose; deselect it locally with `-m "not slow"`. The build runs without
isolation, on the locked hatchling of the test environment, so nothing unpinned is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

import ccai_policy

from .conftest import AS_OF, EXAMPLES, ROOT

REVOKED = ROOT / "tests" / "fixtures" / "declarations" / "replica-consent-revoked.yaml"


def policy_version() -> str:
    text = (ROOT / "policies" / "ccai-baseline.yaml").read_text(encoding="utf-8")
    return str(yaml.safe_load(text)["version"])


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_installed_wheel_checks_declarations_from_another_directory(tmp_path: Path) -> None:
    version = ccai_policy.__version__  # pyproject.toml reads it from there (dynamic)
    dist = tmp_path / "dist"
    built = run(
        sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT, cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    [wheel] = dist.glob("ccai_policy-*.whl")
    [sdist] = dist.glob("ccai_policy-*.tar.gz")
    checked = run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2, checked.stdout

    names = zipfile.ZipFile(wheel).namelist()
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    [shipped_licence] = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert zipfile.ZipFile(wheel).read(shipped_licence).decode("utf-8") == licence
    with tarfile.open(sdist) as archive:
        [member] = [m for m in archive.getmembers() if m.name.endswith("/LICENSE")]
        extracted = archive.extractfile(member)
        assert extracted is not None and extracted.read().decode("utf-8") == licence
    metadata = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        .decode("utf-8")
    )
    assert "License-Expression: Apache-2.0" in metadata
    assert "pypi.org/project/ccai-policy" not in metadata  # no link to a page that does not exist
    for shipped, source in [("rules", "rules"), ("policies", "policies"), ("schemas", "schemas")]:
        expected = {p.relative_to(ROOT / source).as_posix() for p in (ROOT / source).rglob("*.*")}
        inside = {
            n.split(f"ccai_policy/_data/{shipped}/", 1)[1]
            for n in names
            if f"_data/{shipped}/" in n
        }
        assert expected <= inside, f"{source}/ is not all in the wheel"
    assert any(n.startswith("ccai_policy/_data/templates/") for n in names)

    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    pip = (venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps")
    locked = run(*pip, "--require-hashes", "-r", ROOT / "requirements.lock", cwd=tmp_path)
    assert locked.returncode == 0, locked.stderr
    installed = run(*pip, wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    command = venv / "bin" / "ccai-policy"

    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "feature-film-compliant.yaml", work)
    shutil.copy(REVOKED, work)

    assert run(command, "--version", cwd=work).stdout == f"ccai-policy, version {version}\n"

    compliant = run(command, "check", "feature-film-compliant.yaml", "--as-of", AS_OF, cwd=work)
    assert compliant.returncode == 0, compliant.stdout + compliant.stderr
    assert compliant.stdout.startswith(
        "feature-film-compliant.yaml: The Lighthouse Keeper (film, Northlight Pictures) — "
        "COMPLIANT\n"
    )
    assert compliant.stdout.endswith(
        "1 declaration checked against ccai-baseline "
        f"{policy_version()} (fail on high and above): "
        "1 compliant, 0 not compliant\n"
    )

    failing = run(command, "check", ".", "--as-of", AS_OF, cwd=work)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "replica-consent-revoked.yaml:57:5: FAIL CONSENT-REPLICA-001 [critical] " in (
        failing.stdout
    )
    assert failing.stderr == ""
