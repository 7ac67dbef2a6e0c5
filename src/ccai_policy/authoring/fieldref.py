"""The field reference a person reads: every section and field, from the models, as Markdown."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import AnyUrl, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ccai_policy.load.valuetext import as_yaml
from ccai_policy.model.vocabulary import field_values, human_title
from ccai_policy.report.escaping import markdown_code, markdown_prose

#: Where the declaration's reference is committed, and the command that writes it.
DECLARATION_REFERENCE = "docs/fields.md"
COMMAND = "ccai-policy schema declaration --format markdown > docs/fields.md"
TITLES = {
    "declaration": "Declaration fields",
    "rule": "Rule file fields",
    "policy": "Policy file fields",
    "waivers": "Waiver file fields",
    "result": "Result (JSON output) fields",
    "config": "Configuration file fields",
}


def reference(name: str) -> str:
    """The Markdown reference of one format; the declaration's says which rules read each field."""
    from ccai_policy.model.schemas import MODELS
    from ccai_policy.paths import data_dir
    from ccai_policy.policy.catalog import load_rules

    rules = (
        [loaded.rule for loaded in load_rules(data_dir("rules"))] if name == "declaration" else None
    )
    command = f"ccai-policy schema {name} --format markdown"
    return render(MODELS[name], TITLES[name], command, rules)


