"""Declarations as YAML text: in PyYAML's styles, mangled piece by piece, or YAML-ish soup."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import strategies as st

from .strategies import declarations

Draw = Callable[[st.SearchStrategy[Any]], Any]


class QuotingDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting text that YAML 1.2 would read as a number (1e3, 0o17).

    PyYAML writes YAML 1.1, where such text needs no quotes; the checker reads YAML 1.2 and
    refuses them as ambiguous, so generated valid declarations quote them as a careful tool does.
    """


QuotingDumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+)$"),
    list("-+0123456789."),
)


def dump(data: Any, **options: Any) -> str:
    """YAML text of data that the checker reads back as the same data, without ambiguity."""
    return yaml.dump(data, Dumper=QuotingDumper, **options)


@st.composite
def yaml_documents(draw: Draw, data: st.SearchStrategy[Any]) -> bytes:
    """Data written as YAML in one of PyYAML's styles."""
    text = dump(
        draw(data),
        sort_keys=draw(st.booleans()),
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        width=draw(st.sampled_from([20, 80, 10_000])),
    )
    return text.encode("utf-8")


PIECES = st.sampled_from(
    [
        *":-[]{},&*!|>'\"#%@`?~=",
        "\n",
        "\n  ",
        "\n- ",
        ": ",
        "<<: ",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object:os.system ",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "\t",
        "\ufeff",
        "\x85",
        "\u2028",
        "NO",
        "1e3",
        "012",
        ".nan",
        "2026-13-45",
        "9" * 400,
        "apiVersion: ccai-policy/v1\n",
        "kind: Declaration\n",
    ]
)


@st.composite
def mangled_yaml(draw: Draw) -> bytes:
    """The YAML of a valid declaration with pieces inserted, spans deleted and bytes broken."""
    raw = bytearray(draw(yaml_documents(declarations())))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["insert", "delete", "byte"]))
        if action == "insert":
            raw[at:at] = draw(PIECES).encode("utf-8")
        elif action == "delete":
            del raw[at : at + draw(st.integers(1, 20))]
        else:
            raw[at:at] = bytes([draw(st.integers(0, 255))])
    return bytes(raw)


def yaml_soup() -> st.SearchStrategy[bytes]:
    """Text made of YAML's special characters and constructs, mostly not YAML at all."""
    return st.lists(PIECES | st.sampled_from(["a", "b", "1", " "]), max_size=60).map(
        lambda pieces: "".join(pieces).encode("utf-8")
    )
