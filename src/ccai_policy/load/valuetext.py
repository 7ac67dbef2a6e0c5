"""Values as messages show them: echoed and cut, named by kind, or written as YAML."""

from __future__ import annotations

import json
from typing import Any

#: Values echoed in messages are cut to about this many characters.
SHOWN_LENGTH = 80


def cut(text: str, limit: int = SHOWN_LENGTH) -> str:
    """Text as echoed in a message: whole when short, else its start and an ellipsis."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def shown(value: Any) -> str:
    """A value as YAML writes it (true, null, 'text', 4.2), containers by kind, long ones cut."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict | list):
        return kind_of(value)
    if isinstance(value, str) and len(value) > SHOWN_LENGTH:
        return f"{value[: SHOWN_LENGTH - 20]!r}… ({len(value):,} characters)"
    if isinstance(value, int) and abs(value) >= 10**SHOWN_LENGTH:
        return f"a number of {len(str(abs(value))):,} digits"
    return repr(value)


def kind_of(value: Any) -> str:
    """What a YAML value is, in the words of someone who wrote it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "empty"
    return "text"


def as_yaml(value: Any) -> str:
    """A value the way a person writes it in YAML flow style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return f"[{', '.join(as_yaml(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {as_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        plain = (
            value and not any(c in value for c in ":#,[]{}&*!|>'\"%@`") and value.strip() == value
        )
        lowered = value.lower()
        if plain and lowered not in ("true", "false", "null", "yes", "no", "on", "off", "~"):
            try:
                float(value)
            except ValueError:
                return value
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def line(key: str, value: Any) -> str:
    """`key: value` as a person writes it."""
    return f"`{key}: {as_yaml(value)}`" if key else f"`{as_yaml(value)}`"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
