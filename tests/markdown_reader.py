"""Markdown as GitHub renders it: cmark-gfm (GitHub's own parser), raw HTML kept, so that a
test sees any markup an escaper let through."""

from __future__ import annotations

import re

import cmarkgfm
from cmarkgfm.cmark import Options


def to_html(text: str) -> str:
    """The HTML GitHub's parser makes of a Markdown text, raw HTML passed through."""
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


def tags(html: str) -> set[str]:
    """The element names in rendered HTML."""
    return {name.lower() for name in re.findall(r"<([A-Za-z][A-Za-z0-9]*)", html)}


def mentions(html: str) -> list[str]:
    """What GitHub would turn into @mentions: an `@` then a name character, in the text."""
    text = re.sub(r"<[^>]*>", " ", html)
    return re.findall(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_-]+", text)
