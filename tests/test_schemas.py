"""The committed JSON Schemas: current with the models, valid draft 2020-12, true to examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from ccai_policy.load.loader import load_file
from ccai_policy.model.schemas import MODELS, generate

from .conftest import EXAMPLES, ROOT

SCHEMAS = ROOT / "schemas"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def committed(name: str) -> Any:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_committed_schema_is_current(name: str) -> None:
    path = SCHEMAS / f"{name}.schema.json"
    assert path.exists(), f"schemas/{name}.schema.json is missing; run `make schemas`"
    assert path.read_text(encoding="utf-8") == generate(name), (
        f"schemas/{name}.schema.json is stale: the models changed; run `make schemas` "
        "and commit the result with the change"
    )


def test_no_schema_file_without_a_model() -> None:
    names = sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json"))
    assert names == sorted(MODELS), "remove schema files whose model is gone"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = committed(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.fixture(scope="module")
def declaration_validator() -> Draft202012Validator:
    return Draft202012Validator(
        committed("declaration"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_example_validates_against_the_declaration_schema(
    declaration_validator: Draft202012Validator, path: Path
) -> None:
    data = load_file(path).data
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in declaration_validator.iter_errors(data)
    ]
    assert errors == []


def test_the_declaration_schema_rejects_what_validation_rejects(
    declaration_validator: Draft202012Validator,
) -> None:
    """Not a schema that accepts anything: the mistakes of many-problems.yaml are caught.

    `NO` and `yes` are text to YAML 1.2 (and so to the schema, and to editors); the checker
    refuses them as read differently by YAML 1.1 (see test_validation), which is stricter.
    """
    data = load_file(ROOT / "tests" / "fixtures" / "declarations" / "many-problems.yaml").data
    paths = {"/".join(map(str, e.absolute_path)) for e in declaration_validator.iter_errors(data)}
    assert {
        "production",  # studio is missing
        "people/1",  # unoin is not a field
        "tools/0/version",  # 4.2 is a number
        "workforce/positions_displaced",  # many is not an integer
    } <= paths


def _properties(node: Any, where: str) -> list[tuple[str, Any]]:
    """Every property schema below a schema node, with a path to name it in a failure."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            found.append((f"{where}.{name}", prop))
        for key, value in node.items():
            found.extend(_properties(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_properties(value, f"{where}[{index}]"))
    return found


def _enums(node: Any, where: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append((where, node))
        for key, value in node.items():
            found.extend(_enums(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_enums(value, f"{where}[{index}]"))
    return found


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_property_has_a_description_and_a_human_title(name: str) -> None:
    properties = _properties(committed(name), name)
    assert len(properties) > 3
    undescribed = [where for where, prop in properties if not prop.get("description", "").strip()]
    assert undescribed == []
    schema = committed(name)

    def title(prop: Any) -> str:  # a reference shows the title of what it references
        ref = prop.get("$ref", "")
        return str(
            prop.get("title") or schema["$defs"][ref.rsplit("/", 1)[-1]]["title"]
            if ref
            else prop.get("title", "")
        )

    titles = [title(prop) for _, prop in properties]
    assert all(titles), "every property has a title"
    generated = [t for t in titles if " " in t and t == t.title() and t.lower() != t]
    assert generated == [], "titles read as words, not as Title Cased field names"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_enum_value_has_a_description(name: str) -> None:
    enums = _enums(committed(name), name)
    for where, node in enums:
        descriptions = node.get("enumDescriptions", [])
        assert len(descriptions) == len(node["enum"]), f"{where}: a description per value"
        assert all(d.strip() for d in descriptions), f"{where}: an empty description"


def test_the_use_categories_carry_the_agreements_definitions() -> None:
    schema = committed("declaration")
    category = schema["$defs"]["Use"]["properties"]["category"]
    meaning = dict(zip(category["enum"], category["enumDescriptions"], strict=True))
    assert meaning["employment_based_digital_replica"].startswith(
        "Employment-Based Digital Replica (SAG-AFTRA)"
    )
    assert "not recognisable as any real person" in meaning["synthetic_performer"]
    assert "WGA MBA Article 72" in meaning["gai_literary_material"]


def test_optional_fields_show_one_title_in_editors() -> None:
    """No anyOf whose branches lack titles: an editor's hover would repeat the field's title."""
    first_used = committed("declaration")["$defs"]["Use"]["properties"]["first_used_on"]
    assert first_used["title"] == "First used on"
    assert first_used["type"] == ["string", "null"] and "anyOf" not in first_used
    for name in MODELS:
        for where, prop in _properties(committed(name), name):
            for branch in prop.get("anyOf", []):
                assert "$ref" in branch or branch.get("title"), f"{where}: an untitled branch"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_schema_ids_are_stable_names(name: str) -> None:
    assert committed(name)["$id"] == f"urn:ccai-policy:schema:v1:{name}"


def test_the_schema_checks_who_a_notice_goes_to_as_validation_does(
    declaration_validator: Draft202012Validator,
) -> None:
    data = load_file(EXAMPLES / "feature-film-compliant.yaml").data
    assert not list(declaration_validator.iter_errors(data))
    data["notices"][0]["to"] = "DGA"  # a director consultation sent to the guild
    errors = list(declaration_validator.iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["notices", 0, "to"]]
