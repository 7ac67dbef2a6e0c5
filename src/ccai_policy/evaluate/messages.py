"""Write what a failing item's finding says: the information it lacks, or the rule's message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ccai_policy.evaluate.compiler import TEMPLATE, CompiledNeed, CompiledRule
from ccai_policy.evaluate.expressions import MAX_RENDERED, Compiled, ExpressionError
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.digest import NEEDS_INFORMATION

#: A part's value for the failing item (raises ExpressionError when it has none).
Value = Callable[[Compiled], Any]
#: What an error finding says when a rule's message cannot be written; `rules lint` looks for it.
MESSAGE_ERROR = "cannot write the message for"


class MessageError(Exception):
    """A rule's message template could not be written for an item."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(source, reason)
        self.source = source
        self.reason = reason


def render_template(value: Value, parts: list[str | Compiled], text: str) -> str:
    """A template's text with each `{{ cel }}` replaced by its value (`text` as written)."""
    out = []
    expressions = 0
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        try:
            out.append(render_value(value(part)))
        except ExpressionError as exc:
            written = [m.group(1).strip() for m in TEMPLATE.finditer(text)]
            source = written[expressions] if expressions < len(written) else part.source
            raise MessageError(source, str(exc)) from None  # as the rule's author wrote it
        expressions += 1
    return "".join(out).strip()


class ItemPositions:
    """Where the item with an id is in its section, the first such item (one look per section,
    so that a declaration's findings cost time in proportion to their number)."""

    def __init__(self, declaration: Declaration) -> None:
        self._declaration = declaration
        self._sections: dict[str, dict[Any, int]] = {}

    def find(self, section: str, wanted: Any) -> int | None:
        positions = self._sections.get(section)
        if positions is None:
            positions = self._sections[section] = {}
            for position, item in enumerate(getattr(self._declaration, section, ())):
                positions.setdefault(getattr(item, "id", None), position)
        try:
            return positions.get(wanted)
        except TypeError:  # unhashable: a list or a map is no item's id
            return None


def failure_message(
    value: Value, positions: ItemPositions, compiled: CompiledRule, pointer: str
) -> tuple[str, str | None]:
    """What a failing item's finding says, and the pointer of the unknown fact it asks for
    (None: the rule's own message, located on the item at `pointer`).

    Raises MessageError when a template cannot be written.
    """
    for need in compiled.needs:
        try:
            unknown = value(need.when)
        except ExpressionError:
            continue
        if unknown is not True:
            continue
        at = _needed_at(value, positions, need, pointer) + "/" + need.need.field
        ask = render_template(value, need.ask_parts, need.need.ask)
        return f"{NEEDS_INFORMATION}{ask}", at
    rule = compiled.loaded.rule
    return render_template(value, compiled.message_parts, rule.message), None


def _needed_at(value: Value, positions: ItemPositions, need: CompiledNeed, pointer: str) -> str:
    """Where an unknown fact lives: on the item, or on the item of another section."""
    section = need.need.in_section
    if section is None:
        return pointer
    if need.in_id is None:
        return f"/{section}"
    try:
        wanted = value(need.in_id)
    except ExpressionError:
        return pointer
    position = positions.find(section, wanted)
    return pointer if position is None else f"/{section}/{position}"


def unwritable_message(subject: str, title: str, error: MessageError) -> str:
    """The error finding's message, in the rule's own words, never the raw template."""
    source = " ".join(error.source.split())
    reason = " ".join(error.reason.split())
    return (
        f"{MESSAGE_ERROR} {subject}, which fails the rule “{title}”: "
        f"{{{{ {source} }}}} gave {reason}"
    )


def render_value(value: Any) -> str:
    """How a CEL value appears inside a finding message, cut to MAX_RENDERED characters."""
    text = _render(value)
    if len(text) > MAX_RENDERED:
        return f"{text[:MAX_RENDERED]}… ({len(text):,} characters)"
    return text


def _render(value: Any) -> str:
    if type(value) is str:  # most values: ids and names
        return value
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if not value:
            return "(none)"
        return ", ".join([v if type(v) is str else _render(v) for v in value])
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text[:10] if text.endswith("T00:00:00+00:00") else text.replace("+00:00", "Z")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
