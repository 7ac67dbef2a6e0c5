"""A declaration with an attack string in every free-text field, to prove every format escapes."""

from __future__ import annotations

import copy
from typing import Any

from ccai_policy.model.declaration import REFERENCES, Declaration

#: Markup, an attribute break-out, a template expression, and line breaks that would start a
#: new GitHub workflow command or Markdown heading if they were not escaped.
PAYLOAD = (
    '<script>alert("xss")</script> "><img src=x onerror=alert(1)> {{7*7}} '
    "%0A\n::error::injected\n## injected heading"
)
_REFERENCE_FIELDS = {(section, name) for section, name, _, _ in REFERENCES}


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _free_text(schema: dict[str, Any]) -> bool:
    """A plain string with no pattern, format, enum or constant: text a person typed."""
    options = schema.get("anyOf", [schema])
    strings = [o for o in options if o.get("type") == "string"]
    return bool(strings) and not any(
        key in o for o in strings for key in ("pattern", "format", "enum", "const")
    )


def _inject(
    data: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], section: str
) -> int:
    count = 0
    for name, prop in _resolve(schema, root).get("properties", {}).items():
        if (section, name) in _REFERENCE_FIELDS:
            continue
        options = prop.get("anyOf", [prop])
        if _free_text(prop):
            data[name] = PAYLOAD
            count += 1
        elif any(o.get("type") == "array" and _free_text(o.get("items", {})) for o in options):
            data[name] = [PAYLOAD]
            count += 1
        elif isinstance(data.get(name), dict):
            target = next(o for o in options if "$ref" in o or "properties" in o)
            count += _inject(data[name], target, root, section)
        elif isinstance(data.get(name), list):
            array = next(o for o in options if o.get("type") == "array")
            for item in data[name]:
                if isinstance(item, dict):
                    count += _inject(item, array["items"], root, section or name)
    return count


def hostile(base: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The base declaration with PAYLOAD in every free-text field; also how many were set."""
    root = Declaration.model_json_schema(by_alias=True)
    data = copy.deepcopy(base)
    count = _inject(data, root, root, "")
    return data, count
