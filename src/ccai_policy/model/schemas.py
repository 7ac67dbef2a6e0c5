"""JSON Schemas generated from the models; `python -m ccai_policy.model.schemas` writes them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from ccai_policy.model.config import Config
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.policy import Policy
from ccai_policy.model.result import Result
from ccai_policy.model.rule import Rule
from ccai_policy.model.waiver import WaiverFile

MODELS: dict[str, type[BaseModel]] = {
    "declaration": Declaration,
    "rule": Rule,
    "policy": Policy,
    "waivers": WaiverFile,
    "result": Result,
    "config": Config,
}
#: Stable ids: a name, not an address (no web site serves the schemas; files in schemas/ do).
ID_PREFIX = "urn:ccai-policy:schema:v1:"
#: What the null branch of an optional field means, for editors that show each branch.
NOT_GIVEN = "Not given: the same as leaving the field out."


def schema_id(name: str) -> str:
    return f"{ID_PREFIX}{name}"


def generate(name: str) -> str:
    """The JSON Schema (draft 2020-12) of one file format, as committed in schemas/."""
    model = MODELS[name]
    # The result is written, never read: its schema is that of the output, digest included.
    mode: Literal["validation", "serialization"] = (
        "serialization" if name == "result" else "validation"
    )
    schema = model.model_json_schema(by_alias=True, mode=mode)
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(name),
        **_tidy(schema),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _tidy(node: Any) -> Any:
    """Optional fields as one schema with `type: [..., "null"]` where they can be, so that an
    editor's hover shows the field's own title once ("First used on"), not once per branch."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _tidy(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
        other = next(b for b in branches if b != {"type": "null"})
        if "$ref" not in other and isinstance(other.get("type"), str):
            merged = {**other, "type": [other["type"], "null"]}
            if "enum" in merged:
                merged["enum"] = [*merged["enum"], None]
                merged["enumDescriptions"] = [*merged.get("enumDescriptions", []), NOT_GIVEN]
            del node["anyOf"]
            node = {**merged, **node}
        else:
            title = node.get("title", "")
            node["anyOf"] = [
                other,
                {"type": "null", "title": f"{title} not given".strip(), "description": NOT_GIVEN},
            ]
    return node


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MODELS:
        path = directory / f"{name}.schema.json"
        path.write_text(generate(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas")
    for written in write_all(target):
        print(written)
