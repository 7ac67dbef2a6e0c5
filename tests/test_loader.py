"""The located, safe YAML loader: positions, and a clear located error for every bad input."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccai_policy.errors import LoadError
from ccai_policy.load.loader import Document, load_file, load_text
from ccai_policy.load.yamlnodes import escape_pointer_token

from .fuzzing.yaml_text import dump


def load_error(text: str) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_text(text, "f.yaml")
    return caught.value


def where_and_what(error: LoadError) -> tuple[str, str]:
    return str(error.location), error.message


@contextlib.contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail instead of hanging when an input the loader must refuse quickly is not refused."""

    def expire(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


NESTED = """\
production:
  title: The Lighthouse Keeper
  territories: [US-CA, EU]
people:
  - id: p-ana
    name: Ana Ruiz
  - id: p-dee
    representation: {counsel: true}
    "odd/key~": 1
"""


@pytest.mark.parametrize(
    ("pointer", "line_col"),
    [
        ("", (1, 1)),
        ("/production", (1, 1)),
        ("/production/title", (2, 3)),
        ("/production/territories/1", (3, 24)),
        ("/people/0", (5, 5)),
        ("/people/1/representation/counsel", (8, 22)),
        ("/people/1/odd~1key~0", (9, 5)),
        ("/people/1/name", (7, 5)),
        ("/nowhere/at/all", (1, 1)),
    ],
    ids=[
        "root",
        "top-level key",
        "nested key",
        "flow list item",
        "block list item",
        "flow mapping key",
        "escaped pointer token",
        "missing field: nearest ancestor",
        "unknown section: the document",
    ],
)
def test_locate_points_at_the_key_or_item(pointer: str, line_col: tuple[int, int]) -> None:
    location = load_text(NESTED, "d.yaml").locate(pointer)
    assert (location.file, location.line, location.column) == ("d.yaml", *line_col)


def test_loaded_tree_is_plain_json_data() -> None:
    document = load_text(NESTED, "d.yaml")
    assert isinstance(document, Document)
    assert document.data["people"][1] == {
        "id": "p-dee",
        "representation": {"counsel": True},
        "odd/key~": 1,
    }


@pytest.mark.parametrize(
    ("text", "where", "key", "first"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1", "a", "line 1, column 1"),
        ("p:\n  q:\n    x: 1\n    y: 2\n    x: 3\n", "f.yaml:5:5", "x", "line 3, column 5"),
        ("l:\n  - id: a\n    id: b\n", "f.yaml:3:5", "id", "line 2, column 5"),
        ("m: {k: 1, j: 2, k: 3}\n", "f.yaml:1:17", "k", "line 1, column 5"),
        ('a: 1\n"a": 2\n', "f.yaml:2:1", "a", "line 1, column 1"),
    ],
    ids=["top level", "three deep", "inside a list item", "flow mapping", "quoted and plain"],
)
def test_duplicate_keys_name_both_places(text: str, where: str, key: str, first: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == (where, f"duplicate key {key!r} (first defined at {first})")
    assert error.hint == "remove or rename one of them"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("1: a\n", "f.yaml:1:1", "mapping key '1' is not a string"),
        ("x:\n  yes: a\n", "f.yaml:2:3", "mapping key 'yes' is not a string"),
        ("~: a\n", "f.yaml:1:1", "mapping key '~' is not a string"),
        ("1.5: a\n", "f.yaml:1:1", "mapping key '1.5' is not a string"),
        ("2026-05-01: a\n", "f.yaml:1:1", "mapping key '2026-05-01' is not a string"),
        ("? [a, b]\n: c\n", "f.yaml:1:3", "mapping key is not a string"),
        ("a: &m {b: 1}\nc: {*m : 2}\n", "f.yaml:2:5", "mapping key is not a string"),
    ],
    ids=["integer", "YAML 1.1 boolean", "null", "float", "date", "list", "alias of a mapping"],
)
def test_non_string_keys_are_refused(text: str, where: str, message: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == (where, message)
    assert error.hint in ("quote the key", "use a plain text key")


def test_an_alias_of_a_string_is_a_valid_key() -> None:
    assert load_text("a: &k name\nb: {*k : x}\n").data == {"a": "name", "b": {"name": "x"}}


@pytest.mark.parametrize(
    ("text", "where", "tag"),
    [
        ("a: !!python/object:os.system x\n", "f.yaml:1:4", "!!python/object:os.system"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "f.yaml:1:4",
            "!!python/object/apply:os.system",
        ),
        ("a:\n  - !!python/name:os.system ''\n", "f.yaml:2:5", "!!python/name:os.system"),
        ("a: !!binary aGVsbG8=\n", "f.yaml:1:4", "!!binary"),
        ("a: !secret token\n", "f.yaml:1:4", "!secret"),
        ("a: !include {file: x.yaml}\n", "f.yaml:1:4", "!include"),
        ("a: !!set {x, y}\n", "f.yaml:1:4", "!!set"),
        ("a: !!omap [x: 1]\n", "f.yaml:1:4", "!!omap"),
        ("a: !!seq {x: 1}\n", "f.yaml:1:4", "!!seq"),
    ],
    ids=[
        "python object",
        "python apply",
        "python name in a list",
        "binary",
        "custom scalar tag",
        "custom mapping tag",
        "set",
        "ordered map",
        "mapping tagged as a list",
    ],
)
def test_unsafe_and_unknown_tags_are_refused(text: str, where: str, tag: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == (where, f"tag {tag!r} is not allowed")
    assert "plain data only" in error.hint


def test_standard_tags_that_make_plain_data_are_accepted() -> None:
    text = "a: !!str 1\nb: !!int '3'\nc: !!float '1.5'\nd: !!map {x: !!seq [!!null ~]}\n"
    assert load_text(text).data == {"a": "1", "b": 3, "c": 1.5, "d": {"x": [None]}}


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("a: !!bool maybe\n", "'maybe' is not true or false", "remove the tag"),
        ("a: !!null x\n", "'x' is not null", "remove the tag"),
        ("a: !!timestamp soon\n", "'soon' is not a date", "remove the tag"),
        ("a: !!int abc\n", "cannot read 'abc' as a number", "quote it if it is text"),
        ("a: !!float abc\n", "cannot read 'abc' as a number", "quote it if it is text"),
    ],
    ids=["bool", "null", "timestamp", "int", "float"],
)
def test_tagged_scalars_that_do_not_match_their_tag(text: str, message: str, hint: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == ("f.yaml:1:4", message)
    assert error.hint.startswith(hint)


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
WIDE_BOMB = (
    "a: &a {" + ", ".join(f"k{i}: v" for i in range(1000)) + "}\n"
    "b: [" + ", ".join(["*a"] * 1000) + "]\n"
)
MAPPING_BOMB = "a: &a {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9, q: 0}\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(7)
)


