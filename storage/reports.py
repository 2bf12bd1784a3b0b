"""Read-only queries for operators: anonymous statistics and unknown tokens (no personal data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from storage.models import (
    CASES,
    CLASSIFICATION_STATS,
    FILINGS,
    OUTBOX,
    REMINDERS,
    STAGE_STATS,
    TIMELINE,
    UNKNOWN_TOKENS,
    USERS,
)


def _grouped(connection: Connection, key: Any, value: Any, *where: Any) -> dict[str, int]:
    """``{str(key): value}`` grouped by ``key`` (``None`` keys become ``"unknown"``)."""
    stmt = select(key, value).where(*where).group_by(key).order_by(key)
    return {("unknown" if k is None else str(k)): int(v or 0) for k, v in connection.execute(stmt)}


def _scalar(connection: Connection, stmt: Any) -> int:
    """An integer from a one-value select (0 when NULL)."""
    return int(connection.execute(stmt).scalar() or 0)


def collect_stats(connection: Connection) -> dict[str, object]:
    """Counts of cases, stages reached, classifications and unknown messages."""
    count = func.count()
    return {
        "users": _scalar(connection, select(count).select_from(USERS)),
        "cases_total": _scalar(connection, select(count).select_from(CASES)),
        "cases_by_type": _grouped(connection, CASES.c.issue_type, count),
        "cases_by_stage": _grouped(connection, CASES.c.stage, count),
        "cases_by_status": _grouped(connection, CASES.c.status, count),
        "cases_by_outcome": _grouped(connection, CASES.c.outcome, count, CASES.c.status == "closed"),
        # Distinct cases (still stored) whose timeline shows they entered each stage.
        "stage_reached": _grouped(
            connection,
            TIMELINE.c.detail,
            func.count(TIMELINE.c.case_id.distinct()),
            TIMELINE.c.event == "stage",
        ),
        # All-time counters, kept when cases are deleted or purged.
        "stage_entries_total": _grouped(connection, STAGE_STATS.c.stage, func.sum(STAGE_STATS.c.count)),
        "classifications_by_intent": _grouped(
            connection, CLASSIFICATION_STATS.c.intent, func.sum(CLASSIFICATION_STATS.c.count)
        ),
        "needed_clarification": _scalar(
            connection,
            select(func.sum(CLASSIFICATION_STATS.c.count)).where(
                CLASSIFICATION_STATS.c.needed_clarification.is_(True)
            ),
        ),
        "clarified_as": _grouped(
            connection,
            CLASSIFICATION_STATS.c.clarified_as,
            func.sum(CLASSIFICATION_STATS.c.count),
            CLASSIFICATION_STATS.c.clarified_as != "",
        ),
        "unknown_messages": _scalar(
            connection,
            select(func.sum(CLASSIFICATION_STATS.c.count)).where(CLASSIFICATION_STATS.c.intent == "other"),
        ),
        "unknown_tokens_distinct": _scalar(connection, select(count).select_from(UNKNOWN_TOKENS)),
        # Complaints filed by the people whose data is still stored (counts only, issue 15).
        "filings_by_channel": _grouped(connection, FILINGS.c.channel, count),
        "filings_by_status": _grouped(connection, FILINGS.c.status, count),
        "reminders_pending": _scalar(
            connection,
            select(count).select_from(REMINDERS).where(REMINDERS.c.status == "pending"),
        ),
        "outbox_unsent": _scalar(
            connection, select(count).select_from(OUTBOX).where(OUTBOX.c.sent_at.is_(None))
        ),
    }


def top_unknown_tokens(connection: Connection, limit: int) -> list[tuple[str, int]]:
    """The most frequent tokens of unmatched messages, most frequent first."""
    stmt = (
        select(UNKNOWN_TOKENS.c.token, UNKNOWN_TOKENS.c.count)
        .order_by(UNKNOWN_TOKENS.c.count.desc(), UNKNOWN_TOKENS.c.token)
        .limit(limit)
    )
    return [(str(token), int(n)) for token, n in connection.execute(stmt)]
