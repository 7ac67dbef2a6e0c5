"""Output formats: one module each, every one exposing `render(result) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from ..model.result import Result
from . import github, html, json, junit, markdown, sarif, text

Renderer = Callable[[Result], str]
PageRenderer = Callable[[Result], dict[str, str]]

#: Every output format by the name users give to --format and -o.
FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json.render,
    "html": html.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "github": github.render,
}

#: Formats that can also fill a directory (`-o html:DIR/`): relative file name -> content.
DIRECTORY_FORMATS: dict[str, PageRenderer] = {
    "html": html.render_pages,
}
