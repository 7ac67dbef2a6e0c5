"""The fast runtime reads the indexes as positions into their sections (evaluate/positional.py);
a program gives the same value as when the indexes hold the items, or is left to the
reference runtime."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
from benchmarks.generate import write_set

from ccai_policy.errors import Location
from ccai_policy.evaluate import engine, runtime
from ccai_policy.evaluate.binding import bind
from ccai_policy.evaluate.compiler import compile_policy
from ccai_policy.evaluate.expressions import compile_expression
from ccai_policy.evaluate.positional import rewrite
from ccai_policy.evaluate.programs import GLOBAL_NAMES
from ccai_policy.evaluate.scope import POSITIONS_FROM, Scope, declaration_scope, items
from ccai_policy.load.loader import load_file
from ccai_policy.load.validation import validate_declaration
from ccai_policy.model.declaration import Declaration
from ccai_policy.policy.resolve import load_policy

from .conftest import EXAMPLES
from .test_runtimes import both

AS_OF = dt.date(2026, 11, 1)
HERE = Location("test", 1, 1)

#: Programs reading indexes in each way the rewrite knows; every one is settled by the fast
#: runtime, and gives what the reference runtime gives with indexes holding the items.
REWRITTEN = [
    "uses_by_id['u-maya-replica'].category",
    "people_by_id[uses_by_id['u-maya-replica'].subjects[0]].name",
    "uses.map(u, u.id in consents_by_use ? consents_by_use[u.id].map(c, c.id) : [])",
    "uses.map(u, u.id in consents_by_use && consents_by_use[u.id].exists(c, c.person == "
    "u.subjects[0] && people_by_id[c.person].id == c.person))",
    "uses.map(u, u.id in consents_by_use && consents_by_use[u.id].all(c, has(c.signed_on)))",
    "uses.map(u, u.id in consents_by_use && consents_by_use[u.id].exists_one(c, true))",
    "uses.map(u, u.id in consents_by_use ? consents_by_use[u.id].filter(c, c.person != '')"
    ".map(c, c.id) : [])",
    "uses.map(u, u.id in compensation_by_use ? compensation_by_use[u.id].map(c, c.basis != '',"
    " c.id) : [])",
    "uses.map(u, u.id in compensation_by_use ? size(compensation_by_use[u.id]) : 0)",
    "uses.map(u, u.id in consents_by_use ? consents_by_use[u.id][0].id : '')",
    # Nested: the inner macro reads the outer one's item.
    "consents.map(c, c.uses.filter(x, x in consents_by_use).map(x, consents_by_use[x]"
    ".exists(d, d.person == c.person && uses_by_id[x].id == x)))",
    # Keys read the same either way.
    "size(uses_by_id) + uses_by_id.size()",
    "uses_by_id.filter(k, k.startsWith('u-')).size()",
    "'u-crowd' in uses_by_id && !('u-none' in consents_by_use)",
    # A field or a function of that name is not the index.
    "production.title.size() > 0 && uses.all(u, u.category != 'uses_by_id')",
]

#: Programs that read an index in a way positions would change: left to the reference runtime.
REFUSED = [
    "uses_by_id",
    "size(uses_by_id.map(k, k)) == size(uses_by_id) && uses_by_id == uses_by_id",
    "has(uses_by_id.u1)",
    "uses.exists(uses, true) && uses_by_id['u-crowd'].id == 'u-crowd'",
    "uses.map(u, u.id in consents_by_use && consents_by_use[u.id].exists(c, [1].exists(c, c > 0)))",
    # A name the rewrite would write (`_k5` here), bound by the program: it would read 1.
    "'u-maya-replica' in consents_by_use && "
    "consents_by_use['u-maya-replica'].exists(c, [1].all(_k5, c.person != ''))",
]


@pytest.fixture(scope="module")
def declaration() -> Declaration:
    return validate_declaration(load_file(EXAMPLES / "series-noncompliant.yaml", sparse=True))


def judged(declaration: Declaration, source: str) -> tuple[object, object, int]:
    """The value in the fast runtime (indexes as positions) and in the reference runtime
    (indexes holding items), and how many programs the reference runtime settled."""
    compiled = compile_expression(source, what="test", origin=HERE, checked=False)
    fast = declaration_scope(declaration, {}, AS_OF, GLOBAL_NAMES, positions=True)
    assert fast.fast
    reference = Scope(bind(declaration, {}, AS_OF, GLOBAL_NAMES))
    return fast.run(compiled), reference.run(compiled), fast.fallbacks


@pytest.mark.skipif(not runtime.available(), reason="the fast runtime cannot load here")
@pytest.mark.parametrize("source", REWRITTEN)
def test_a_program_reading_positions_gives_what_it_gives_reading_items(
    declaration: Declaration, source: str
) -> None:
    rewritten = rewrite(source)
    assert rewritten is not None
    fast, reference, fallbacks = judged(declaration, source)
    assert fallbacks == 0
    assert fast == reference


@pytest.mark.skipif(not runtime.available(), reason="the fast runtime cannot load here")
@pytest.mark.parametrize("source", REFUSED)
def test_a_program_positions_would_change_is_left_to_the_reference_runtime(
    declaration: Declaration, source: str
) -> None:
    assert rewrite(source) is None
    _, _, fallbacks = judged(declaration, source)
    assert fallbacks == 1


def test_the_rewrite_reads_items_through_positions() -> None:
    assert rewrite("uses_by_id[u].name") == "uses[uses_by_id[u]].name"
    assert rewrite("consents_by_use[x].exists(c, c.person == p)") == (
        "consents_by_use[x].exists(_k0, consents[_k0].person == p)"
    )
    # Other reads of a list index map its positions to items; filter maps its output.
    assert rewrite("consents_by_use[x][0]") == "consents_by_use[x].map(_k0, consents[_k0])[0]"
    assert rewrite("notices_by_use[x].filter(n, n.ok)") == (
        "notices_by_use[x].filter(_k0, notices[_k0].ok).map(_k0, notices[_k0])"
    )
    # A program without indexes is itself.
    assert rewrite("uses.all(u, u.id != '')") == "uses.all(u, u.id != '')"


def test_the_names_of_nested_rewrites_never_shadow_each_other() -> None:
    rewritten = rewrite("consents_by_use[x].exists(c, notices_by_use[c.use].exists(n, n.p == c.p))")
    assert rewritten == (
        "consents_by_use[x].exists(_k0, notices_by_use[consents[_k0].use]"
        ".exists(_k9, notices[_k9].p == consents[_k0].p))"
    )


@pytest.mark.skipif(not runtime.available(), reason="the fast runtime cannot load here")
@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_each_example_read_through_positions_is_judged_as_the_reference_judges_it(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The examples are small, so a check binds their indexes as items; forced to positions,
    every finding is the same (the generated declarations of test_runtimes.py are large
    enough to be judged through positions in any case)."""
    ruleset = compile_policy(load_policy("ccai-baseline"))
    original = engine.declaration_scope
    monkeypatch.setattr(
        engine, "declaration_scope", functools.partial(original, positions=True), raising=True
    )
    fast, reference, fallbacks = both(EXAMPLES / name, ruleset)
    assert fast == reference
    assert fallbacks == 0


def test_a_large_declaration_is_judged_through_positions(tmp_path: Path) -> None:
    [path] = write_set(tmp_path, 2026, 1, 60)
    declaration = validate_declaration(load_file(path, sparse=True))
    assert items(declaration) >= POSITIONS_FROM
    small = validate_declaration(load_file(EXAMPLES / "series-noncompliant.yaml", sparse=True))
    assert items(small) < POSITIONS_FROM
