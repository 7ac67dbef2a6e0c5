"""Reports: one module per output format, each with `render(result) -> str`, and the diff pages."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ccai_policy.model.result import Result

if TYPE_CHECKING:
    from ccai_policy.run.diff import DeclarationDiff

Renderer = Callable[[Result], str]
PageRenderer = Callable[[Result], dict[str, str]]


def _lazy(module: str, function: str = "render") -> Any:
    """A format's function, its module imported on first use: a run imports only what it
    renders (the HTML report alone pulls in Jinja2, ~0.1 s of every cold start)."""

    def call(result: Any) -> Any:
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)(result)

    call.__name__ = f"{module}.{function}"
    return call


#: Every output format by the name users give to --format and -o.
FORMATS: dict[str, Renderer] = {
    name: _lazy(name) for name in ("text", "json", "html", "sarif", "junit", "markdown", "github")
}

#: Formats that read each declaration's own data (DeclarationResult.declaration): the JSON
#: result, and the HTML report's labels and people view. A run writing neither skips it.
READ_DECLARATION = frozenset({"json", "html"})

#: Formats that can also fill a directory (`-o html:DIR/`): relative file name -> content.
DIRECTORY_FORMATS: dict[str, PageRenderer] = {
    "html": _lazy("html", "render_pages"),
}

#: The formats `ccai-policy diff --format` accepts: what changed between two declarations.
DIFF_FORMATS: dict[str, Callable[[DeclarationDiff], str]] = {
    "text": _lazy("diffreport", "render_text"),
    "markdown": _lazy("diffreport", "render_markdown"),
    "html": _lazy("diffhtml"),
}
