"""The bundled catalog's cache: read back only while nothing it was made from changed, and
ignored, never trusted, when it is corrupt, foreign or writable by others."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.policy import catalogcache, rulefiles
from ccai_policy.policy.catalog import RuleSources, load_catalog
from ccai_policy.policy.rulefiles import LoadedRule

from .conftest import AS_OF, EXAMPLES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for one test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "ccai-policy"


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every rule file loaded from its YAML from now on."""
    read: list[Path] = []
    real = rulefiles.load_rule_file

    def counting(path: Path) -> LoadedRule:
        read.append(path)
        return real(path)

    monkeypatch.setattr(rulefiles, "load_rule_file", counting)
    return read


def entry(cache: Path) -> Path:
    [found] = cache.glob("catalog-*.pickle")
    return found


def test_a_second_load_reads_the_cache_and_gives_the_same_rules(
    cache: Path, files_read: list[Path]
) -> None:
    first = load_catalog(RuleSources())
    assert len(files_read) == len(first) == 63
    assert entry(cache).stat().st_mode & 0o777 == 0o600
    files_read.clear()
    again = load_catalog(RuleSources())
    assert files_read == []
    assert again == first  # each rule, and its document: data, positions, text, path as shown


def test_the_cache_stays_off_when_asked(
    cache: Path, files_read: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCAI_POLICY_NO_CACHE", "1")
    load_catalog(RuleSources())
    load_catalog(RuleSources())
    assert len(files_read) == 126
    assert not cache.exists()


def _flip_last_byte(path: Path) -> None:
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0xFF
    path.write_bytes(bytes(blob))


def _forged_entry(path: Path) -> None:
    """A well-formed entry (its checksum matches) that holds no rules."""
    payload = pickle.dumps({"not": "rules"})
    path.write_bytes(catalogcache._MAGIC + catalogcache._checksum(payload) + payload)


SPOILED: list[tuple[str, Callable[[Path], None]]] = [
    ("one byte changed", _flip_last_byte),
    ("cut short", lambda path: path.write_bytes(path.read_bytes()[:1000])),
    ("empty", lambda path: path.write_bytes(b"")),
    ("not rules", _forged_entry),
    ("writable by others", lambda path: path.chmod(0o666)),
]


@pytest.mark.parametrize("spoil", [s for _, s in SPOILED], ids=[name for name, _ in SPOILED])
def test_a_spoiled_entry_is_ignored_and_the_files_are_read(
    cache: Path, files_read: list[Path], spoil: Callable[[Path], None]
) -> None:
    expected = load_catalog(RuleSources())
    spoil(entry(cache))
    files_read.clear()
    assert load_catalog(RuleSources()) == expected
    assert len(files_read) == 63
    files_read.clear()
    assert load_catalog(RuleSources()) == expected  # rewritten, and good again
    assert files_read == []


def test_a_changed_rule_file_is_another_entry(tmp_path: Path) -> None:
    rule = tmp_path / "RULE.yaml"
    rule.write_text("id: A\n", encoding="utf-8")
    before = catalogcache.catalog_key([rule])
    rule.write_text("id: B\n", encoding="utf-8")
    assert catalogcache.catalog_key([rule]) != before
    moved = tmp_path / "OTHER.yaml"
    rule.rename(moved)
    assert catalogcache.catalog_key([moved]) not in (before, catalogcache.catalog_key([rule]))
    assert catalogcache.catalog_key([rule]) is None  # a file gone: no entry at all


def test_a_cache_that_cannot_be_written_only_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files_read: list[Path]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert len(load_catalog(RuleSources())) == 63
    assert len(load_catalog(RuleSources())) == 63
    assert len(files_read) == 126


def test_a_check_prints_the_same_from_the_files_and_from_the_cache(
    cache: Path, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["check", str(EXAMPLES / "series-noncompliant.yaml"), "--as-of", AS_OF, "-q"]
    fresh = run_cli(*args)
    cached = run_cli(*args)
    assert fresh.exit_code == cached.exit_code == 1
    assert cached.output == fresh.output
    monkeypatch.chdir(tmp_path)  # paths are shown relative to where a run starts
    cached = run_cli(*args, "--format", "json")
    monkeypatch.setenv("CCAI_POLICY_NO_CACHE", "1")
    assert cached.output == run_cli(*args, "--format", "json").output
    assert len(list(cache.glob("catalog-*.pickle"))) == 1


def test_the_rule_sets_digest_is_the_same_from_the_cache_and_reads_no_rule_anew(
    cache: Path,
) -> None:
    """The digest reads each rule's JSON dump; for rules from the cache, the dump kept in the
    entry (a check then never builds the Rule model's serializer), the same as a fresh one."""
    from ccai_policy.policy.resolve import load_policy
    from ccai_policy.policy.rulefiles import rule_dump

    fresh = load_policy("ccai-baseline")  # loaded from the files, and the entry written
    cached = load_policy("ccai-baseline")  # read back
    assert cached.digest == fresh.digest
    for loaded in cached.rules:
        assert rule_dump(loaded.rule) == loaded.rule.model_dump(mode="json", by_alias=True)
    changed = cached.rules[0].rule.model_copy(update={"title": "Another title"})
    assert rule_dump(changed)["title"] == "Another title"  # a copy is never given the old dump
