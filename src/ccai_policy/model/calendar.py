"""Dates and times as files write them: ISO 8601 text, and a time always with its zone.

The models validate strictly (no "2500" for a number, no "yes" for true), as a YAML 1.2 editor
reading the published JSON Schema does; dates are the one kind of value that arrives as text and
becomes something else. A bare number is not a date (lax pydantic would read 20240101 as seconds
since 1970), and a time without a zone names no instant.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field


def _text_only(value: Any) -> Any:
    if isinstance(value, int | float):
        raise ValueError("a date or time is written as text such as 2025-03-14")
    return value


Date = Annotated[dt.date, Field(strict=False), BeforeValidator(_text_only)]
Timestamp = Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_text_only)]