@pytest.mark.parametrize(
    ("text", "where"),
    [(BILLION_LAUGHS, "f.yaml:6:8"), (WIDE_BOMB, "f.yaml:2:401"), (MAPPING_BOMB, "f.yaml:5:36")],
    ids=[
        "billion laughs (9^9 strings)",
        "a mapping aliased a thousand times",
        "ten-way bomb of mappings",
    ],
)
def test_alias_bombs_stop_early_with_a_clear_message(text: str, where: str) -> None:
    with hang_guard(30):
        error = load_error(text)
    assert where_and_what(error) == (where, "aliases expand to more than 100,000 nodes")
    assert "alias bomb" in error.hint


def test_aliases_in_proportion_to_the_document_are_fine() -> None:
    """5,000 items merging the same 25 defaults: 130,000 nodes from aliases, all legitimate."""
    defaults = ", ".join(f"f{i}: {i}" for i in range(25))
    text = f"defaults: &d {{{defaults}}}\nitems:\n" + "".join(
        f"  - {{<<: *d, id: i{n}}}\n" for n in range(5_000)
    )
    data = load_text(text).data
    assert len(data["items"]) == 5_000
    assert data["items"][4_999] == {"id": "i4999", **{f"f{i}": i for i in range(25)}}


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: &x [*x]\n", "f.yaml:1:8"), ("a: &x {b: {c: *x}}\n", "f.yaml:1:15")],
    ids=["list containing itself", "mapping containing itself"],
)
def test_recursive_alias(text: str, where: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == (where, "recursive alias: *x is used inside the node it names")


def test_alias_without_anchor() -> None:
    error = load_error("a: 1\nb: *nope\n")
    assert where_and_what(error) == ("f.yaml:2:4", "alias *nope names no anchor")
    assert error.hint == "define '&nope' before using '*nope'"


def nested_block(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + f"{'  ' * levels}leaf\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: " + "[" * 70 + "]" * 70 + "\n", "f.yaml:1:68"),
        (nested_block(70), "f.yaml:66:131"),
        ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "f.yaml:1:68"),
        ("a:\n" + "- " * 100_000 + "x\n", "f.yaml:2:129"),
    ],
    ids=[
        "flow lists",
        "block mappings",
        "200,000 flow levels (crashed the C composer)",
        "100,000 compact block lists",
    ],
)
def test_nesting_deeper_than_the_limit(text: str, where: str) -> None:
    with hang_guard(30):
        error = load_error(text)
    assert where_and_what(error) == (where, "nesting is deeper than 64 levels")


