"""Validation of declarations: every problem of a file at once, located, in plain words."""

from __future__ import annotations

import pytest

from ccai_policy.errors import ValidationErrors
from ccai_policy.load.loader import load_file, load_text
from ccai_policy.load.validation import validate_declaration, validate_model
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.rule import Rule

from .conftest import EXAMPLES, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "declarations"
MANY = "tests/fixtures/declarations/many-problems.yaml"
BOOLEAN_HINT = "write true or false; put it in quotes if it is text"

#: Every problem in many-problems.yaml: where, what, and the hint, in the order of the file.
EXPECTED = [
    (
        f"{MANY}:5:1",
        "`production.studio` is missing: the company responsible for the declaration",
        "add it, for example `studio: Harbor Studios LLC`",
    ),
    (
        f"{MANY}:9:24",
        "`production.territories[1]`: 'NO' is true or false to some YAML readers and text to "
        "others",
        BOOLEAN_HINT,
    ),
    (
        f"{MANY}:18:5",
        "`people[1].name`: 'yes' is true or false to some YAML readers and text to others",
        BOOLEAN_HINT,
    ),
    (
        f"{MANY}:20:5",
        "`people[1].unoin` is not a field: there is no field `unoin` here",
        "did you mean 'union'?",
    ),
    (
        f"{MANY}:21:5",
        "`people[2].id` is 'p-ana', the id of people[0] too (line 13)",
        "give each item in a section its own id",
    ),
    (
        f"{MANY}:29:5",
        "`tools[0].version` is 4.2, but it should be text",
        'if it is text, put it in quotes as you wrote it, e.g. `version: "4.2"`',
    ),
    (
        f"{MANY}:40:5",
        "`uses[1].tool` names 't-voice', but there is no tool with that id",
        "add it to 'tools' or correct the id; the ids there are 't-deage'",
    ),
    (
        f"{MANY}:51:16",
        "`uses[3].subjects[0]` names 'p-anna', but there is no person with that id",
        "did you mean 'p-ana'?",
    ),
    (
        f"{MANY}:58:5",
        "`consents[0].separately_signed` is 'maybe', but it should be true or false",
        "write `separately_signed: true` or `separately_signed: false`, without quotes",
    ),
    (
        f"{MANY}:65:14",
        "`compensation[0].amount.value` is nan, which is not an amount",
        "write the actual number, e.g. `value: 2500`",
    ),
    (
        f"{MANY}:68:3",
        "`workforce.positions_displaced` is 'many', but it should be a whole number",
        "write digits only, without quotes, e.g. `positions_displaced: 2`",
    ),
]
EXPECTED_IDS = [
    "missing required field",
    "country NO: YAML 1.1 and 1.2 disagree",
    "name yes: YAML 1.1 and 1.2 disagree",
    "unknown field with did-you-mean",
    "duplicate id",
    "number where text is expected",
    "dangling reference",
    "dangling reference with did-you-mean",
    "wrong type: boolean",
    "NaN",
    "wrong type: integer",
]


def problems_of(text: str, path: str = "d.yaml") -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationErrors) as caught:
        validate_declaration(load_text(text, path))
    return [(str(p.location), p.message, p.hint) for p in caught.value.problems]


@pytest.fixture(scope="module")
def many_problems() -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationErrors) as caught:
        validate_declaration(load_file(ROOT / MANY, display=MANY))
    return [(str(p.location), p.message, p.hint) for p in caught.value.problems]


@pytest.mark.parametrize("expected", EXPECTED, ids=EXPECTED_IDS)
def test_each_problem_is_located_and_explained(
    many_problems: list[tuple[str, str, str]], expected: tuple[str, str, str]
) -> None:
    assert expected in many_problems


def test_all_problems_of_a_file_come_at_once_in_file_order(
    many_problems: list[tuple[str, str, str]],
) -> None:
    """Schema errors and reference errors together: nothing hides behind the first one."""
    assert many_problems == EXPECTED


def test_the_compliant_example_validates() -> None:
    path = EXAMPLES / "feature-film-compliant.yaml"
    declaration = validate_declaration(load_file(path))
    assert isinstance(declaration, Declaration)
    assert declaration.production.id == "prod-lighthouse"


EXAMPLE = (EXAMPLES / "feature-film-compliant.yaml").read_text(encoding="utf-8")


