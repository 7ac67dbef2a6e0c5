"""The one way ccai-policy builds a Jinja2 environment for its bundled templates."""

from __future__ import annotations

from collections.abc import Callable

import jinja2


def template_environment(
    directory: str, *, autoescape: bool | Callable[[str | None], bool] = True
) -> jinja2.Environment:
    """Templates from a directory; undefined names are errors, whitespace is trimmed."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