def _kinds(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return [k for arg in typing.get_args(annotation) for k in _kinds(arg)]
    return [annotation]


def _main(annotation: Any) -> Any:
    return next((k for k in _kinds(annotation) if k is not type(None)), type(None))


def _model_of(annotation: Any) -> type[BaseModel] | None:
    kind = _main(annotation)
    if typing.get_origin(kind) is list:
        kind = _main(typing.get_args(kind)[0])
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def type_words(annotation: Any) -> str:
    """What kind of value a field takes, in words."""
    kind = _main(annotation)
    if typing.get_origin(kind) is list:
        return f"a list of {_plural(type_words(typing.get_args(kind)[0]))}"
    if typing.get_origin(kind) is dict:
        return "a mapping of names to values"
    if typing.get_origin(kind) is typing.Literal:
        values = typing.get_args(kind)
        return f"`{values[0]}`" if len(values) == 1 else "one of the values below"
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return f"a mapping ({human_title(kind.__name__).lower()})"
    words = {
        str: "text",
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        dt.date: "a date, YYYY-MM-DD",
        dt.datetime: "a date and time with a time zone, YYYY-MM-DDTHH:MM:SSZ",
        AnyUrl: "a web address",
    }
    return words.get(kind, "a value")


def _plural(words: str) -> str:
    if words.startswith("a mapping"):
        return "mappings" + words.removeprefix("a mapping")
    if words == "one of the values below":
        return "values from those below"
    return {"text": "texts", "a date, YYYY-MM-DD": "dates"}.get(words, words.removeprefix("a "))


def _escape(text: str) -> str:
    """Model prose as Markdown: `code` spans kept, the rest escaped by the one Markdown escaper."""
    return markdown_prose(text)


def _sections(model: type[BaseModel], path: str) -> Iterable[tuple[str, type[BaseModel]]]:
    yield path, model
    for name, info in model.model_fields.items():
        sub = _model_of(info.annotation)
        if sub is None:
            continue
        many = typing.get_origin(_main(info.annotation)) is list
        key = info.alias or name
        yield from _sections(sub, f"{path}.{key}{'[]' if many else ''}".lstrip("."))


#: Fields read by the checks that options switch on, besides the rules.
OPTION_READERS = {
    "assets[].path": "--verify-credentials",
    "assets[].content_credentials.manifest": "--verify-credentials",
    "consents[].evidence.path": "--verify-evidence",
    "consents[].evidence.sha256": "--verify-evidence",
}


def _readers(section: str, key: str, rules: list[Any]) -> list[str]:
    """The rules whose expressions read a field of a section (by name, so a close estimate):
    as an attribute (`use.creative`), through the index built on it (`notices_by_use`) or,
    for a timestamp, through its twin on its own clock (`sent_local`)."""
    from ccai_policy.evaluate.programs import INDEXES
    from ccai_policy.evaluate.timeplace import LOCAL_TIMES, local_name

    top = section.split(".")[0].removesuffix("[]")
    found = []
    indexes = [name for name, (s, field, _) in INDEXES.items() if (s, field) == (top, key)]
    names = [key, *(local_name(key) for _, _, field in LOCAL_TIMES if field == key)]
    attribute = re.compile(
        "|".join([*(rf"\.{re.escape(name)}\b" for name in names), *(rf"\b{i}\b" for i in indexes)])
    )
    for rule in rules:
        text = " ".join(
            str(part or "")
            for part in (rule.applies_when, rule.where, rule.assert_, rule.message, rule.at)
        )
        about = rule.for_each == top or re.search(rf"\b{re.escape(top)}(_by_\w+)?\b", text)
        if about and (attribute.search(text) or rule.at == key):
            found.append(rule.id)
    return sorted(found)


def render(model: type[BaseModel], title: str, command: str, rules: list[Any] | None) -> str:
    """The reference of one file format: sections, fields, meanings, values, examples, readers."""
    sections = list(_sections(model, ""))
    out = [
        f"# {title}",
        "",
        f"Generated from the models by `{command}`; a test keeps it current, so do not edit it "
        "by hand. Editors read the same descriptions from the JSON Schema in `schemas/`.",
        "",
        "Sections:",
        "",
    ]
    for path, sub in sections[1:]:
        out.append(f"- [`{path}`](#{_anchor(path)}): {_escape(sub.__doc__ or '').strip()}")
    for path, sub in sections:
        out.extend(["", f"## `{path}` section" if path else "## The file", ""])
        out.append(_escape((sub.__doc__ or "").strip()))
        for name, info in sub.model_fields.items():
            out.extend(_field(path, info.alias or name, info, rules))
    return "\n".join(out).rstrip() + "\n"


def _anchor(path: str) -> str:
    """GitHub's id for the heading of a section."""
    return re.sub(r"[^a-z0-9 _-]", "", f"{path} section".lower()).replace(" ", "-")


def _field(section: str, key: str, info: FieldInfo, rules: list[Any] | None) -> list[str]:
    required = info.is_required()
    where = f"{section}.{key}" if section else key
    lines = ["", f"### `{where}`", ""]
    need = "Required." if required else _default(info)
    lines.append(f"{_escape(info.description or '')} {need}".strip())
    lines.extend(["", f"- Value: {type_words(info.annotation)}."])
    sub = _model_of(info.annotation)
    if sub is not None:
        many = "[]" if typing.get_origin(_main(info.annotation)) is list else ""
        lines.append(f"- Its fields: see [`{where}{many}`](#{_anchor(where + many)}).")
    if info.examples:
        lines.append(f"- Example: {markdown_code(f'{key}: {as_yaml(info.examples[0])}')}")
    if rules is not None and section and sub is None:
        readers = _readers(section, key, rules)
        option = OPTION_READERS.get(f"{section}.{key}")
        readers += [f"`check {option}`"] if option else []
        shown = ", ".join(readers) if readers else "none: informational, shown in reports"
        lines.append(f"- Read by rules: {shown}.")
    values = field_values(info)
    if len(values) > 1:
        lines.extend(["", "Allowed values:", ""])
        lines.extend(
            f"- {markdown_code(value)}: {_escape(meaning)}" for value, meaning in values.items()
        )
    return lines


def _default(info: FieldInfo) -> str:
    if info.default_factory is list or info.default_factory is dict:
        return f"Optional; `{'[]' if info.default_factory is list else '{}'}` when left out."
    if info.default is PydanticUndefined or info.default is None:
        return "Optional."
    return f"Optional; `{as_yaml(info.default)}` when left out."
