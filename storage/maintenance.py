"""Housekeeping queries: purging old closed cases, pruning idempotency keys, per-user row counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update

from storage.models import (
    CASE_FACTS,
    CASES,
    EVIDENCE,
    FILINGS,
    OUTBOX,
    PROCESSED_UPDATES,
    REMINDERS,
    TIMELINE,
    UNKNOWN_TOKENS,
    USERS,
)


def purge_closed(connection: Connection, older_than: datetime) -> int:
    """Delete closed cases closed before ``older_than`` (cascading to their rows); return how many."""
    old = select(CASES.c.id).where(CASES.c.status == "closed", CASES.c.closed_at < older_than)
    connection.execute(update(USERS).where(USERS.c.current_case_id.in_(old)).values(current_case_id=None))
    result = connection.execute(
        delete(CASES).where(CASES.c.status == "closed", CASES.c.closed_at < older_than)
    )
    return int(result.rowcount)


def prune_processed(connection: Connection, older_than: datetime) -> int:
    """Forget idempotency keys and sent outbox rows older than ``older_than``; return rows deleted."""
    keys = connection.execute(delete(PROCESSED_UPDATES).where(PROCESSED_UPDATES.c.processed_at < older_than))
    sent = connection.execute(
        delete(OUTBOX).where(OUTBOX.c.sent_at.is_not(None), OUTBOX.c.sent_at < older_than)
    )
    return int(keys.rowcount) + int(sent.rowcount)


def prune_unknown_tokens(connection: Connection, older_than: datetime) -> int:
    """Forget unmatched-message words not seen since ``older_than``; return how many."""
    result = connection.execute(delete(UNKNOWN_TOKENS).where(UNKNOWN_TOKENS.c.last_seen < older_than))
    return int(result.rowcount)


def user_row_counts(connection: Connection, user_id: int) -> dict[str, int]:
    """How many rows of each table belong to ``user_id``."""
    cases_of_user = select(CASES.c.id).where(CASES.c.user_id == user_id)
    counts = {
        "users": select(func.count()).select_from(USERS).where(USERS.c.user_id == user_id),
        "cases": select(func.count()).select_from(CASES).where(CASES.c.user_id == user_id),
        "case_facts": select(func.count())
        .select_from(CASE_FACTS)
        .where(CASE_FACTS.c.case_id.in_(cases_of_user)),
        "timeline": select(func.count()).select_from(TIMELINE).where(TIMELINE.c.case_id.in_(cases_of_user)),
        "evidence": select(func.count()).select_from(EVIDENCE).where(EVIDENCE.c.case_id.in_(cases_of_user)),
        "filings": select(func.count()).select_from(FILINGS).where(FILINGS.c.case_id.in_(cases_of_user)),
        "reminders": select(func.count()).select_from(REMINDERS).where(REMINDERS.c.user_id == user_id),
        "outbox": select(func.count()).select_from(OUTBOX).where(OUTBOX.c.user_id == user_id),
        "processed_updates": select(func.count())
        .select_from(PROCESSED_UPDATES)
        .where(PROCESSED_UPDATES.c.user_id == user_id),
    }
    return {table: int(connection.execute(stmt).scalar() or 0) for table, stmt in counts.items()}
