"""Fail closed on meaning: no production that breaks an obligation comes out COMPLIANT.

Each case is one way a non-compliant production used to pass (labels, unknown facts, dates,
currencies, agreement versions), checked through `ccai-policy check` with the exit code and
the message a user reads at file:line:col.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from ccai_policy.authoring.docs import README_MARKERS, readme_tables
from ccai_policy.load.loader import load_text
from ccai_policy.paths import data_dir
from ccai_policy.policy.catalog import load_rules

from .conftest import AS_OF, EXAMPLES

Run = Callable[..., Result]
FILM = EXAMPLES / "feature-film-compliant.yaml"
SERIES = EXAMPLES / "series-noncompliant.yaml"


def example(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def item(data: dict[str, Any], section: str, item_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in data[section] if i["id"] == item_id)
    return found


def write(tmp_path: Path, data: dict[str, Any], name: str = "decl.yaml") -> tuple[Path, str]:
    path = tmp_path / name
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path, text


def at(path: Path, text: str, pointer: str) -> str:
    """`file:line:col` of a JSON pointer in the written file, as the checker reports it."""
    where = load_text(text, str(path)).locate(pointer)
    return f"{path}:{where.line}:{where.column}"


def check(run_cli: Run, path: Path, *args: str, as_of: str = AS_OF) -> Result:
    return run_cli("check", str(path), "--as-of", as_of, *args)


def findings(run_cli: Run, path: Path, *args: str, as_of: str = AS_OF) -> list[dict[str, Any]]:
    result = check(run_cli, path, "--format", "json", *args, as_of=as_of)
    assert result.exit_code in (0, 1), result.output
    out: list[dict[str, Any]] = json.loads(result.stdout)["declarations"][0]["findings"]
    return out


def late_actor() -> dict[str, Any]:
    """A late actor recreated in new scenes, no consent and no pay, filed as generic content."""
    return {
        "apiVersion": "ccai-policy/v1",
        "kind": "Declaration",
        "production": {
            "id": "prod-return",
            "title": "The Return",
            "studio": "Lantern Pictures",
            "type": "film",
            "is_advertisement": False,
            "territories": ["US-CA", "US-NY"],
            "agreements": ["sag-aftra-tv-theatrical-2023"],
        },
        "people": [
            {
                "id": "p-late",
                "name": "Walter Grey",
                "roles": ["principal"],
                "minor": False,
                "deceased_on": "2022-02-01",
                "rights_holder": "The Grey Estate",
            }
        ],
        "tools": [{"id": "t-gen", "name": "GenScene", "vendor": "Acme AI"}],
        "uses": [
            {
                "id": "u-return",
                "category": "gai_visual_or_audio",
                "description": "Walter Grey in three new scenes.",
                "tool": "t-gen",
                "subjects": ["p-late"],
                "deepfake": True,
                "first_used_on": "2026-08-01",
            }
        ],
    }


# --- Labels decide instead of facts --------------------------------------------------------


def test_a_late_actor_filed_under_a_generic_category_is_not_compliant(
    run_cli: Run, tmp_path: Path
) -> None:
    path, text = write(tmp_path, late_actor())
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert "— NOT COMPLIANT" in result.stdout
    use = "/uses/0"
    expected = [
        f"{at(path, text, use + '/subjects')}: FAIL CONSENT-REPLICA-001 [critical] u-return "
        "replicates Walter Grey, but no consent that counts covers it for Walter Grey",
        f"{at(path, text, use)}: FAIL CONSENT-DECEASED-001 [critical] u-return touches Walter "
        "Grey, who died, but no written consent that counts covers it",
        f"{at(path, text, use + '/subjects')}: FAIL CONSENT-POSTMORTEM-002 [high] u-return shows "
        "Walter Grey, who died",
        f"{at(path, text, use + '/subjects')}: FAIL COMP-PERSON-001 [high] u-return shows or "
        "voices Walter Grey, but no payment to them for it is recorded",
        f"{at(path, text, use + '/category')}: FAIL TRANSP-CATEGORY-001 [high] u-return is "
        "declared as gai_visual_or_audio, but it names Walter Grey in subjects, and a "
        "gai_visual_or_audio shows or voices no identifiable real person; the category that "
        "fits is independently_created_digital_replica",
    ]
    for line in expected:
        assert line in result.stdout, line
    assert "FAIL CONSENT-POSTMORTEM-001" in result.stdout


def test_de_aging_filed_as_a_digital_alteration_is_named_a_replica(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    item(data, "uses", "u-deage")["category"] = "digital_alteration"
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/uses/0/category')}: FAIL TRANSP-CATEGORY-001 [high] u-deage is "
        "declared as digital_alteration, but it shows Ana Ruiz doing or saying what they did "
        "not perform (new_performance: true), which goes beyond altering a recorded "
        "performance; the category that fits is employment_based_digital_replica"
    ) in result.stdout


# --- Unknown is not false -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "rule", "ask"),
    [
        (
            "deepfake",
            "TRANSP-EU-DEEPFAKE-001",
            "say whether the output of u-deage, shown in "
            "a-feature, is a deep fake (deepfake: true or false)",
        ),
        (
            "creative",
            "CONTROLS-DGA-CONSULT-001",
            "say whether u-deage touches creative elements (creative: true or false)",
        ),
        (
            "same_production",
            "CONSENT-OTHER-PICTURE-001",
            "say whether u-deage is used in the "
            "production the performance was recorded for (same_production: true or false)",
        ),
    ],
    ids=["deepfake", "creative", "same_production"],
)
def test_a_switch_left_out_needs_information_at_the_use(
    run_cli: Run, tmp_path: Path, field: str, rule: str, ask: str
) -> None:
    data = example(FILM)
    del item(data, "uses", "u-deage")[field]
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert f"{at(path, text, '/uses/0')}: FAIL {rule} " in result.stdout
    assert f"needs information: {ask}" in result.stdout
    statuses = {f["rule_id"]: f["status"] for f in findings(run_cli, path)}
    assert statuses[rule] == "fail"


def test_an_explicit_unknown_is_located_at_the_field(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    item(data, "uses", "u-deage")["creative"] = "unknown"
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/uses/0/creative')}: FAIL CONTROLS-DGA-CONSULT-001 [high] needs "
        "information: say whether u-deage touches creative elements"
    ) in result.stdout


def test_a_bad_switch_value_names_the_three_choices(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    item(data, "uses", "u-deage")["deepfake"] = "maybe"
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 2
    assert (
        f"{at(path, text, '/uses/0/deepfake')}: error: `uses[0].deepfake` is 'maybe', but it "
        "should be true, false or unknown"
    ) in result.output


def test_making_any_fact_unknown_never_turns_a_failure_into_a_pass(
    run_cli: Run, tmp_path: Path
) -> None:
    """For every true/false fact of the examples: unknown fails wherever true or false does."""
    tri = (
        "deepfake", "creative", "same_production", "in_place_of_in_person_work",
        "new_performance", "during_strike", "required_by_company", "minor", "gpai",
        "primary_purpose_is_likeness_replication",
    )  # fmt: skip

    def blocking(data: dict[str, Any], name: str) -> bool:
        path, _ = write(tmp_path, data, name)
        code = check(run_cli, path).exit_code
        assert code in (0, 1)
        return code == 1

    tried = 0
    for source in (FILM, EXAMPLES / "game-interactive-media.yaml"):
        base = example(source)
        for section in ("uses", "people", "tools"):
            for index, entry in enumerate(base[section]):
                for field in tri:
                    if field not in entry:
                        continue
                    outcomes = {}
                    for value in (True, False, "unknown"):
                        changed = copy.deepcopy(base)
                        changed[section][index][field] = value
                        outcomes[value] = blocking(changed, f"{field}-{value}.yaml")
                    tried += 1
                    if outcomes[True] or outcomes[False]:
                        assert outcomes["unknown"], f"{source.name}: {section}[{index}].{field}"
    assert tried >= 15


# --- Time ------------------------------------------------------------------------------------


def test_a_consent_signed_by_the_performer_after_his_death_does_not_count(
    run_cli: Run, tmp_path: Path
) -> None:
    data = late_actor()
    data["uses"][0]["category"] = "independently_created_digital_replica"
    data["consents"] = [
        {
            "id": "c-self",
            "person": "p-late",
            "signer_role": "self",
            "uses": ["u-return"],
            "description": "Walter Grey's likeness recreated for three new scenes of The Return.",
            "signed_on": "2047-02-01",
        }
    ]
    path, text = write(tmp_path, data)
    result = check(run_cli, path, as_of="2047-03-01")
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/consents/0/signed_on')}: FAIL CONSENT-VALID-001 [critical] c-self "
        "does not count: for u-return: it was signed on 2047-02-01, after u-return was first "
        "used on 2026-08-01; it is signed by the person themselves on 2047-02-01, after their "
        "death on 2022-02-01"
    ) in result.stdout
    assert "signed in life" not in result.stdout
    assert "FAIL CONSENT-REPLICA-001" in result.stdout


def test_a_consent_dated_after_the_as_of_date_does_not_count(run_cli: Run, tmp_path: Path) -> None:
    path = FILM
    result = check(run_cli, path, as_of="2026-07-15")
    assert result.exit_code == 1, result.output
    assert (
        "FAIL CONSENT-VALID-001 [critical] c-ana-voice does not count: for u-voice: it is "
        "dated 2026-08-01, after the as-of date 2026-07-15"
    ) in result.stdout


def test_a_consent_whose_term_ended_before_the_first_use_does_not_count(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    item(data, "consents", "c-ana-deage")["term_ends"] = "2026-06-01"
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        "FAIL CONSENT-VALID-001 [critical] c-ana-deage does not count: for u-deage: its term "
        "ended on 2026-06-01, before u-deage was first used on 2026-06-02"
    ) in result.stdout
    assert "u-deage replicates Ana Ruiz, but no consent that counts covers it" in result.stdout


def reason(found: list[dict[str, Any]], rule: str) -> str:
    only = [f for f in found if f["rule_id"] == rule]
    assert [f["status"] for f in only] == ["not_applicable"], only
    message: str = only[0]["message"]
    return message


def test_obligations_do_not_apply_before_they_took_effect(run_cli: Run, tmp_path: Path) -> None:
    data = late_actor()
    data["uses"][0]["first_used_on"] = "2024-06-01"
    data["people"][0]["deceased_on"] = "2019-03-02"
    path, _ = write(tmp_path, data)
    found = findings(run_cli, path)
    assert reason(found, "CONSENT-POSTMORTEM-001") == (
        "Not in force for this production: Cal. Civ. Code §3344.1 as amended by AB 1836 (from "
        "1 Jan 2025; 70 years after death) applies from 2025-01-01 by the first use, and "
        "every AI use this rule checks falls outside it."
    )
    assert "applies from 2021-05-29 by the death" in reason(found, "CONSENT-POSTMORTEM-002")


def test_eu_art_53_does_not_apply_to_a_may_2025_model_use(run_cli: Run, tmp_path: Path) -> None:
    data = late_actor()
    data["production"]["territories"] = ["EU"]
    data["tools"][0].update({"gpai": True, "placed_on_market": "2024-09-01"})
    data["uses"][0]["first_used_on"] = "2025-05-10"
    path, _ = write(tmp_path, data)
    found = findings(run_cli, path)
    for rule in ("CONSENT-GPAI-COPYRIGHT-001", "TRANSP-GPAI-SUMMARY-001"):
        assert "EU AI Act Art. 53" in reason(found, rule)
        assert "every AI tool this rule checks falls outside all of them." in reason(found, rule)
    data["uses"][0]["first_used_on"] = "2027-09-01"
    path, _ = write(tmp_path, data)
    statuses = {f["rule_id"]: f["status"] for f in findings(run_cli, path)}
    assert statuses["CONSENT-GPAI-COPYRIGHT-001"] == "fail"


@pytest.mark.parametrize(
    "agreement",
    ["sag-aftra-tv-theatrical-2020", "equity-uk-2024", "dga-basic-agreement-2026"],
    ids=["older version", "unknown agreement", "newer version"],
)
def test_an_agreement_version_the_rules_do_not_encode_is_not_covered(
    run_cli: Run, tmp_path: Path, agreement: str
) -> None:
    data = example(FILM)
    data["production"]["agreements"] = [*data["production"]["agreements"], agreement]
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/production/agreements/3')}: FAIL TRANSP-AGREEMENT-001 [high] "
        f"{agreement} is not covered by the encoded rules"
    ) in result.stdout


def test_a_rule_for_one_agreement_version_does_not_apply_to_another(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    data["production"]["agreements"] = ["sag-aftra-tv-theatrical-2023"]
    path, _ = write(tmp_path, data)
    found = findings(run_cli, path)
    assert reason(found, "CONTROLS-SCAN-REASON-001") == (
        "Applies only to productions under sag-aftra-tv-theatrical-2026; this production is a "
        "film, made or released in US-CA and EU, under sag-aftra-tv-theatrical-2023, released "
        "2027-03-12."
    )


# --- Money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "passes"),
    [
        ({"value": 1200, "currency": "VND"}, False),
        ({"value": 999, "currency": "USD"}, False),
        ({"value": 1000, "currency": "USD"}, True),
        ({"value": 1200, "currency": "EUR"}, False),
        (
            {
                "value": 1200,
                "currency": "EUR",
                "exchange_rate": {"to": "USD", "rate": 1.08, "on": "2026-06-01"},
            },
            True,
        ),
        (
            {
                "value": 1200,
                "currency": "VND",
                "exchange_rate": {"to": "USD", "rate": 0.00004, "on": "2026-06-01"},
            },
            False,
        ),
    ],
    ids=["VND", "999 USD", "1000 USD", "EUR no rate", "EUR with rate", "VND with rate"],
)
def test_a_floor_is_met_only_in_its_currency(
    run_cli: Run, tmp_path: Path, amount: dict[str, Any], passes: bool
) -> None:
    policy = tmp_path / "floor.yaml"
    policy.write_text(
        'id: floor\nversion: "1"\ntitle: Day-rate floor\nextends: [ccai-baseline]\n'
        "params: {day_rate_floor: 1000, floor_currency: USD}\n",
        encoding="utf-8",
    )
    data = example(FILM)
    item(data, "compensation", "pay-ana-deage")["amount"] = amount
    item(data, "compensation", "pay-ana-voice")["amount"] = {"value": 3200, "currency": "USD"}
    path, text = write(tmp_path, data)
    result = check(run_cli, path, "--policy", str(policy))
    if passes:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/uses/0')}: FAIL COMP-REPLICA-DAY-001 [high] u-deage "
    ) in result.stdout
    assert "no payment per day of digital performance of at least 1000 USD" in result.stdout


def test_an_amount_that_rounds_to_zero_is_no_payment(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    for entry in data["compensation"]:
        if entry["use"] == "u-voice":
            entry["basis"] = "negotiated"
            entry["amount"] = {"value": 0.4, "currency": "JPY"}
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/uses/1/subjects')}: FAIL COMP-PERSON-001 [high] u-voice shows or "
        "voices Ana Ruiz, but no payment to them for it is recorded"
    ) in result.stdout


# --- Facts real productions have -------------------------------------------------------------


def test_a_fund_payment_may_name_no_one_but_a_fee_must(run_cli: Run, tmp_path: Path) -> None:
    data = example(SERIES)
    data["compensation"].append({"id": "pay-ph", "use": "u-ray-cameo", "basis": "ph_contribution"})
    path, _ = write(tmp_path, data)
    assert {f["rule_id"]: f["status"] for f in findings(run_cli, path)}["COMP-ICDR-PH-001"] == (
        "pass"
    )
    data["compensation"][-1]["basis"] = "negotiated"
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 2
    assert "name the person paid (`person: <id>`); only a ph_contribution may name no one" in (
        result.output
    )


def test_a_use_made_with_several_tools_is_checked_for_each(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    deage = item(data, "uses", "u-deage")
    deage["tools"] = ["t-voice"]
    data["production"]["territories"] = ["US-TN"]
    item(data, "tools", "t-voice")["primary_purpose_is_likeness_replication"] = "unknown"
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/tools/1/primary_purpose_is_likeness_replication')}: FAIL "
        "CONSENT-TN-TOOL-001 [high] needs information: say whether VoiceCraft Studio, used for "
        "u-deage, has producing a voice or likeness as its primary purpose"
    ) in result.stdout


def test_a_crowd_is_one_entry_whose_consents_must_cover_everyone(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    data["people"].append(
        {"id": "p-crowd", "name": "Pier crowd", "roles": ["background"], "minor": False,
         "group_size": 40}
    )  # fmt: skip
    use = copy.deepcopy(item(data, "uses", "u-deage"))
    use.update(
        {
            "id": "u-crowd",
            "category": "background_actor_digital_replica",
            "subjects": ["p-crowd"],
            "description": "Forty scanned extras on the pier.",
        }
    )
    data["uses"].append(use)
    data["consents"].append(
        {"id": "c-crowd", "person": "p-crowd", "uses": ["u-crowd"], "signed_on": "2026-05-11",
         "covers": 38}
    )  # fmt: skip
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        "c-crowd does not count: for u-crowd: the consents for p-crowd cover 38 of the 40 "
        "people in the group"
    ) in result.stdout


@pytest.mark.parametrize(
    "consents",
    [
        pytest.param([{"uses": ["u-crowd", "u-crowd"], "covers": 20}], id="one use listed twice"),
        pytest.param(
            [{"uses": ["u-crowd", "u-crowd", "u-crowd"], "covers": 15}], id="listed three times"
        ),
        pytest.param(
            [{"uses": ["u-crowd", "u-crowd"], "covers": 20}, {"uses": ["u-crowd"], "covers": 19}],
            id="beside another consent",
        ),
    ],
)
def test_a_crowd_consent_that_lists_a_use_again_still_covers_its_people_once(
    run_cli: Run, tmp_path: Path, consents: list[dict[str, Any]]
) -> None:
    data = example(FILM)
    data["people"].append(
        {"id": "p-crowd", "name": "Pier crowd", "roles": ["background"], "minor": False,
         "group_size": 40}
    )  # fmt: skip
    use = copy.deepcopy(item(data, "uses", "u-deage"))
    use.update(
        {"id": "u-crowd", "category": "background_actor_digital_replica", "subjects": ["p-crowd"],
         "description": "Forty scanned extras on the pier."}
    )  # fmt: skip
    data["uses"].append(use)
    for number, consent in enumerate(consents, start=1):
        data["consents"].append(
            {"id": f"c-crowd-{number}", "person": "p-crowd", "signed_on": "2026-05-11", **consent}
        )
    got = sum(c["covers"] for c in consents)  # each consent once, however often it lists u-crowd
    path, _ = write(tmp_path, data)
    statuses = {(f["rule_id"], f["status"]) for f in findings(run_cli, path)}
    assert ("CONSENT-REPLICA-001", "fail") in statuses
    result = check(run_cli, path)
    assert (
        f"c-crowd-1 does not count: for u-crowd: the consents for p-crowd cover {got} of the 40 "
        "people in the group"
    ) in result.stdout
    assert "u-crowd replicates Pier crowd, but no consent that counts covers it" in result.stdout


def test_an_exception_never_covers_a_fake_presented_as_authentic(
    run_cli: Run, tmp_path: Path
) -> None:
    data = late_actor()
    data["production"]["territories"] = ["DK"]
    data["uses"][0].update({"expression_exception": "parody", "presented_as_authentic": True})
    path, _ = write(tmp_path, data)
    statuses = {f["rule_id"]: f["status"] for f in findings(run_cli, path)}
    assert statuses["CONSENT-DK-IMITATION-001"] == "fail"
    data["uses"][0]["presented_as_authentic"] = False
    data["people"][0]["deceased_on"] = None
    path, _ = write(tmp_path, data)
    statuses = {f["rule_id"]: f["status"] for f in findings(run_cli, path)}
    assert statuses["CONSENT-DK-IMITATION-001"] == "pass"


def test_a_consent_given_orally_is_not_the_written_one_an_agreement_asks_for(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    item(data, "consents", "c-ana-voice")["form"] = "oral"
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert f"{at(path, text, '/consents/1/clear_and_conspicuous')}: FAIL CONSENT-FORM-001" in (
        result.stdout
    )


def test_continued_distribution_brings_in_an_obligation(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    data["production"]["release_date"] = "2025-03-01"
    item(data, "assets", "a-feature")["audience_disclosure"]["placement"] = "end_credits"
    data["production"]["distributed_until"] = "2026-07-01"
    path, _ = write(tmp_path, data)
    assert "EU AI Act Art. 50" in reason(findings(run_cli, path), "TRANSP-EU-DEEPFAKE-001")
    data["production"]["distributed_until"] = "2030-12-31"
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert "FAIL TRANSP-EU-DEEPFAKE-001" in result.stdout


# --- The documentation stays in sync ---------------------------------------------------------


def test_rules_readme_tables_are_current() -> None:
    readme = (data_dir("rules") / "README.md").read_text(encoding="utf-8")
    for name, table in readme_tables(load_rules(data_dir("rules"))).items():
        start, end = README_MARKERS[name]
        assert f"{start}\n{table}\n{end}" in readme, (
            f"rules/README.md's {name} table is stale: run "
            "python -c 'import ccai_policy.authoring.docs as d; d.update_readme()'"
        )


def test_every_bundled_rule_records_when_it_is_in_force() -> None:
    for loaded in load_rules(data_dir("rules")):
        assert loaded.rule.effective, f"{loaded.rule.id} has no effective dates"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_example_fails_exactly_the_rules_its_header_expects(run_cli: Run, path: Path) -> None:
    header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("#"))  # fmt: skip
    expected_part = header.split("Expected findings", 1)[1].split("Passing", 1)[0]
    expected = set(re.findall(r"[A-Z]+(?:-[A-Z0-9]+)*-\d{3}", expected_part))
    failing = {f["rule_id"] for f in findings(run_cli, path) if f["status"] in ("fail", "error")}
    assert failing == expected


def test_the_report_never_shows_a_consent_that_does_not_count_as_given(
    run_cli: Run, tmp_path: Path
) -> None:
    data = late_actor()
    data["consents"] = [
        {"id": "c-self", "person": "p-late", "uses": ["u-return"], "signed_on": "2026-07-01"}
    ]
    path, _ = write(tmp_path, data)
    report = tmp_path / "report.html"
    result = check(run_cli, path, "-o", f"html:{report}")
    assert result.exit_code == 1, result.output
    html = report.read_text(encoding="utf-8")
    assert "✗</span> Does not count (c-self):</p>" in html
    assert (
        "<li>It is signed by the person themselves on 2026-07-01, after their death on 2022-02-01"
    ) in html
    assert "Consented: c-self" not in html


def _set(data: dict[str, Any], section: str, item_id: str, path: str, value: Any) -> None:
    """Set `path` ('scan.starts_at') of the item `item_id` of `section` to `value`."""
    *parents, key = path.split(".")
    target = item(data, section, item_id)
    for parent in parents:
        target = target[parent]
    target[key] = value


COMMERCIAL = EXAMPLES / "commercial-synthetic-performer.yaml"
_SAG_2026 = ("production", None, "agreements", ["sag-aftra-tv-theatrical-2026"])

#: A timestamp on the day a date names, or the day after, in its own offset, where UTC puts it
#: on the other day: (declaration, changes, rule, the status the timestamp's own day gives).
_OWN_DAY = {
    "signed the day after a scan late in the evening in Los Angeles": (
        FILM, [("consents", "c-ana-deage", "signed_on", "2026-05-15"),
               ("uses", "u-deage", "scan.starts_at", "2026-05-14T20:00:00-08:00")],
        "CONSENT-TIMING-001", "fail"),
    "signed on the day of a scan early in the morning in Tokyo": (
        FILM, [("consents", "c-ana-deage", "signed_on", "2026-05-15"),
               ("uses", "u-deage", "scan.notified_at", "2026-05-11T07:00:00+09:00"),
               ("uses", "u-deage", "scan.starts_at", "2026-05-15T07:00:00+09:00")],
        "CONSENT-TIMING-001", "pass"),
    "a union notice sent in Tokyo the morning after the first use": (
        SERIES, [("notices", "n-synth", "sent_at", "2026-08-16T07:00:00+09:00")],
        "TRANSP-SYNTH-NOTICE-001", "fail"),
    "a union notice sent in Los Angeles on the evening of the first use": (
        SERIES, [("notices", "n-synth", "sent_at", "2026-08-15T20:00:00-08:00")],
        "TRANSP-SYNTH-NOTICE-001", "pass"),
    "a director consulted in Tokyo the morning after the first use": (
        FILM, [("notices", "n-dga-deage", "sent_at", "2026-06-03T07:00:00+09:00")],
        "CONTROLS-DGA-CONSULT-001", "fail"),
    "a director consulted in Los Angeles on the evening of the first use": (
        FILM, [("notices", "n-dga-deage", "sent_at", "2026-06-02T20:00:00-08:00")],
        "CONTROLS-DGA-CONSULT-001", "pass"),
    "a writer told in Tokyo the morning after the hand-over": (
        SERIES, [("notices", "n-liu", "sent_at", "2026-05-05T07:00:00+09:00")],
        "TRANSP-WGA-DISCLOSE-001", "fail"),
    "a description given in Tokyo 47 hours before the day of first use": (
        COMMERCIAL, [("consents", "c-june-mo", "notice_given_at", "2026-10-03T01:00:00+09:00"),
                     ("consents", "c-june-mo", "signed_on", "2026-10-03")],
        "CONSENT-COMM-NOTICE-001", "fail"),
    "a description given in Los Angeles 49 hours before the day of first use": (
        COMMERCIAL, [("consents", "c-june-mo", "notice_given_at", "2026-10-02T23:00:00-08:00"),
                     ("consents", "c-june-mo", "signed_on", "2026-10-03")],
        "CONSENT-COMM-NOTICE-001", "pass"),
    "a scan on 1 July in Tokyo is under the 2026 agreement": (
        SERIES, [_SAG_2026,
                 ("uses", "u-maya-replica", "scan.notified_at", "2026-06-28T07:00:00+09:00"),
                 ("uses", "u-maya-replica", "scan.starts_at", "2026-07-01T07:00:00+09:00")],
        "CONTROLS-SCAN-REASON-001", "fail"),
    "a scan on 30 June in Los Angeles is not": (
        SERIES, [_SAG_2026,
                 ("uses", "u-maya-replica", "scan.notified_at", "2026-06-27T20:00:00-08:00"),
                 ("uses", "u-maya-replica", "scan.starts_at", "2026-06-30T20:00:00-08:00")],
        "CONTROLS-SCAN-REASON-001", "not_applicable"),
}  # fmt: skip

_NOTICES = {
    "n-synth": {"to": "SAG-AFTRA", "kind": "synthetic_performer_notice",
                "uses": ["u-harbour-master"], "opportunity_to_bargain": True},
    "n-liu": {"to": "writer", "kind": "writer_gai_disclosure", "person": "p-liu",
              "uses": ["u-script-pages"]},
}  # fmt: skip


@pytest.mark.parametrize("case", list(_OWN_DAY))
def test_a_timestamp_is_compared_with_a_date_on_its_own_day(
    run_cli: Run, tmp_path: Path, case: str
) -> None:
    """A date has no time zone: a timestamp meets it on the day and at the hour its own offset
    names, not in UTC (which would pass a consent signed after the scan in Los Angeles)."""
    base, changes, rule, status = _OWN_DAY[case]
    data = example(base)
    for section, item_id, path, value in changes:
        if item_id is None:
            data[section][path] = value
            continue
        if (
            section == "notices"
            and item_id in _NOTICES
            and not any(n["id"] == item_id for n in data.setdefault("notices", []))
        ):
            data["notices"].append({"id": item_id, **_NOTICES[item_id]})
        _set(data, section, item_id, path, value)
    path, _ = write(tmp_path, data)
    statuses = {f["status"] for f in findings(run_cli, path) if f["rule_id"] == rule}
    assert statuses == {status}, (case, statuses)


def test_a_representative_cannot_consent_for_a_living_adult(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    item(data, "consents", "c-ana-deage")["signer_role"] = "authorized_representative"
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        "c-ana-deage does not count: for u-deage: an authorised representative signs only for a "
        "person who has died; in life the person signs themselves (or, for a minor, a guardian)"
    ) in result.stdout
    assert "FAIL CONSENT-REPLICA-001 [critical] u-deage" in result.stdout


@pytest.mark.parametrize(
    ("category", "conflict"),
    [
        (
            "background_actor_digital_replica",
            "it shows Ana Ruiz, who is not a background actor (people[].roles), and a background "
            "actor replica copies background actors only",
        ),
        (
            "independently_created_digital_replica",
            "it is made from a scan session with Ana Ruiz, and an independently created replica "
            "is made from existing material without the performer taking part",
        ),
        (
            "real_time_generation",
            "it shows or voices Ana Ruiz in a film, which is watched as it was finished: "
            "real-time generation is output made live, while players play or an audience watches "
            "a live show, and in a film a copy of a real person is a digital replica",
        ),
    ],
)
def test_a_replica_label_the_facts_contradict_fails_and_names_the_one_that_fits(
    run_cli: Run, tmp_path: Path, category: str, conflict: str
) -> None:
    """Relabelling the scanned lead's de-aging switches off the per-day pay rules, so the
    label itself must fail, or the film would come out compliant without paying per day."""
    data = example(FILM)
    item(data, "uses", "u-deage")["category"] = category
    data["compensation"] = [c for c in data["compensation"] if c["use"] != "u-deage"]
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert (
        f"{at(path, text, '/uses/0/category')}: FAIL TRANSP-CATEGORY-001 [high] u-deage is "
        f"declared as {category}, but {conflict}; the category that fits is "
        "employment_based_digital_replica"
    ) in result.stdout


GAME = EXAMPLES / "game-interactive-media.yaml"


def _zero_residuals(data: dict[str, Any], amount: dict[str, Any]) -> None:
    item(data, "compensation", "pay-ana-deage-residuals")["amount"] = amount


def _zero_realtime(data: dict[str, Any], amount: dict[str, Any]) -> None:
    item(data, "compensation", "pay-kai-live").update({"scale_multiple": 7.5, "amount": amount})


def _training(data: dict[str, Any], amount: dict[str, Any]) -> None:
    data["uses"].append(
        {"id": "u-train", "category": "training_on_production_material", "tool": "t-voice",
         "description": "Fine-tune the voice model on Ana Ruiz's recordings.",
         "subjects": ["p-ana"], "first_used_on": "2026-08-20"}
    )  # fmt: skip
    data["consents"].append(
        {"id": "c-train", "person": "p-ana", "uses": ["u-train"], "signed_on": "2026-08-01",
         "training_permission": "allowed", "separately_signed": True,
         "clear_and_conspicuous": True}
    )  # fmt: skip
    data["compensation"].append(
        {"id": "pay-train", "person": "p-ana", "use": "u-train", "basis": "training_licence",
         "amount": amount}
    )  # fmt: skip


def _residuals(data: dict[str, Any], amount: dict[str, Any]) -> None:
    data["production"]["agreements"] = ["dga-basic-agreement-2023"]
    data["compensation"] = [
        {
            "id": "pay-1",
            "person": "p-ana",
            "use": "u-deage",
            "basis": "residuals",
            "amount": amount,
        },
        {"id": "pay-2", "person": "p-ana", "use": "u-voice", "basis": "residuals"},
    ]


def _independent_ph(data: dict[str, Any], amount: dict[str, Any]) -> None:
    item(data, "uses", "u-voice")["category"] = "independently_created_digital_replica"
    data["compensation"] = [c for c in data["compensation"] if c["use"] != "u-voice"] + [
        {"id": "pay-neg", "person": "p-ana", "use": "u-voice", "basis": "negotiated",
         "amount": {"value": 5000, "currency": "USD"}},
        {"id": "pay-ph", "person": "p-ana", "use": "u-voice", "basis": "ph_contribution",
         "amount": amount},
    ]  # fmt: skip


def _commercial_ph(data: dict[str, Any], amount: dict[str, Any]) -> None:
    item(data, "uses", "u-barista")["features_from"] = []
    data["compensation"] = [
        {"id": "pay-ph", "use": "u-barista", "basis": "ph_contribution", "amount": amount}
    ]


@pytest.mark.parametrize(
    ("base", "build", "rule", "message"),
    [
        (
            FILM,
            _training,
            "COMP-TRAINING-001",
            "u-train (Fine-tune the voice model on Ana Ruiz's recordings.) trains on the work "
            "of Ana Ruiz with no training licence fee (an amount that rounds to zero is no fee)",
        ),
        (
            FILM,
            _residuals,
            "COMP-PERSON-001",
            "u-deage shows or voices Ana Ruiz, but no payment to them for it is recorded (an "
            "amount that rounds to zero is no payment)",
        ),
        (
            FILM,
            _independent_ph,
            "COMP-ICDR-PH-001",
            "u-voice (Replica of Ana Ruiz's voice for ADR lines in reels 3 and 5 only.): no "
            "pension and health contribution is recorded for Ana Ruiz (an amount that rounds to "
            "zero is no contribution)",
        ),
        (
            COMMERCIAL,
            _commercial_ph,
            "COMP-COMM-SYNTH-001",
            "is a synthetic performer with no recorded payment into the P&H fund (an amount that "
            "rounds to zero is no payment)",
        ),
        (
            FILM,
            _zero_residuals,
            "COMP-REPLICA-RESIDUALS-001",
            "no residuals are recorded for Ana Ruiz (an amount that rounds to zero is no payment)",
        ),
        (
            GAME,
            _zero_realtime,
            "COMP-IMA-REALTIME-001",
            "u-wren-live generates Kai Nakamura's performance in real time; recorded pay: 7.5x "
            "scale",
        ),
    ],
    ids=[
        "training licence",
        "residuals",
        "independent replica P&H",
        "commercial P&H",
        "replica residuals",
        "real-time scale multiple",
    ],
)
def test_a_payment_of_an_amount_that_rounds_to_zero_is_no_payment(
    run_cli: Run,
    tmp_path: Path,
    base: Path,
    build: Callable[[dict[str, Any], dict[str, Any]], None],
    rule: str,
    message: str,
) -> None:
    """A basis alone (a training licence, residuals, a P&H contribution) is no payment when
    the amount written beside it is zero in the currency's smallest unit."""
    outcomes = {}
    for value in (0.004, 250):
        data = example(base)
        build(data, {"value": value, "currency": "USD"})
        path, _ = write(tmp_path, data, f"decl-{value}.yaml")
        outcomes[value] = [
            (f["status"], f["message"]) for f in findings(run_cli, path) if f["rule_id"] == rule
        ]
    assert [status for status, _ in outcomes[250]] == ["pass"]
    assert [status for status, _ in outcomes[0.004]] == ["fail"]
    assert message in outcomes[0.004][0][1]