def test_nesting_at_the_limit_is_fine() -> None:
    assert load_text("a: " + "[" * 64 + "]" * 64 + "\n").data is not None


def test_an_alias_that_nests_too_deep_once_expanded() -> None:
    text = "a: &deep " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*deep" + "]" * 30 + "\n"
    error = load_error(text)
    assert where_and_what(error) == (
        "f.yaml:2:34",
        "nesting is deeper than 64 levels once *deep is expanded",
    )


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_file(path, max_bytes=100, display="big.yaml")
    assert str(caught.value.location) == "big.yaml"
    assert caught.value.message == "file is 204 bytes, over the limit of 100"
    assert caught.value.hint == "split it, or raise the limit with --max-file-size"
    assert load_file(path, max_bytes=204).data == {"a": "x" * 200}


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_without_a_size_is_read_no_further_than_the_limit() -> None:
    """/dev/zero reports size 0 and never ends: reading it whole never returned."""
    with hang_guard(30), pytest.raises(LoadError) as caught:
        load_file("/dev/zero", max_bytes=1000)
    assert where_and_what(caught.value) == ("/dev/zero", "file is over the limit of 1,000 bytes")


@pytest.mark.parametrize(
    ("raw", "where", "message"),
    [
        (b"a: 1\nb: caf\xe9\n", "f.yaml:2:7", "invalid UTF-8 byte 0xe9"),
        ("é: 1\nb: ".encode() + b"\xc3\x28\n", "f.yaml:2:4", "invalid UTF-8 byte 0xc3"),
        ("a: 1\n".encode("utf-16"), "f.yaml:1:1", "file is UTF-16, not UTF-8"),
        (b"\xfe\xff" + "a: 1\n".encode("utf-16-be"), "f.yaml:1:1", "file is UTF-16, not UTF-8"),
        ("a: 1\n".encode("utf-16-le"), "f.yaml:1:2", "NUL byte in file"),
        (b"a: 1\nb: x\x00y\n", "f.yaml:2:5", "NUL byte in file"),
    ],
    ids=[
        "latin-1 byte",
        "truncated sequence",
        "UTF-16 LE BOM",
        "UTF-16 BE BOM",
        "UTF-16 no BOM",
        "NUL",
    ],
)
def test_bytes_that_are_not_utf8(tmp_path: Path, raw: bytes, where: str, message: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    with pytest.raises(LoadError) as caught:
        load_file(path, display="f.yaml")
    assert where_and_what(caught.value) == (where, message)
    assert "UTF-8" in caught.value.hint or caught.value.hint.startswith("remove it")


def test_utf8_bom_is_accepted_and_positions_ignore_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb: [x]\n")
    document = load_file(path, display="bom.yaml")
    assert document.data == {"a": 1, "b": ["x"]}
    assert str(document.locate("/a")) == "bom.yaml:1:1"
    assert str(document.locate("/b/0")) == "bom.yaml:2:5"


def test_sha256_is_of_the_bytes_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_file(path).sha256 == hashlib.sha256(b"\xef\xbb\xbfa: 1\n").hexdigest()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: \x07\n", "f.yaml:1:4", "character U+0007 is not allowed in YAML"),
        ("é: ü\x1b\n", "f.yaml:1:5", "character U+001B is not allowed in YAML"),
        ("a: [1, 2\n", "f.yaml:1:4", "the `[` on line 1 is never closed"),
        ("a:\n\tb: 1\n", "f.yaml:2:1", "line 2 is indented with a tab character"),
        ("a: 'open\n", "f.yaml:1:4", "the text opened with ' on line 1 is never closed"),
    ],
    ids=["control character", "control character after non-ASCII", "unclosed list", "tab", "quote"],
)
def test_syntax_errors_are_located(text: str, where: str, message: str) -> None:
    assert where_and_what(load_error(text)) == (where, message)


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: 1\n---\nb: 2\n", "f.yaml:2:1"), ("---\na: 1\n...\n---\nb: 2\n", "f.yaml:4:1")],
    ids=["separator", "explicit document end"],
)
def test_several_documents(text: str, where: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == (where, "several YAML documents in one file")
    assert "remove the '---' separator" in error.hint


def test_one_document_with_markers_is_fine() -> None:
    assert load_text("---\na: 1\n...\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "file is empty"),
        ("\n  \n\n", "file is empty"),
        ("# a declaration\n# to come\n", "file holds only comments, no data"),
    ],
    ids=["empty", "blank lines", "comments only"],
)
def test_files_with_no_data(text: str, message: str) -> None:
    assert where_and_what(load_error(text)) == ("f.yaml", message)


