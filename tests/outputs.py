"""Every output format of `ccai-policy check` on the bundled examples and a small benchmark slate.

The fixtures under tests/data/outputs/ were written by this module from main before the speed
work of issue 13; tests/test_outputs_unchanged.py checks that the outputs stay byte-identical.
When a change to main legitimately changes an output (a rule's wording, a new field), write the
fixtures again from that main (not from a branch under test):

    git worktree add --detach /tmp/main-outputs main
    cd /tmp/main-outputs && .venv/bin/python -m tests.outputs --write   # or PYTHONPATH=src
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "outputs"
AS_OF = "2026-11-01"
#: The small slate: `python -m benchmarks.generate OUT --count 3 --uses 12 --seed 2026`.
SLATE = (2026, 3, 12)
FORMATS = ("text", "json", "html", "sarif", "junit", "markdown", "github")
#: name -> (folder the run starts in, paths given, extra options); `{slate}` is the slate's folder.
RUNS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "examples": ("root", ("examples",), ()),
    "examples-verified": ("root", ("examples",), ("--verify-evidence",)),
    "slate": ("slate", ("slate",), ()),
    "slate-jobs2": ("slate", ("slate",), ("--jobs", "2")),
    "slate-inprocess": ("slate", ("slate",), ("--jobs", "0")),
}


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def write_slate(work: Path) -> Path:
    """The small benchmark slate, generated into work/slate/."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.generate import write_set

    seed, count, uses = SLATE
    write_set(work / "slate", seed, count, uses)
    return work


def outputs(work: Path) -> dict[str, str]:
    """File name -> what the run printed (its exit code on the first line), for every run and
    format; the slate is generated into `work`."""
    from ccai_policy.cli import main

    write_slate(work)
    env = {"SOURCE_DATE_EPOCH": None, "NO_COLOR": None}
    out: dict[str, str] = {}
    for name, (start, paths, options) in RUNS.items():
        folder = ROOT if start == "root" else work
        formats = FORMATS if not options else ("json", "text")
        for fmt in formats:
            argv = ["check", "--as-of", AS_OF, "--color", "never", "--format", fmt]
            with _cwd(folder):
                result = CliRunner().invoke(
                    main, [*argv, *options, *paths], env=env, catch_exceptions=False
                )
            out[f"{name}.{fmt}.out"] = f"exit {result.exit_code}\n{result.stdout}"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the fixtures")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ccai-outputs-work"))
    args = parser.parse_args(argv)
    found = outputs(args.work)
    if args.write:
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for old in FIXTURES.glob("*.out"):
            old.unlink()
        for name, text in found.items():
            (FIXTURES / name).write_text(text, encoding="utf-8", newline="")
    print(f"{len(found)} outputs{' written to ' + str(FIXTURES) if args.write else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
