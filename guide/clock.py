"""Times as the person reads them: China Standard Time (UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: The bot's users are in mainland China; stored times are UTC.
CHINA = timezone(timedelta(hours=8), "CST")


def local(at: datetime) -> datetime:
    """``at`` in China time (a naive ``at`` is taken as already local)."""
    return at.astimezone(CHINA) if at.tzinfo is not None else at


def local_date(at: datetime) -> date:
    """The calendar day of ``at`` in China (so 「昨天」 is the person's yesterday)."""
    return local(at).date()


def shown(at: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """``at`` formatted in China time."""
    return local(at).strftime(pattern)
