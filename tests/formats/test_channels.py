"""No channel can be forged by data: a forged workflow command, a clipboard write (OSC 52), a
screen clear, a bidi override and an @mention in a title or a waiver key, through every channel
a person or a CI runner reads (text, stderr, annotations, the step summary, diff text)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from ccai_policy.cli import main

from ..conftest import AS_OF, EXAMPLES
from ..markdown_reader import mentions, tags, to_html

#: A workflow command on a line of its own, a clipboard write, a screen clear, a mention and a
#: right-to-left override.
FORGED = (
    "Harbor\n::error file=forged.yaml::forged\n::add-mask::secret\r\n##[error]old style\n"
    "\x1b]52;c;ZXZpbA==\x07 \x1b[2J @octocat \u202eevil\u202c"
)
RunCli = Callable[..., Result]


def declaration(directory: Path) -> Path:
    data = yaml.safe_load((EXAMPLES / "series-noncompliant.yaml").read_text(encoding="utf-8"))
    data["production"]["title"] = FORGED
    data["uses"][0]["description"] = FORGED
    path = directory / "decl.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_log_safe(text: str, commands: tuple[str, ...] = ()) -> None:
    """No line a data value could have begun: only our own annotations start with `::`, no
    ESC, BEL or bidi override reaches the reader, and the forged text is still visible."""
    for line in text.splitlines():
        if line.lstrip().startswith(("::", "##")):
            assert line.startswith(commands), f"a line starts a CI command: {line!r}"
            assert "forged" not in line.split("::", 2)[1], line
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    assert "\\e]52;c;ZXZpbA==\\x07" in text or "%5Ce]52" in text or "\\\\e\\]52" in text
    assert "::error file=forged.yaml::forged" not in text.split("\n")


def test_text_output(tmp_path: Path) -> None:
    result = run("check", str(declaration(tmp_path)), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert_log_safe(result.stdout)
    assert (
        "Harbor\\n::error file=forged.yaml::forged\\n::add-mask::secret\\r\\n##[error]old style"
        "\\n\\e]52;c;ZXZpbA==\\x07 \\e[2J @octocat \\u202eevil\\u202c (series," in result.stdout
    )


def test_stderr_about_a_waiver_key(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waiver = {
        "rule": "CONSENT-REPLICA-001",
        "subject": "u-ray-cameo",
        "justification": "The estate's consent is being countersigned.",
        "approver": "R. Mendes",
        "expires": "2027-01-31",
        "\x1b]52;c;ZXZpbA==\x07\n::error file=forged.yaml::forged\n\x1b[2J": "x",
    }
    waivers.write_text(yaml.safe_dump({"waivers": [waiver]}, allow_unicode=True), "utf-8")
    result = run("check", str(declaration(tmp_path)), "--waivers", str(waivers), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_log_safe(result.stderr)
    assert (
        "error: `waivers[0].\\e]52;c;ZXZpbA==\\x07\\n::error file=forged.yaml::forged\\n\\e[2J`"
        in result.stderr
    )


def test_github_annotations(tmp_path: Path) -> None:
    result = run("check", str(declaration(tmp_path)), "--as-of", AS_OF, "--format", "github")
    assert result.exit_code == 1
    # The annotations, then the verdicts as text the runner does not read as commands:
    # between ::stop-commands::TOKEN and ::TOKEN::.
    commands, _, rest = result.stdout.partition("::stop-commands::")
    token, _, plain = rest.partition("\n")
    assert plain.endswith(f"::{token}::\n")
    assert_log_safe(commands, commands=("::error ", "::warning ", "::notice "))
    assert_log_safe(plain.removesuffix(f"::{token}::\n"), commands=())
    annotations = [line for line in commands.splitlines() if line.startswith("::")]
    assert all(
        re.fullmatch(
            r"::(error|warning|notice) (file=[^,:]*,(line=\d+,(col=\d+,)?)?)?title=[^:]*::.*", a
        )
        for a in annotations
    ), "each annotation is one command whose properties hold no ':' or ','"


def test_markdown_step_summary(tmp_path: Path) -> None:
    result = run("check", str(declaration(tmp_path)), "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 1
    html = to_html(result.stdout)
    assert mentions(html) == [], "no one is notified"
    assert not tags(html) - {
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
        "strong",
        "em",
        "ul",
        "li",
        "br",
        "details",
        "summary",
    }
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.stdout)
    assert "::error file=forged.yaml::forged" not in result.stdout.splitlines()


def test_junit_text_and_attributes(tmp_path: Path) -> None:
    """A CI runner prints a JUnit file's failure messages and system-out as log lines."""
    import xml.etree.ElementTree as ET

    waivers = tmp_path / "waivers.yaml"
    waiver = {
        "rule": "COMP-PERSON-001",
        "subject": "u-ray-cameo",
        "justification": FORGED,
        "approver": FORGED,
        "expires": "2027-01-31",
    }
    waivers.write_text(yaml.safe_dump({"waivers": [waiver]}, allow_unicode=True), "utf-8")
    decl = declaration(tmp_path)
    result = run(
        "check", str(decl), "--as-of", AS_OF, "--format", "junit", "--waivers", str(waivers)
    )
    assert result.exit_code == 1, result.output
    root = ET.fromstring(result.stdout)
    texts = [e.text or "" for e in root.iter() if e.text and e.text.strip()]
    attributes = [v for e in root.iter() for v in e.attrib.values()]
    assert any("Waived until 2027-01-31 by Harbor\\n::error" in t for t in texts)
    for text in [*texts, *attributes]:
        assert_log_safe_part(text)


def assert_log_safe_part(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith(("::", "##")), f"a line starts a CI command: {line!r}"
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_diff_text(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text((EXAMPLES / "series-noncompliant.yaml").read_text("utf-8"), "utf-8")
    result = run("diff", str(old), str(declaration(tmp_path)), "--as-of", AS_OF)
    assert result.exit_code in (0, 1)
    assert "forged" in result.stdout
    assert_log_safe(result.stdout)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown", "github", "html"])
def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(
    tmp_path: Path, fmt: str
) -> None:
    name = Path(
        tmp_path.as_posix().encode().decode()
        + "/"
        + b"cr\xe9dits.yaml".decode("utf-8", "surrogateescape")
    )
    name.write_bytes((EXAMPLES / "game-interactive-media.yaml").read_bytes())
    result = run("check", str(tmp_path), "--as-of", AS_OF, "--format", fmt)
    assert result.exit_code == 0, result.output
    shown = result.stdout if fmt != "sarif" else result.stdout.replace("%EF%BF%BD", "\ufffd")
    assert "cr\ufffddits.yaml" in shown
    assert "internal error" not in result.output
