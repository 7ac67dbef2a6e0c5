"""One base exception for every layer, each subclass carrying where the problem is."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field


# The one location type: errors carry it, and results (findings, problems, waivers, baseline
# notes) hold it as it is, so no layer converts one kind of place into another.
@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based, 0 when unknown."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    file: Annotated[str, Field(description="The file, as given on the command line.")]
    line: Annotated[int, Field(description="1-based line; 0 when unknown.")] = 0
    column: Annotated[int, Field(description="1-based column; 0 when unknown.")] = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


class CcaiError(Exception):
    """Base of every error ccai-policy reports to a user instead of a traceback."""

    kind = "error"

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class LoadError(CcaiError):
    """A file could not be read or is not acceptable YAML."""

    kind = "load"


class ValidationProblem(CcaiError):
    """A document does not match its model, or a reference does not resolve."""

    kind = "validation"


class ValidationErrors(CcaiError):
    """Every problem found in one pass over a file or a rule set, reported together."""

    kind = "validation"

    def __init__(self, problems: Sequence[CcaiError]) -> None:
        first = problems[0]
        super().__init__(first.message, first.location, first.hint)
        self.problems: list[CcaiError] = list(problems)


class RuleError(CcaiError):
    """A rule or policy file is broken: the run refuses to evaluate with it."""

    kind = "rule"


class UsageProblem(CcaiError):
    """A command-line argument names something that does not exist."""

    kind = "usage"


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """'did you mean …?' naming the nearest candidates only, or '' when none is near."""
    scored = sorted(
        ((difflib.SequenceMatcher(None, name, c).ratio(), c) for c in set(candidates)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if not scored or scored[0][0] < 0.6:
        return ""
    near = [c for score, c in scored[:3] if score >= scored[0][0] - 0.05]
    return f"did you mean {' or '.join(repr(n) for n in near)}?"
