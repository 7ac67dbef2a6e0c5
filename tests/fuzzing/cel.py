"""Random CEL expressions over the names a rule about uses sees: well-formed, often ill-typed."""

from __future__ import annotations

from hypothesis import strategies as st

#: What a rule about uses (`for_each: uses`, `as: use`) can name.
CEL_NAMES = [
    "use",
    "uses",
    "people",
    "tools",
    "consents",
    "compensation",
    "production",
    "workforce",
    "today",
    "params",
    "uses_by_id",
    "people_by_id",
    "consents_by_use",
    "x",
]
CEL_FIELDS = ["id", "subjects", "description", "tool", "category", "name", "roles", "scan"]
CEL_FIELDS += ["starts_at", "signed_on", "uses", "revoked_on", "amount", "value", "nope"]
CEL_LITERALS = [
    "0",
    "1",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615u",
    "1.5",
    "1e308",
    "-0.0",
    "''",
    "'a'",
    "'\\u00e9\\U0001F600'",
    "b'\\xff'",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[1, 'a', null]",
    "{'k': 1, 2: 'v'}",
    "duration('1s')",
    "duration('-9223372036854775808ns')",
    "timestamp('2026-01-01T00:00:00Z')",
    "timestamp('9999-12-31T23:59:59Z')",
    "'^(a+)+$'",
    "'['",
]
_UNARY = ["!{}", "-{}", "size({})", "{}.size()", "int({})", "uint({})", "double({})"]
_UNARY += ["string({})", "bool({})", "timestamp({})", "duration({})", "dyn({})", "type({})"]
_UNARY += ["{}.getFullYear()", "{}.getDayOfWeek()", "{}.getHours()", "{}[0]", "{}['id']"]
_BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / {})", "({} % {})", "({} == {})"]
_BINARY += ["({} != {})", "({} < {})", "({} >= {})", "({} && {})", "({} || {})", "({} in {})"]
_BINARY += ["{}.contains({})", "{}.startsWith({})", "{}.endsWith({})", "{}.matches({})"]
_BINARY += ["{}.all(x, {})", "{}.exists(x, {})", "{}.exists_one(x, {})", "{}.map(x, {})"]
_BINARY += ["{}.filter(x, {})", "[{}, {}]", "{{'a': {}, 'b': {}}}", "{}[{}]"]


def _cel_extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.builds(lambda form, a: form.format(a), st.sampled_from(_UNARY), children)
        | st.builds(
            lambda form, a, b: form.format(a, b), st.sampled_from(_BINARY), children, children
        )
        | st.builds(lambda a, field: f"{a}.{field}", children, st.sampled_from(CEL_FIELDS))
        | st.builds(
            lambda a, field: f"has({a}.{field})",
            st.sampled_from(CEL_NAMES),
            st.sampled_from(CEL_FIELDS),
        )
        | st.builds("({} ? {} : {})".format, children, children, children)
    )


def cel_expressions() -> st.SearchStrategy[str]:
    """CEL expressions over a rule's names, mostly well-formed, often ill-typed."""
    leaves = st.sampled_from(CEL_LITERALS) | st.sampled_from(CEL_NAMES)
    return st.recursive(leaves, _cel_extend, max_leaves=12)