def test_dates_stay_iso_strings_as_written() -> None:
    text = (
        "d: 2026-05-01\nt: 2026-05-10T09:00:00Z\n"
        "s: 2026-05-10 09:00:00+02:00\ne: !!timestamp 2026-1-2\n"
    )
    assert load_text(text).data == {
        "d": "2026-05-01",
        "t": "2026-05-10T09:00:00Z",
        "s": "2026-05-10 09:00:00+02:00",
        "e": "2026-1-2",
    }


MERGES = """\
defaults: &defaults
  currency: USD
  basis: residuals
other: &other {basis: scan_day, note: x}
pay:
  <<: [*defaults, *other]
  basis: negotiated
"""


def test_merge_keys_written_keys_win_then_earlier_sources() -> None:
    document = load_text(MERGES, "m.yaml")
    assert document.data["pay"] == {"basis": "negotiated", "currency": "USD", "note": "x"}
    assert str(document.locate("/pay/basis")) == "m.yaml:7:3"
    assert str(document.locate("/pay/currency")) == "m.yaml:2:3"
    assert str(document.locate("/pay/note")) == "m.yaml:4:33"


def test_merge_of_something_that_is_not_a_mapping() -> None:
    error = load_error("a: &a [1]\nb:\n  <<: *a\n")
    assert where_and_what(error) == (
        "f.yaml:3:7",
        "merge key '<<' needs a mapping or a list of mappings",
    )


