"""The committed JSON Schemas: current with the models, valid draft 2020-12, true to examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from ccai_policy.loader import load_file
from ccai_policy.schemas import MODELS, generate

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
