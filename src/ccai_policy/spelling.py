"""Did-you-mean: the choices nearest to a misspelt word, ignoring case and separators."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

#: Nothing longer than this is a typo of a field name, a value or an id.
LONGEST_WORD = 80
#: Lists of allowed values up to this long are shown whole in a hint.
FEW = 12
_SEPARATORS = re.compile(r"[\s_.:\-/]+")


def folded(word: str) -> str:
    """A word without case or separators: `TDMRep`, `tdm_rep` and `tdm-rep` fold alike."""
    return _SEPARATORS.sub("", word).casefold()


def nearest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` choices close to `word`, closest first; an exact match after folding wins."""
    if len(word) > LONGEST_WORD:
        return []
    by_fold: dict[str, str] = {}
    for choice in sorted(set(choices)):
        by_fold.setdefault(folded(choice), choice)
    key = folded(word)
    if not key:
        return []
    if key in by_fold:
        return [by_fold[key]]
    close = difflib.get_close_matches(key, list(by_fold), n=limit, cutoff=0.6)
    return [by_fold[c] for c in close]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`did you mean 'x'?`, or '' when nothing is close."""
    close = nearest(word, choices, limit=1)
    return f"did you mean '{close[0]}'?" if close else ""


def listing(values: Iterable[str], conjunction: str = "or") -> str:
    """`'a', 'b' or 'c'`: values as a person lists them."""
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"