def test_aliased_items_are_located_where_the_alias_is_written() -> None:
    document = load_text("a: &p {id: p-ana}\nb:\n  - *p\n", "a.yaml")
    assert document.data["b"] == [{"id": "p-ana"}]
    assert str(document.locate("/b/0")) == "a.yaml:3:5"
    assert str(document.locate("/b/0/id")) == "a.yaml:1:8"
    document.data["b"][0]["id"] = "changed"
    assert document.data["a"] == {"id": "p-ana"}, "aliases are copies, not shared objects"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("n: " + "9" * 10_000 + "\n", "number is 10,000 characters long, over the limit of 1,000"),
        ("n: -" + "1" * 4_400 + "\n", "number is 4,401 characters long, over the limit of 1,000"),
        ("n: 0x" + "f" * 5_000 + "\n", "number is 5,002 characters long, over the limit of 1,000"),
        ("n: " + "1" * 5_000 + ".5\n", "number is 5,002 characters long, over the limit of 1,000"),
    ],
    ids=["10,000 digits", "over Python's 4,300-digit limit", "hexadecimal", "float"],
)
def test_huge_numbers_are_a_clean_error(text: str, message: str) -> None:
    error = load_error(text)
    assert where_and_what(error) == ("f.yaml:1:4", message)
    assert error.hint == "quote it if it is text"


def test_huge_numbers_in_quotes_are_text() -> None:
    assert load_text(f"n: '{'9' * 10_000}'\n").data == {"n": "9" * 10_000}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("12", 12),
        ("-0", 0),
        ("+7", 7),
        ("0x1F", 31),
        ("1.5e+3", 1500.0),
        ("12.5", 12.5),
        ("1.", 1.0),
        ("-.inf", float("-inf")),
        ("2026-07-08", "2026-07-08"),
        ("y", "y"),
        ("n", "n"),
        ("0b", "0b"),
        ("1.2.3", "1.2.3"),
        ("'yes'", "yes"),
        ("!!bool true", True),
        ('"010"', "010"),
        ("! 12", "12"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(written: str, value: object) -> None:
    """What an editor (YAML 1.2) reads is what the checker reads."""
    assert load_text(f"a: {written}\n").data == {"a": value}


def test_nan_is_a_float_for_validation_to_refuse() -> None:
    data = load_text("a: .nan\n").data
    assert isinstance(data, dict) and data["a"] != data["a"]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("yes", "true or false"),
        ("No", "true or false"),
        ("NO", "true or false"),
        ("on", "true or false"),
        ("OFF", "true or false"),
        ("1_000", "a number"),
        ("010", "a number"),
        ("-007", "a number"),
        ("0b101", "a number"),
        ("1:30", "a number"),
        ("1_000.5", "a number"),
        ("1e3", "a number"),
        ("0o17", "a number"),
    ],
)
def test_scalars_that_yaml_1_1_and_1_2_read_differently_are_kept_as_text_and_flagged(
    written: str, kind: str
) -> None:
    """Validation reports each flagged scalar beside its other problems; the data is YAML 1.2's."""
    document = load_text(f"a: [x, {written}]\n", "f.yaml")
    assert document.data == {"a": ["x", written]}
    [(pointer, (message, hint))] = document.ambiguous.items()
    assert (str(document.locate(pointer)), message) == (
        "f.yaml:1:8",
        f"'{written}' is {kind} to some YAML readers and text to others",
    )
    assert hint.endswith("put it in quotes if it is text")


def test_a_yes_key_is_refused_as_not_text() -> None:
    error = load_error("on: push\n")
    assert where_and_what(error) == ("f.yaml:1:1", "mapping key 'on' is not a string")
    assert error.hint == "quote the key"


def test_scalar_starts_record_where_values_begin_and_their_style() -> None:
    text = "id: R\nassert: >-\n  a &&\n  b\nwhere: 'x'\n"
    document = load_text(text, record_scalars=True)
    assert document.scalar_starts == {
        "/id": (1, 5, ""),
        "/assert": (2, 9, ">"),
        "/where": (5, 8, "'"),
    }