def test_a_consent_revoked_only_in_the_future_must_still_last_to_the_release(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    consent = item(data, "consents", "c-ana-deage")
    consent.update({"term_ends": "2026-12-01", "revoked_on": "2030-12-01"})
    path, _ = write(tmp_path, data)
    failed = [
        f["message"]
        for f in findings(run_cli, path)
        if f["rule_id"] == "CONTROLS-TERM-RELEASE-001" and f["status"] == "fail"
    ]
    assert failed == [
        "c-ana-deage (Ana Ruiz, for u-deage) ends on 2026-12-01, before the release on 2027-03-12"
    ]


_FUTURE_NOTICES = {
    "CONTROLS-DGA-CONSULT-001": (
        FILM, ["u-deage", "u-voice"],
        {"id": "n-dga-deage", "to": "director", "kind": "director_consultation",
         "person": "p-dee", "uses": ["u-deage", "u-voice"]}),
    "TRANSP-SYNTH-NOTICE-001": (
        SERIES, ["u-harbour-master"],
        {"id": "n-synth", "to": "SAG-AFTRA", "kind": "synthetic_performer_notice",
         "uses": ["u-harbour-master"], "opportunity_to_bargain": True}),
    "TRANSP-WGA-DISCLOSE-001": (
        SERIES, ["u-script-pages"],
        {"id": "n-liu", "to": "writer", "kind": "writer_gai_disclosure", "person": "p-liu",
         "uses": ["u-script-pages"]}),
    "TRANSP-IATSE-IMPACT-001": (
        SERIES, [], {"id": "n-iatse", "to": "IATSE", "kind": "impact_bargaining", "uses": []}),
}  # fmt: skip
# CONTROLS-SYNTH-VALUE-001 and TRANSP-TRAINING-NOTICE-001: their own rule tests (rules/).


@pytest.mark.parametrize("rule", list(_FUTURE_NOTICES))
def test_a_notice_dated_after_the_as_of_date_has_not_been_sent(
    run_cli: Run, tmp_path: Path, rule: str
) -> None:
    """With the first use undated, any notice used to do: one dated next year too."""
    base, undated, notice = _FUTURE_NOTICES[rule]
    statuses = {}
    for sent_at in ("2026-04-20T15:00:00Z", "2027-05-01T10:00:00Z"):
        data = example(base)
        for use_id in undated:
            item(data, "uses", use_id).pop("first_used_on", None)
        data["notices"] = [n for n in data.get("notices", []) if n["id"] != notice["id"]] + [
            {**notice, "sent_at": sent_at}
        ]
        path, _ = write(tmp_path, data, f"{sent_at[:4]}.yaml")
        statuses[sent_at[:4]] = {
            f["status"] for f in findings(run_cli, path) if f["rule_id"] == rule
        }
    assert statuses == {"2026": {"pass"}, "2027": {"fail"}}


@pytest.mark.parametrize("role", ["authorized_representative", "union"])
def test_a_consent_signed_for_someone_before_their_death_does_not_count(
    run_cli: Run, tmp_path: Path, role: str
) -> None:
    """After a death the representative (or the union) signs; a signature for the person in
    their life, or dated before a death that is still to come, is not theirs to give."""
    data = example(SERIES)
    data["consents"].append(
        {"id": "c-ray-early", "person": "p-ray", "signer_role": role, "uses": ["u-ray-cameo"],
         "signed_on": "2015-01-01"}
    )  # fmt: skip
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    signer = "an authorised representative" if role == "authorized_representative" else "the union"
    assert (
        f"c-ray-early does not count: for u-ray-cameo: it is signed by {signer} on 2015-01-01, "
        "before the death on 2019-03-02; in life the person signs themselves (or, for a minor, "
        "a guardian)"
    ) in result.stdout


def test_a_crew_scan_needs_a_separate_consent_that_counts(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    data["production"]["agreements"] = ["iatse-basic-agreement-2024"]
    item(data, "people", "p-ana")["roles"] = ["crew"]
    consent = item(data, "consents", "c-ana-deage")
    consent.update({"separately_signed": True, "signer_role": "authorized_representative"})
    path, _ = write(tmp_path, data)
    failed = [
        f["message"]
        for f in findings(run_cli, path)
        if f["rule_id"] == "CONSENT-IATSE-SCAN-001" and f["status"] == "fail"
    ]
    assert failed == [
        "u-deage scans crew member Ana Ruiz without a separately signed consent that counts "
        "(CONSENT-VALID-001 says why a consent does not)"
    ]


@pytest.mark.parametrize(
    ("territories", "released_in"),
    [(["US", "FR"], ["US"]), (["US"], ["US", "DE-BY"]), (["US"], ["EL"])],
    ids=["production in France", "asset released in Bavaria", "asset released in Greece (EL)"],
)
def test_a_member_state_is_in_the_eu(
    run_cli: Run, tmp_path: Path, territories: list[str], released_in: list[str]
) -> None:
    """The AI Act binds a release in any member state, not only one written as `EU`."""
    data = example(FILM)
    data["production"]["territories"] = territories
    asset = data["assets"][0]
    asset["released_in"] = released_in if released_in != ["US"] else []
    asset["audience_disclosure"] = None
    path, _ = write(tmp_path, data)
    failed = [
        f["message"]
        for f in findings(run_cli, path)
        if f["rule_id"] == "TRANSP-EU-DEEPFAKE-001" and f["status"] == "fail"
    ]
    assert failed == [
        "a-feature (The Lighthouse Keeper (feature)) contains deep fakes (u-deage, u-voice) and "
        "is released in the EU, but carries no audience disclosure; accepted placements: "
        "on_screen, opening_credits, packaging"
    ]


def test_a_distribution_that_ends_before_the_release_is_refused(
    run_cli: Run, tmp_path: Path
) -> None:
    """It would take the work out of every window dated by the last day of distribution."""
    data = example(FILM)
    data["production"]["distributed_until"] = "2026-07-31"
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 2, result.output
    assert (
        f"{at(path, text, '/production')}: error: `production` is not accepted: "
        "`distributed_until` (2026-07-31) is before `release_date` (2027-03-12): a work is "
        "distributed from its release on, so give the last day it is offered, on or after the "
        "release, or correct the release date"
    ) in result.output


def test_a_place_of_release_is_written_as_a_territory(run_cli: Run, tmp_path: Path) -> None:
    data = example(FILM)
    data["assets"][0]["released_in"] = ["US", "eu"]
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 2, result.output
    assert (
        f"{at(path, text, '/assets/0/released_in/1')}: error: `assets[0].released_in[1]` is "
        "'eu', which is not written the way it must be\n    hint: did you mean 'EU'?"
    ) in result.output


def test_a_deep_fake_labelled_as_enhanced_must_still_be_marked(
    run_cli: Run, tmp_path: Path
) -> None:
    """AI Act Art. 50(2) spares tools that only assist standard editing, never a deep fake."""
    statuses = {}
    for deepfake in (True, False):
        data = example(FILM)
        deage = item(data, "uses", "u-deage")
        deage.update({"digital_source_type": "algorithmicallyEnhanced", "deepfake": deepfake})
        item(data, "tools", "t-deage")["output_marking"] = {"c2pa": False, "watermark": False}
        path, _ = write(tmp_path, data, f"{deepfake}.yaml")
        statuses[deepfake] = {
            (f["subject"]["id"], f["status"])
            for f in findings(run_cli, path)
            if f["rule_id"] == "TRANSP-EU-MARKING-001"
        }
    assert ("t-deage", "fail") in statuses[True]
    assert ("t-deage", "fail") not in statuses[False]


def test_a_notice_at_an_engagement_after_the_scan_is_no_notice_before_it(
    run_cli: Run, tmp_path: Path
) -> None:
    data = example(FILM)
    item(data, "uses", "u-deage")["scan"].update(
        {"notified_at": "2026-05-14T11:00:00Z", "engaged_at": "2026-05-14T12:00:00Z"}
    )
    path, _ = write(tmp_path, data)
    statuses = {
        f["status"] for f in findings(run_cli, path) if f["rule_id"] == "CONSENT-SCAN-NOTICE-001"
    }
    assert statuses == {"fail"}


@pytest.mark.parametrize(
    ("territories", "released_in"),
    [(["US"], ["US-CA"]), ([], ["US-NY"]), (["US-CA"], ["US"])],
    ids=["a US-wide production", "an asset released in New York", "an asset released in the US"],
)
def test_a_release_across_a_country_or_on_an_asset_reaches_its_states(
    run_cli: Run, tmp_path: Path, territories: list[str], released_in: list[str]
) -> None:
    """New York's synthetic performer law binds an ad shown there, whether the declaration
    names New York, the whole US, or only the asset's place of release."""
    data = example(COMMERCIAL)
    data["production"]["territories"] = territories
    data["assets"][0]["released_in"] = released_in
    path, _ = write(tmp_path, data)
    statuses = {f["status"] for f in findings(run_cli, path) if f["rule_id"] == "TRANSP-NY-AD-001"}
    assert statuses == {"fail"}
    data["production"]["territories"], data["assets"][0]["released_in"] = ["US-CA"], ["US-CA"]
    path, _ = write(tmp_path, data, "california.yaml")
    statuses = {f["status"] for f in findings(run_cli, path) if f["rule_id"] == "TRANSP-NY-AD-001"}
    assert statuses == {"not_applicable"}


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        ({"minor": False}, "a guardian signs only for a minor"),
        ({}, "a guardian signs only for a minor, and whether the person is one is not said "
             "(minor: true or false)"),
        ({"minor": True, "deceased_on": "2026-01-02"},
         "it is signed by a guardian on 2026-05-11, after the death on 2026-01-02; after a death "
         "the authorised representative signs"),
    ],
    ids=["an adult", "not said whether a minor", "after the death of a minor"],
)  # fmt: skip
def test_a_guardian_signs_only_for_a_living_minor(
    run_cli: Run, tmp_path: Path, person: dict[str, Any], reason: str
) -> None:
    data = example(FILM)
    ana = item(data, "people", "p-ana")
    ana.pop("minor", None)
    ana.update(person)
    item(data, "consents", "c-ana-deage")["signer_role"] = "guardian"
    path, _ = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 1, result.output
    assert f"c-ana-deage does not count: for u-deage: {reason}" in result.stdout
    assert "FAIL CONSENT-REPLICA-001 [critical] u-deage" in result.stdout


