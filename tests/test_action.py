"""The composite GitHub Action: its structure, and its script steps run here as a runner would.

Running the steps installs this working tree with pip into a virtual environment in a fake
$RUNNER_TEMP, so it needs the package index; the `uses:` step (actions/setup-python) is the
runner's job and is skipped here, where Python is already present.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ccai_policy.report import FORMATS

from .conftest import AS_OF, EXAMPLES, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
NEEDED_FORMATS = ("markdown", "github", "sarif")


def test_action_declares_its_inputs_outputs_and_a_composite_run() -> None:
    assert ACTION["name"] == "ccai-policy check"
    assert set(ACTION["inputs"]) == {
        "paths",
        "policy",
        "waivers",
        "fail-on",
        "sarif",
        "as-of",
        "baseline",
        "rules",
        "evidence-roots",
        "args",
        "python-version",
    }
    assert all(spec.get("description") for spec in ACTION["inputs"].values())
    assert ACTION["inputs"]["policy"]["default"] == "ccai-baseline"
    assert ACTION["inputs"]["sarif"]["default"] == "ccai-policy.sarif"
    assert set(ACTION["outputs"]) == {"exit-code", "sarif"}
    assert ACTION["runs"]["using"] == "composite"
    # Every action it uses is pinned to a commit, not to a tag that can be moved.
    assert re.fullmatch(r"actions/setup-python@[0-9a-f]{40}", STEPS[0]["uses"])
    scripts = [step for step in STEPS if "run" in step]
    assert [s["name"] for s in scripts] == ["Install ccai-policy", "Check declarations"]
    assert all(s["shell"] == "bash" for s in scripts)
    # No input is pasted into a script, where it could inject commands: only env passes them.
    assert not any("${{" in s["run"] for s in scripts)
    assert ACTION["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"


@dataclass(frozen=True)
class Runner:
    """A fake runner: its temp directory (with the installed venv) and the action's steps."""

    temp: Path

    def run_steps(
        self,
        workspace: Path,
        inputs: dict[str, str],
        steps: tuple[str, ...] = ("Check declarations",),
    ) -> tuple[subprocess.CompletedProcess[str], dict[str, str], Path]:
        """Run the named script steps in order, like the runner; stop at the first that fails."""
        values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        values.update(inputs)
        summary = workspace / "step-summary.md"
        summary.write_text("## An earlier step's summary\n", encoding="utf-8")
        output = workspace / "github-output.txt"
        output.write_text("", encoding="utf-8")
        done = subprocess.CompletedProcess[str]([], 0, "", "")
        for step in STEPS:
            if "run" not in step or step["name"] not in steps:
                continue
            env = {
                **os.environ,
                "RUNNER_TEMP": str(self.temp),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_WORKSPACE": str(workspace),
            }
            env.pop("VIRTUAL_ENV", None)
            for name, value in step.get("env", {}).items():
                env[name] = EXPRESSION.sub(lambda m: expression(m.group(1), values), str(value))
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            if done.returncode != 0:
                break
        outputs = dict(
            line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines()
        )
        return done, outputs, summary


def expression(source: str, inputs: dict[str, str]) -> str:
    """The two kinds of expression the script steps' env uses; any other fails the test."""
    if source.startswith("inputs."):
        return inputs[source.removeprefix("inputs.")]
    if source == "github.action_path":
        return str(ROOT)
    raise AssertionError(f"the test runner does not know the expression {source!r}")


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    missing = [name for name in NEEDED_FORMATS if name not in FORMATS]
    if missing:
        pytest.skip(f"the action needs the formats {', '.join(missing)}, not registered yet")
    fake = Runner(tmp_path_factory.mktemp("runner-temp"))
    workspace = tmp_path_factory.mktemp("install")
    installed, _, _ = fake.run_steps(workspace, {}, steps=("Install ccai-policy",))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert installed.stdout.startswith("ccai-policy, version ")
    assert (fake.temp / "ccai-policy-venv" / "bin" / "ccai-policy").exists(), installed.stderr
    return fake


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "declarations").mkdir()
    shutil.copy(EXAMPLES / "feature-film-compliant.yaml", tmp_path / "declarations" / "film.yaml")
    shutil.copy(EXAMPLES / "series-noncompliant.yaml", tmp_path / "declarations" / "series.yaml")
    return tmp_path