YAML_PIECES = st.sampled_from(
    [
        *":-[]{},&*!|>'\"#%@` ~?.=ab1",
        "\n",
        "\n  ",
        "\n- ",
        "- ",
        ": ",
        "<<: ",
        "&a ",
        "*a",
        "!!str ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_any_text_loads_or_is_a_load_error(text: str) -> None:
    """Never a traceback: whatever the text, a Document or a LoadError with a message."""
    try:
        document = load_text(text, "f.yaml")
    except LoadError as error:
        assert error.message and str(error.location).startswith("f.yaml")
    else:
        assert document.locate("").line >= 1


#: Text without the line breaks PyYAML's emitter itself does not round-trip (NEL, LS, PS, CR).
TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x85\u2028\u2029\r")
JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(TEXT, max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(TEXT, max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def pointers(value: object, prefix: str = "") -> list[str]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += pointers(child, f"{prefix}/{escape_pointer_token(key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += pointers(child, f"{prefix}/{index}")
    return found


@settings(max_examples=100, deadline=None)
@given(JSON_DATA, st.sampled_from([False, True, None]))
def test_json_data_round_trips_and_every_node_is_located(data: object, flow: bool | None) -> None:
    # Written as a careful tool does: text that YAML 1.2 reads as a number ('0E0') in quotes.
    text = dump(data, default_flow_style=flow, allow_unicode=True)
    document = load_text(text, "d.yaml")
    assert document.data == data
    assert set(pointers(data)) <= set(document.positions)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(LoadError) as caught:
        load_file(fifo)
    assert caught.value.message == "not a regular file (a pipe or socket)"


#: Plain scalars of every kind, each written twice: the second is read from what the loader
#: kept of the first (yamlscalars.plain_values), the first perhaps too on a later load.
REPEATED = (
    "a: [null, ~, Null, '', true, False, 12, -3, 0x1F, 0o17x, 1.5, .inf, -.Inf, .NaN, 2024-01-01, "
    "2024-01-01T10:00:00Z, text, 'quoted', \"12\", 1e3x]\n"
)


def _repeated() -> str:
    return REPEATED + REPEATED.replace("a:", "b:") + "c: &k 12\nd: *k\ne: yes\nf: [yes, 010]\n"


def test_a_plain_scalar_read_again_is_the_value_it_was_the_first_time() -> None:
    from ccai_policy.load import yamlscalars

    yamlscalars._VALUES.clear()
    first = load_text(_repeated(), "f.yaml")
    again = load_text(_repeated(), "f.yaml")  # now every short plain text is kept
    assert repr(first.data) == repr(again.data)  # types too: True is not 1, 1.0 is not 1
    assert repr(first.data["a"]) == repr(first.data["b"])
    assert repr(first.data["a"][:4]) == "[None, None, None, '']"
    assert repr(first.data["a"][4:12]) == "[True, False, 12, -3, 31, '0o17x', 1.5, inf]"
    assert first.data["d"] == 12
    nan = load_text("n: [.nan, .nan]\n", "f.yaml").data["n"]
    assert nan[0] is not nan[1] and [nan[0]] != [nan[1]]  # as every read of .nan gives
    # Scalars YAML 1.1 and 1.2 read differently are never kept: each occurrence is flagged.
    for document in (first, again):
        assert sorted(document.ambiguous) == ["/e", "/f/0", "/f/1"]


@pytest.mark.parametrize(
    ("text", "todos"),
    [
        ("a: 1\nb: done\n", ()),
        ("a: TODOS\nb: xTODO, TODO_1, todo\n", ()),  # not the word, or not in capitals
        ("a: TODO\n", ((1, 4),)),
        ("a: 1  # TODO: ask legal\nb: [x, TODO]\n", ((1, 9), (2, 8))),
        ("a: 'TODO-check'\nb: \"see (TODO)\"\n", ((1, 5), (2, 10))),
    ],
)
def test_the_word_todo_is_found_where_it_is_written(
    text: str, todos: tuple[tuple[int, int], ...]
) -> None:
    assert load_text(text, "d.yaml").todos == todos
