"""JSON Schemas generated from the models; `python -m ccai_policy.schemas` rewrites schemas/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from .model.config import Config
from .model.declaration import Declaration
from .model.policy import Policy
from .model.result import Result
from .model.rule import Rule
from .model.waiver import WaiverFile

MODELS: dict[str, type[BaseModel]] = {
    "declaration": Declaration,
    "rule": Rule,
    "policy": Policy,
    "waivers": WaiverFile,
    "result": Result,
    "config": Config,
}
BASE_URI = "https://ccai-policy.dev/schemas/"


def generate(name: str) -> str:
    """The JSON Schema (draft 2020-12) of one file format, as committed in schemas/."""
    model = MODELS[name]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URI}{name}.schema.json",
        **schema,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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
