"""The full result as JSON, documented by schemas/result.schema.json."""

from __future__ import annotations

from ccai_policy.model.result import Result


def render(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"
