"""A sparse document (positions only where findings point) locates every pointer as a full one."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.generate import declaration_text

from ccai_policy.errors import LoadError
from ccai_policy.load.loader import Document, load_text
from ccai_policy.load.yamlnodes import SPARSE_DEPTH

from .conftest import EXAMPLES, ROOT

DECLARATIONS = sorted(EXAMPLES.glob("*.yaml")) + sorted(
    (ROOT / "tests" / "fixtures" / "declarations").glob("*.yaml")
)


def _pointers(document: Document) -> list[str]:
    """Every recorded pointer, each with a child and a grandchild that have no position."""
    return [
        p
        for pointer in document.positions
        for p in (pointer, f"{pointer}/nothing", f"{pointer}/nothing/here")
    ]


def _same_locations(text: str, name: str) -> Document:
    full = load_text(text, name)
    try:
        sparse = load_text(text, name, sparse=True)
    except LoadError as exc:
        pytest.fail(f"{name}: the sparse load raised what the full one did not: {exc}")
    assert repr(sparse.data) == repr(full.data)  # repr: NaN is not equal to itself
    assert sparse.ambiguous == full.ambiguous
    for pointer in _pointers(full):
        assert sparse.locate(pointer) == full.locate(pointer), pointer
    return sparse


@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_every_declaration_is_located_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        load_text(text, path.name)
    except LoadError as full:
        with pytest.raises(LoadError) as raised:
            load_text(text, path.name, sparse=True)
        assert str(raised.value) == str(full)
        return
    _same_locations(text, path.name)


def test_a_generated_declaration_is_sparse_and_located_alike() -> None:
    sparse = _same_locations(declaration_text(2026, 1, 30), "decl.yaml")
    assert sparse.sparse
    assert all(p.count("/") <= SPARSE_DEPTH for p in sparse.positions)
    # An item's fields are kept by item (Document.fields), not as pointers.
    assert not any(
        p.startswith("/uses/") and p.count("/") == SPARSE_DEPTH for p in sparse.positions
    )
    assert sorted(sparse.fields["/uses/0"]) == sorted(sparse.data["uses"][0])


def test_fields_whose_keys_need_escaping_or_sit_far_right_are_located_alike() -> None:
    text = (
        "apiVersion: ccai-policy/v1\nuses:\n  - id: u-1\n    a/b: 1\n    c~d: 2\n"
        f"  - {{id: u-2, {' ' * 300}e: [1, 2]}}\n"
    )
    sparse = _same_locations(text, "keys.yaml")
    assert sparse.sparse
    assert sparse.locate("/uses/0/a~1b").line == 4
    assert (sparse.locate("/uses/1/e").line, sparse.locate("/uses/1/e").column) == (6, 315)


ANCHORED = """\
apiVersion: ccai-policy/v1
base: &base
  scope: {productions: [p-1], media: [film]}
uses:
  - id: u-1
    <<: *base
    subjects: [a, b]
  - *base
"""


def test_anchors_aliases_and_merges_are_parsed_in_full() -> None:
    document = _same_locations(ANCHORED, "anchored.yaml")
    assert not document.sparse
    assert document.locate("/uses/0/scope/productions/0").line == 3


def test_a_value_yaml_versions_disagree_on_is_parsed_in_full() -> None:
    document = _same_locations("a:\n  b:\n    c:\n      d: yes\n", "yes.yaml")
    assert not document.sparse
    assert document.ambiguous == load_text("a:\n  b:\n    c:\n      d: yes\n", "x").ambiguous


def test_a_duplicate_key_deep_down_is_reported_as_in_full() -> None:
    text = "a:\n  b:\n    c:\n      d: 1\n      d: 2\n"
    with pytest.raises(LoadError) as full:
        load_text(text, "dup.yaml")
    with pytest.raises(LoadError) as sparse:
        load_text(text, "dup.yaml", sparse=True)
    assert str(sparse.value) == str(full.value)
    assert "duplicate key 'd' (first defined at line 4, column 7)" in str(full.value)


def test_a_pointer_without_its_leading_slash_is_located_at_its_nearest_ancestor() -> None:
    """Never a loop: `uses/0` has no parent pointer of its own, so the root is its ancestor."""
    for sparse in (False, True):
        document = load_text("uses:\n  - id: u-1\n", "f.yaml", sparse=sparse)
        assert (document.locate("uses/0").line, document.locate("uses")) == (1, document.locate(""))


@pytest.mark.parametrize(
    "field",
    [
        "'quoted': 1",
        '"double": 1',
        "!!str tagged: 1",
        "!!int kind: 1",
        "!!null kind: 1",
        "? explicit\n    : 1",
        "&anchored kind: 1",
        "1: not text",
        "<<: {merged: 1}",
        "id: u-2\n    id: again",
        "note: !!str 3",
        "deep: {id: x, id: y}",
    ],
    ids=lambda f: f.split(":")[0],
)
def test_an_item_field_of_any_kind_is_read_as_a_full_load_reads_it(field: str) -> None:
    """The event loop takes a plain text key of an item (and a plain value read before)
    without a call; every other key or value, at that depth or below, goes the long way and
    ends as a full load ends: the same data and places, or the same error."""
    items = "  - id: u-1\n    kind: x\n  - id: u-2\n"
    text = f"apiVersion: ccai-policy/v1\nuses:\n{items}    {field}\n"
    try:
        load_text(text, "field.yaml")
    except LoadError as full:
        with pytest.raises(LoadError) as sparse:
            load_text(text, "field.yaml", sparse=True)
        assert str(sparse.value) == str(full)
        return
    _same_locations(text, "field.yaml")