@pytest.mark.parametrize("claimed", ["none", "", "no exception"])
def test_an_alteration_claims_an_exception_the_agreement_has(
    run_cli: Run, tmp_path: Path, claimed: str
) -> None:
    """Any text used to switch CONTROLS-ALTERATION-001 off; only a named exception may."""
    data = example(FILM)
    alteration = copy.deepcopy(item(data, "uses", "u-voice"))
    alteration.update(
        {"id": "u-fix", "category": "digital_alteration", "new_performance": False,
         "description": "Clean up Ana Ruiz's line readings in reel 2.",
         "exception_claimed": claimed}
    )  # fmt: skip
    data["uses"].append(alteration)
    path, text = write(tmp_path, data)
    result = check(run_cli, path)
    assert result.exit_code == 2, result.output
    assert (
        f"{at(path, text, '/uses/2/exception_claimed')}: error: `uses[2].exception_claimed` is "
        f"{claimed!r}; it must be standard_post_production\n"
        "    hint: write `exception_claimed: standard_post_production`"
    ) in result.output
    alteration["exception_claimed"] = "standard_post_production"
    path, _ = write(tmp_path, data, "named.yaml")
    statuses = {
        f["status"] for f in findings(run_cli, path) if f["rule_id"] == "CONTROLS-ALTERATION-001"
    }
    assert statuses == {"pass"}
