"""The guides in docs/: every command in them runs, in order, from an empty folder, as written.

A guide is read top to bottom: a ```sh block's lines are commands (a trailing `# exit N` says
the exit code the guide promises, 0 otherwise); a ```yaml file=PATH block is written to PATH; a
```text block right after a command is an excerpt of its output; `<!-- setup: ... -->` runs
a command the reader does not need to see (copying test data in).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import AS_OF, EXAMPLES, ROOT
from .ecosystem import DATA

GUIDES = ("production-staff.md", "union-reps.md", "policy-authors.md")
#: The README's walk-through is run like a guide too.
WALKTHROUGHS = (*GUIDES, "README.md#getting-started")
FENCE = re.compile(r"^```(\w*)(.*)$")
SETUP = re.compile(r"^<!-- setup: (.*) -->$")
EXIT = re.compile(r"#\s*exit (\d)\b")


@dataclass(frozen=True)
class Step:
    """One thing the guide does: run a command, write a file, or show a command's output."""

    kind: str  # "run", "file" or "output"
    text: str
    line: int
    target: str = ""
    exit_code: int = 0


def guide_text(name: str) -> str:
    """A guide of docs/, or one section of the README (`README.md#heading-slug`)."""
    if "#" not in name:
        return (ROOT / "docs" / name).read_text(encoding="utf-8")
    file, slug = name.split("#")
    text = (ROOT / file).read_text(encoding="utf-8")
    title = slug.replace("-", " ")
    start = next(m.end() for m in re.finditer(r"^## (.*)$", text, re.M) if m[1].lower() == title)
    following = re.search(r"^## ", text[start:], re.M)
    return text[start : start + following.start()] if following else text[start:]


def steps(text: str) -> list[Step]:
    """The guide's steps in reading order."""
    out: list[Step] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        setup = SETUP.match(line)
        if setup:
            out.append(Step("run", setup.group(1), index + 1))
        fence = FENCE.match(line)
        if not fence:
            index += 1
            continue
        language, info = fence.group(1), fence.group(2).strip()
        start = index + 1
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("```"))
        body = lines[start:end]
        if language == "sh":
            out.extend(commands(body, start + 1))
        elif language == "yaml" and info.startswith("file="):
            out.append(Step("file", "\n".join(body) + "\n", start, info.removeprefix("file=")))
        elif language == "text" and out and out[-1].kind == "run":
            out.append(Step("output", "\n".join(body), start))
        index = end + 1
    return out


def commands(body: list[str], first_line: int) -> list[Step]:
    """Commands of a sh block; a trailing backslash continues a command on the next line."""
    out: list[Step] = []
    pending, start = "", first_line
    for offset, line in enumerate(body):
        if not pending:
            start = first_line + offset
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        command = (pending + line).strip()
        pending = ""
        if not command or command.startswith("#"):
            continue
        expected = EXIT.search(command)
        out.append(Step("run", command, start, exit_code=int(expected.group(1)) if expected else 0))
    return out


def environment() -> dict[str, str]:
    """ccai-policy from this interpreter's environment first on PATH; a fixed 'today'."""
    epoch = dt.datetime.combine(dt.date.fromisoformat(AS_OF), dt.time(), dt.UTC).timestamp()
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SOURCE_DATE_EPOCH": str(int(epoch)),
        "ECOSYSTEM": str(DATA),
        "LC_ALL": "C.UTF-8",
    }


@pytest.mark.parametrize("name", WALKTHROUGHS, ids=WALKTHROUGHS)
def test_every_command_in_the_guide_runs_as_written(name: str, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    env = environment()
    ran = 0
    last = ""
    for step in steps(guide_text(name)):
        where = f"{name}:{step.line}"
        if step.kind == "file":
            target = tmp_path / step.target
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            continue
        if step.kind == "output":
            for expected in filter(None, step.text.splitlines()):
                assert expected in last, (
                    f"{where}: the guide shows output the command does not give"
                )
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", step.text],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        last = done.stdout + done.stderr
        assert done.returncode == step.exit_code, f"{where}: {step.text}\n{last}"
        assert "Traceback" not in last and "internal error" not in last, f"{where}\n{last}"
        ran += 1
    assert ran >= 3, f"{name} should show the commands its reader runs"


def test_guides_are_linked_from_the_readme_and_their_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in GUIDES:
        assert f"](docs/{name})" in readme, f"README does not link docs/{name}"
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (ROOT / "docs" / link).exists(), f"docs/{name} links to missing {link}"


def test_the_guide_reader_finds_commands_files_and_outputs() -> None:
    found = steps(guide_text("policy-authors.md"))
    assert [s.target for s in found if s.kind == "file"] == [
        "my-policy/rules/ACME-DESC-001.yaml",
        "my-policy/drafts/ACME-DESC-002.yaml",
        "my-policy/policies/acme.yaml",
        "my-policy/policies/lenient.yaml",
    ]
    last_check = [s for s in found if s.kind == "run" and s.text.startswith("ccai-policy check")]
    assert last_check[-1].exit_code == 1
    assert commands(["ccai-policy check a \\", "  b   # exit 1"], 10) == [
        Step("run", "ccai-policy check a   b   # exit 1", 10, exit_code=1)
    ]
