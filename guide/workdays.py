"""Working days in mainland China: statutory holidays and the State Council's adjusted working weekends.

``chinese-calendar`` carries the official schedule the State Council publishes each year
(including weekends turned into working days). For a year it does not know yet, the
``holidays`` package gives an estimate from the statutory holiday rules; a clock that counted
such a year says so (:attr:`Deadline.estimated_years`), because the adjusted days are only
known once the State Council publishes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays

#: Longest period counted (a guard against a corrupt count, not a legal limit).
MAX_DAYS = 400


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a period, and the years whose working days were only estimated."""

    last_day: date
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        """True when part of the count relied on the ``holidays`` estimate."""
        return bool(self.estimated_years)


@cache
def _estimate(year: int) -> holidays.HolidayBase:
    """The statutory-rule estimate of ``year``'s holidays (built once per year)."""
    return holidays.country_holidays("CN", years=year)


def is_workday(day: date) -> tuple[bool, bool]:
    """(whether ``day`` is a working day, whether that is an estimate)."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:  # a year chinese-calendar has no official schedule for
        return bool(_estimate(day.year).is_working_day(day)), True


def add_workdays(start: date, count: int) -> Deadline:
    """The ``count``-th working day after ``start`` (the start day itself is not counted)."""
    if not 0 < count <= MAX_DAYS:
        raise ValueError(f"count must be between 1 and {MAX_DAYS}")
    day, found = start, 0
    estimated: set[int] = set()
    while found < count:
        day += timedelta(days=1)
        working, guessed = is_workday(day)
        if guessed:
            estimated.add(day.year)
        if working:
            found += 1
    return Deadline(day, tuple(sorted(estimated)))


def add_days(start: date, count: int) -> Deadline:
    """The ``count``-th calendar day after ``start`` (the start day itself is not counted)."""
    if not 0 < count <= MAX_DAYS:
        raise ValueError(f"count must be between 1 and {MAX_DAYS}")
    return Deadline(start + timedelta(days=count))
