"""The one escaper of each plain-text language that data reaches: terminal and CI log lines, and
Markdown (HTML escaping is Jinja2's autoescape, XML ElementTree's, workflow commands github's).

Data (titles, file names, messages, waiver keys) is never trusted to be one harmless line: a
newline in it would start a line of its own in a CI log, where `::error::…` is a workflow
command; ESC and C1 controls drive the terminal (OSC 52 writes the clipboard, CSI clears the
screen); bidirectional overrides reorder what a reader sees. Each becomes a visible escape.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

#: C0 and C1 controls, DEL, line and paragraph separators, bidirectional marks and overrides,
#: the byte-order mark, and lone surrogates (a file name that is not UTF-8).
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
#: What a CI log reads as a command at the start of a line: GitHub's `::name::` and `##[name]`,
#: Azure Pipelines' `##vso[`.
_COMMAND_START = re.compile(r"^(\s*)(::|##)")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: Any) -> str:
    """Data as part of one terminal or CI log line: every control character a visible escape."""
    return _CONTROL.sub(_visible, str(value))


def log_line(line: str) -> str:
    """One whole output line: controls escaped, and a line that would begin with a CI command
    (`::`, `##`) starts with an escaped first character instead."""
    return _COMMAND_START.sub(
        lambda m: m.group(1) + ("\\x3a:" if m.group(2) == "::" else "\\x23#"), terminal(line)
    )


def log_text(lines: list[str]) -> str:
    """Lines as one text, each made safe by `log_line`, each ending in a newline."""
    return "".join(log_line(line) + "\n" for line in lines)


class Markdown(str):
    """Text already in Markdown syntax; the Markdown escaper leaves it alone."""


#: Characters Markdown (GitHub flavoured) could read as syntax inside a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!]|&(?=#?[A-Za-z0-9]+;))")
#: Autolinks GitHub would make: a scheme's `://`, `www.`; mentions and e-mail addresses by `@`.
_MD_SCHEME = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_MD_WWW = re.compile(r"(?i)\b(www)\.")
_MD_MENTION = re.compile(r"@(?=[A-Za-z0-9_-])")
WORD_JOINER = "\u2060"


def markdown(value: Any) -> str:
    """Any value as literal GitHub-flavoured Markdown on one line: no markup, no link, no
    @mention (a word joiner after the `@` keeps GitHub from notifying anyone), no HTML."""
    if isinstance(value, Markdown):
        return value
    text = terminal(re.sub(r"\s+", " ", str(value)))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_SCHEME.sub(r"\\:", text)
    text = _MD_WWW.sub(r"\1\\.", text)
    return _MD_MENTION.sub("@" + WORD_JOINER, text)


def markdown_code(value: Any, in_table: bool = False) -> Markdown:
    """A code span that holds the value literally, whatever backticks it contains.

    In a table cell a '|' would end the cell even inside the span, so there it is escaped.
    """
    text = terminal(" ".join(str(value).split()))
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def markdown_prose(value: Any) -> Markdown:
    """Rule prose: `backticked` spans stay code spans, everything else is escaped."""
    parts = re.split(r"(`[^`\n]+`)", " ".join(str(value).split()))
    return Markdown(
        "".join(markdown_code(p[1:-1]) if p.startswith("`") else markdown(p) for p in parts)
    )


def markdown_link(title: Any, url: Any) -> Markdown:
    """A link whose title is escaped text; only an http(s) address becomes a link, with the
    characters that could end the destination (spaces, `<`, `>`, parentheses) percent-encoded.
    Any other address is shown as code beside the title, never followed."""
    text, address = markdown(title), " ".join(str(url).split())
    if urlsplit(address).scheme not in ("http", "https"):
        return Markdown(f"{text} ({markdown_code(address)})")
    return Markdown(f"[{text}](<{quote(address, safe=_URL_SAFE)}>)")


#: What stays as written in a link destination: every URL character but `<`, `>`, `(`, `)`,
#: spaces, backslashes and backticks.
_URL_SAFE = "/:?#[]@!$&'*+,;=%-._~"


def markdown_fence(text: str, info: str = "", indent: int = 0) -> Markdown:
    """A fenced code block holding the text literally: the fence is longer than any run of
    backticks inside, so nothing in the text can close it; controls are shown as escapes.
    Every line after the first is indented by `indent` spaces (a block inside a list item)."""
    lines = [terminal(line) for line in text.split("\n")]
    longest = max((len(m) for line in lines for m in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markdown(f"\n{' ' * indent}".join([f"{fence}{info}", *lines, fence]))
