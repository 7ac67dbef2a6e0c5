"""`ccai-policy migrate`: v1 declarations state the facts v1 read as false, comments kept."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from ccai_policy.load.loader import load_text

from .conftest import AS_OF, ROOT

Run = Callable[..., Result]
V1 = ROOT / "tests" / "fixtures" / "declarations" / "replica-consent-revoked.yaml"


def test_a_v1_declaration_still_loads_and_asks_for_what_it_left_out(run_cli: Run) -> None:
    result = run_cli("check", str(V1), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "error:" not in result.output
    assert "needs information: say whether u-deage is used in the production" in result.output


def test_migrate_states_each_missing_switch_as_unknown_and_keeps_comments(
    run_cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "v1.yaml"
    shutil.copy(V1, target)
    original = target.read_text(encoding="utf-8")
    migrated = run_cli("migrate", str(target))
    assert migrated.exit_code == 0, migrated.output
    assert f"{target}: stated 18 facts as unknown; replace each with true or false: " in (
        migrated.output
    )
    assert "uses[0].same_production" in migrated.output
    text = target.read_text(encoding="utf-8")
    for line in original.splitlines():
        assert line in text.splitlines(), line  # every line kept, comments included
    assert "    same_production: unknown  # was left out, which v1 read as true" in text

    checked = run_cli("check", str(target), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    where = load_text(text, str(target)).locate("/uses/0/same_production")
    assert (
        f"{target}:{where.line}:{where.column}: FAIL CONSENT-OTHER-PICTURE-001 [critical] "
        "needs information: say whether u-deage is used in the production"
    ) in checked.output

    again = run_cli("migrate", str(target))
    assert again.exit_code == 0
    assert f"{target}: nothing to migrate" in again.output


def test_migrate_edits_a_one_line_flow_mapping(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "flow.yaml"
    text = V1.read_text(encoding="utf-8").replace(
        "  - id: p-dee\n    name: Dee Okafor\n    roles: [director]\n    union: DGA\n",
        "  - {id: p-dee, name: Dee Okafor, roles: [director], union: DGA}  # the director\n",
    )
    target.write_text(text, encoding="utf-8")
    migrated = run_cli("migrate", str(target))
    assert migrated.exit_code == 0, migrated.output
    assert (
        "  - {id: p-dee, name: Dee Okafor, roles: [director], union: DGA, minor: unknown}"
        "  # the director\n"
    ) in target.read_text(encoding="utf-8")


def test_a_flow_mapping_over_several_lines_is_reported_with_what_to_add(
    run_cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "flow.yaml"
    text = V1.read_text(encoding="utf-8").replace(
        "  - id: p-dee\n    name: Dee Okafor\n    roles: [director]\n    union: DGA\n",
        "  - {id: p-dee, name: Dee Okafor,\n     roles: [director], union: DGA}\n",
    )
    target.write_text(text, encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    migrated = run_cli("migrate", str(target))
    assert migrated.exit_code == 2
    line = before.splitlines().index("  - {id: p-dee, name: Dee Okafor,") + 1
    assert (
        f"{target}:{line}:6: error: `people[1]` is a flow mapping over several lines, which "
        "migrate cannot edit: add minor: unknown"
    ) in migrated.output
    assert target.read_text(encoding="utf-8") == before
