"""Output formats: one module each, every one exposing `render(result) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from ..model.result import Result
from . import json, text

Renderer = Callable[[Result], str]

#: Every output format by the name users give to --format and -o.
FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json.render,
}