def test_failing_declarations_annotate_summarise_and_fail(runner: Runner, workspace: Path) -> None:
    done, outputs, summary = runner.run_steps(
        workspace, {"as-of": AS_OF, "sarif": "out/ccai.sarif"}
    )
    assert done.returncode == 1, done.stderr
    assert re.search(
        r"^::error file=declarations/series\.yaml,line=\d+,col=\d+,title=CONSENT-REPLICA-001::",
        done.stdout,
        re.MULTILINE,
    )
    assert "file=declarations/film.yaml" not in done.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## An earlier step's summary\n## ccai-policy:")
    assert "| The Lighthouse Keeper (`declarations/film.yaml`) | ✅ Compliant |" in text
    assert "(`declarations/series.yaml`) | ❌ Not compliant |" in text
    assert outputs == {"exit-code": "1", "sarif": "out/ccai.sarif"}
    sarif = json.loads((workspace / "out" / "ccai.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "CONSENT-REPLICA-001" in rule_ids


def test_compliant_declaration_passes_with_waivers_and_threshold_inputs(
    runner: Runner, workspace: Path
) -> None:
    (workspace / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    done, outputs, summary = runner.run_steps(
        workspace,
        {
            "paths": "declarations/film.yaml\n",
            "waivers": "waivers.yaml",
            "fail-on": "medium",
            "as-of": AS_OF,
            "sarif": "",
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout
    assert "failing at severity **medium** and above" in summary.read_text(encoding="utf-8")
    assert outputs == {"exit-code": "0", "sarif": ""}
    assert not list(workspace.glob("*.sarif"))


def test_bad_input_exits_2_and_says_why_in_the_summary_and_an_annotation(
    runner: Runner, workspace: Path
) -> None:
    done, outputs, summary = runner.run_steps(
        workspace, {"policy": "no-such-policy", "as-of": AS_OF}
    )
    assert done.returncode == 2
    assert "error: unknown policy 'no-such-policy'" in done.stderr
    assert outputs["exit-code"] == "2"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(
        "## An earlier step's summary\n## ccai-policy could not evaluate (exit 2)"
    )
    assert "error: unknown policy &#x27;no-such-policy&#x27;" in text
    annotation = [line for line in done.stderr.splitlines() if line.startswith("::error ")]
    assert len(annotation) == 1
    assert annotation[0].startswith("::error title=ccai-policy could not evaluate::error: unknown")


def test_messages_on_stderr_cannot_issue_workflow_commands(runner: Runner, workspace: Path) -> None:
    forged = "x\n::add-mask::secret\n::error::forged"
    done, _, summary = runner.run_steps(workspace, {"policy": forged, "as-of": AS_OF})
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    end = lines.index(f"::{token}::")
    # Every line that could act as a command lies between stop-commands and its token, where the
    # runner prints it as text; the one annotation after it is the action's own, escaped.
    for i, line in enumerate(lines):
        if line.startswith("::") and i not in (start, end):
            assert start < i < end or line.startswith("::error title=ccai-policy could not")
    assert lines[-1].startswith("::error title=ccai-policy could not evaluate::error: unknown")
    assert lines[-1].endswith("or give a policy file") and "forged" in lines[-1]
    assert "@" not in summary.read_text(encoding="utf-8").split("could not evaluate")[1]


@pytest.mark.parametrize(
    ("inputs", "said"),
    [
        ({"baseline": "recorded.json"}, "recorded.json: error: cannot read baseline"),
        ({"rules": "studio-rules"}, "studio-rules"),
        ({"args": "--jobs 0\n--no-such-option"}, "No such option '--no-such-option'"),
    ],
    ids=["baseline", "rules", "args"],
)
def test_baseline_rules_and_args_inputs_reach_the_command(
    runner: Runner, workspace: Path, inputs: dict[str, str], said: str
) -> None:
    done, outputs, _ = runner.run_steps(workspace, {"as-of": AS_OF, "sarif": "", **inputs})
    assert outputs["exit-code"] == "2", done.stderr
    assert said in done.stderr


def test_args_input_sets_the_threshold_beside_an_evidence_root(
    runner: Runner, workspace: Path
) -> None:
    (workspace / "evidence").mkdir()
    done, outputs, summary = runner.run_steps(
        workspace,
        {
            "as-of": AS_OF,
            "sarif": "",
            "evidence-roots": "evidence",
            "args": "--fail-on\ncritical --jobs 1",
        },
    )
    assert outputs["exit-code"] == "1", done.stderr
    assert "failing at severity **critical** and above" in summary.read_text(encoding="utf-8")


def test_the_readme_workflow_uses_the_action_and_uploads_its_sarif() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## GitHub Action") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    workflow = yaml.safe_load(block.group(1))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["ccai-policy"]["steps"]
    check = next(s for s in steps if s.get("uses", "").endswith("/ccai-policy@REF"))
    assert set(check["with"]) <= set(ACTION["inputs"])
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-"))
    assert re.fullmatch(r"github/codeql-action/upload-sarif@[0-9a-f]{40}", upload["uses"])
    # Every action the workflow uses is pinned to a commit.
    assert all(
        re.search(r"@[0-9a-f]{40}$", s["uses"]) for s in steps if "uses" in s and s is not check
    )
    assert upload["with"]["sarif_file"] == check["with"]["sarif"]
    assert upload["if"] == "${{ !cancelled() }}"


def test_data_cannot_issue_workflow_commands_through_the_action(
    runner: Runner, workspace: Path
) -> None:
    """A waiver key with line breaks reaches stderr inside the Action as one escaped line; a
    title with one reaches the annotations escaped: only ccai-policy's own annotations start a
    line with `::`, and the step summary notifies no one."""
    forged = "x\n::add-mask::secret\n::error file=forged.yaml::forged\n\x1b]52;c;ZXZpbA==\x07"
    (workspace / "waivers.yaml").write_text(
        yaml.safe_dump({"waivers": [{forged: 1}]}, allow_unicode=True), encoding="utf-8"
    )
    done, _, _ = runner.run_steps(workspace, {"waivers": "waivers.yaml", "as-of": AS_OF})
    assert done.returncode == 2
    assert "x\\n::add-mask::secret\\n::error file=forged.yaml::forged\\n\\e]52;c;" in done.stderr
    for line in (done.stdout + done.stderr).splitlines():
        assert not line.lstrip().startswith("::") or re.match(
            r"::(error|warning|notice) [^:]*title="
            r"|::stop-commands::[0-9a-f]{32}$|::[0-9a-f]{32}::$",
            line,
        ), line
    assert "\x1b" not in done.stderr
    series = workspace / "declarations" / "series.yaml"
    text = series.read_text(encoding="utf-8").replace(
        "title: Harbor Lights (season 1)", 'title: "Harbor\\n::add-mask::secret\\n@octocat"'
    )
    series.write_text(text, encoding="utf-8")
    done, _, summary = runner.run_steps(workspace, {"as-of": AS_OF})
    assert done.returncode == 1
    assert not [line for line in done.stdout.splitlines() if line.startswith("::add-mask")]
    assert "@octocat" not in summary.read_text(encoding="utf-8")
    assert "@\u2060octocat" in summary.read_text(encoding="utf-8")
