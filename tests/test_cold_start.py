"""What a cold `check` of one declaration loads: only what its output needs (issue 13).

Each library left out here cost a measurable part of every start (Jinja2 ~0.07 s, tomllib
~0.01 s, CEL's interactive command line 0.2-0.5 s); the test names them instead of timing the
run, so that a change bringing one back fails on any machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import AS_OF, EXAMPLES

#: Runs the command line in this interpreter and reports, at exit, what was imported and how
#: many objects the collector had been told to leave alone.
PROBE = """
import atexit, gc, json, sys
def report():
    wanted = ("jinja2", "markupsafe", "tomllib", "cel.cli", "c2pa", "jsonschema")
    loaded = sorted(name for name in wanted if name in sys.modules)
    sys.stderr.write(json.dumps({"loaded": loaded, "frozen": gc.get_freeze_count()}))
atexit.register(report)
sys.argv = ["ccai-policy", *sys.argv[1:]]
from ccai_policy.cli import main
main()
"""


def probe(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return dict(json.loads(done.stderr))


def test_a_text_check_loads_no_report_template_engine_or_unused_reader() -> None:
    found = probe("check", str(EXAMPLES / "feature-film-compliant.yaml"), "--as-of", AS_OF, "-q")
    assert found["loaded"] == []


def test_the_html_format_still_loads_jinja2_when_asked_for() -> None:
    found = probe("check", str(EXAMPLES / "feature-film-compliant.yaml"), "--format", "html")
    assert found["loaded"] == ["jinja2", "markupsafe"]


def test_the_command_lines_imports_are_left_out_of_collector_passes() -> None:
    found = probe("--version")
    assert isinstance(found["frozen"], int) and found["frozen"] > 10_000