def example_with(old: str, new: str) -> str:
    assert old in EXAMPLE, f"the example no longer contains {old!r}"
    return EXAMPLE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message", "hint"),
    [
        (
            "  type: film\n",
            "  type: serie\n",
            "`production.type` is 'serie', which is not one of the allowed values",
            "did you mean 'series'? allowed: 'film', 'series', 'game' or 'commercial'",
        ),
        (
            "    name: Ana Ruiz\n",
            "    name: Ana Ruiz\n    categry: principal\n",
            "`people[0].categry` is not a field: there is no field `categry` here",
            "the fields here are 'deceased_on', 'group_size', 'id', 'minor', 'name', "
            "'representation', 'rights_holder', 'roles' or 'union'; check the spelling",
        ),
        (
            "  - id: u-deage\n",
            "  - id: u-deage\n    Categry: principal\n",
            "`uses[0].Categry` is not a field: there is no field `Categry` here",
            "did you mean 'category'?",
        ),
        (
            "    signed_on: 2026-05-11\n",
            "    signed_on: 11/05/2026\n",
            "`consents[0].signed_on` is '11/05/2026', which is not a date",
            "write dates as year-month-day, YYYY-MM-DD, e.g. `signed_on: 2026-05-11`",
        ),
        (
            "    roles: [director]\n",
            "    roles: director\n",
            "`people[1].roles` is 'director', but it should be a list",
            "write it as a list: `roles: [director]`",
        ),
        (
            "  positions_displaced: 0\n",
            "  positions_displaced: [0]\n",
            "`workforce.positions_displaced` is a list, but it should be a whole number",
            "write digits only, without quotes, e.g. `positions_displaced: 2`",
        ),
        (
            "amount: {value: 18000, currency: USD}",
            "amount: {value: .inf, currency: USD}",
            "`compensation[1].amount.value` is inf, which is not an amount",
            "write the actual number, e.g. `value: 2500`",
        ),
        (
            "amount: {value: 18000, currency: USD}",
            'amount: {value: "18000", currency: USD}',
            "`compensation[1].amount.value` is '18000', but it should be a number",
            "write digits without quotes, currency signs or thousands separators, "
            "e.g. `value: 2500`",
        ),
        (
            "    creative: true\n",
            '    creative: "true"\n',
            "`uses[0].creative` is 'true', but it should be true, false or unknown",
            "write `creative: true`, `creative: false` or `creative: unknown`, without quotes "
            "around true or false",
        ),
        (
            "    creative: true\n",
            "    creative: yes\n",
            "`uses[0].creative`: 'yes' is true or false to some YAML readers and text to others",
            "write true or false; put it in quotes if it is text",
        ),
        (
            "      notified_at: 2026-05-10T09:00:00Z\n",
            "      notified_at: 2026-05-10T09:00:00\n",
            "`uses[0].scan.notified_at` is '2026-05-10T09:00:00', a time without a time zone",
            "add Z for UTC or an offset such as +02:00, e.g. `notified_at: 2026-05-10T09:00:00Z`",
        ),
        (
            "    signed_on: 2026-05-11\n",
            "    signed_on: 20260511\n",
            "`consents[0].signed_on` is 20260511, which is not a date",
            "write dates as year-month-day, YYYY-MM-DD, e.g. `signed_on: 2026-05-11`",
        ),
    ],
    ids=[
        "enum value with did-you-mean",
        "a field of another section is not suggested",
        "the field of this section is suggested",
        "date in another format",
        "text where a list is expected",
        "list where a number is expected",
        "infinity",
        "a number in quotes is text",
        "true in quotes is text",
        "yes is refused",
        "a time without a zone",
        "a number is not a date",
    ],
)
def test_single_mistakes_in_the_example(old: str, new: str, message: str, hint: str) -> None:
    [(where, got_message, got_hint)] = problems_of(example_with(old, new))
    assert (got_message, got_hint) == (message, hint)
    changed = new.splitlines()[-1]
    lines = example_with(old, new).splitlines()
    line = next(number for number, text in enumerate(lines, 1) if changed in text)
    assert where.startswith(f"d.yaml:{line}:")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("- apiVersion: ccai-policy/v1\n- kind: Declaration\n", "a list"),
        ("just some text\n", "text"),
        ("---\n", "an empty document"),
        ("42\n", "a number"),
    ],
    ids=["top-level list", "text", "only a separator", "number"],
)
def test_a_declaration_must_be_a_mapping(text: str, kind: str) -> None:
    [(where, message, hint)] = problems_of(text)
    assert where.startswith("d.yaml:")
    assert message == f"a declaration must be a mapping of keys to values, not {kind}"
    assert hint == "start the file with 'apiVersion: ccai-policy/v1'"


def test_other_formats_say_what_they_expected() -> None:
    with pytest.raises(ValidationErrors) as caught:
        validate_model(Rule, load_text("- id: X\n", "r.yaml"), what="rule")
    [problem] = caught.value.problems
    assert str(problem) == (
        "r.yaml:1:1: a rule must be a mapping of keys to values, not a list (see the schema)"
    )


def test_references_are_checked_even_when_items_have_schema_errors() -> None:
    """A person with a typo in a field still exists: no false 'no person' errors follow."""
    text = example_with("    name: Ana Ruiz\n", "    name: Ana Ruiz\n    unoin: SAG-AFTRA\n")
    messages = [message for _, message, _ in problems_of(text)]
    assert messages == ["`people[0].unoin` is not a field: there is no field `unoin` here"]


def test_duplicate_ids_are_per_section() -> None:
    """A consent may share an id with a use; ids are unique within a section."""
    text = example_with("  - id: c-ana-voice\n", "  - id: u-voice\n")
    declaration = validate_declaration(load_text(text, "d.yaml"))
    assert [c.id for c in declaration.consents] == ["c-ana-deage", "u-voice"]


@pytest.mark.parametrize(
    "data",
    [
        {"a": [1, "x", {"b": 2**63 - 1}], "c": -(2**63), "d": True},
        {"a": [1, "x", {"b": 2**63}]},
        {"a": [[[[-(2**63) - 1]]]]},
        [{"id": "u"}, {"n": 10**30}],
        {"a": "9" * 40, "b": None, "c": 1.5e300},
    ],
    ids=["in range", "2**63", "below -(2**63), nested", "a list at the top", "texts"],
)
def test_the_quick_look_for_huge_integers_finds_what_the_located_walk_finds(data: object) -> None:
    from ccai_policy.load.validation import _any_huge_integer, _huge_integers

    assert _any_huge_integer(data) == bool(list(_huge_integers(data, ())))
