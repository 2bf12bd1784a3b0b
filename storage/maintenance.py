"""Housekeeping queries: purging old closed cases, pruning idempotency keys, per-user row counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update

from storage.models import CASES, OUTBOX, PROCESSED_UPDATES, USERS, CaseFact, Evidence, ReminderRow, Timeline

_cases = CASES
_users = USERS
_outbox = OUTBOX
_processed = PROCESSED_UPDATES


def purge_closed(connection: Connection, older_than: datetime) -> int:
    """Delete closed cases closed before ``older_than`` (cascading to their rows); return how many."""
    old = select(_cases.c.id).where(_cases.c.status == "closed", _cases.c.closed_at < older_than)
    connection.execute(update(_users).where(_users.c.current_case_id.in_(old)).values(current_case_id=None))
    result = connection.execute(
        delete(_cases).where(_cases.c.status == "closed", _cases.c.closed_at < older_than)
    )
    return int(result.rowcount)


def prune_processed(connection: Connection, older_than: datetime) -> int:
    """Forget idempotency keys and sent outbox rows older than ``older_than``; return rows deleted."""
    keys = connection.execute(delete(_processed).where(_processed.c.processed_at < older_than))
    sent = connection.execute(
        delete(_outbox).where(_outbox.c.sent_at.is_not(None), _outbox.c.sent_at < older_than)
    )
    return int(keys.rowcount) + int(sent.rowcount)


def user_row_counts(connection: Connection, user_id: int) -> dict[str, int]:
    """How many rows of each table belong to ``user_id``."""
    cases_of_user = select(_cases.c.id).where(_cases.c.user_id == user_id)
    counts = {
        "users": select(func.count()).select_from(_users).where(_users.c.user_id == user_id),
        "cases": select(func.count()).select_from(_cases).where(_cases.c.user_id == user_id),
        "case_facts": select(func.count()).select_from(CaseFact).where(CaseFact.case_id.in_(cases_of_user)),
        "timeline": select(func.count()).select_from(Timeline).where(Timeline.case_id.in_(cases_of_user)),
        "evidence": select(func.count()).select_from(Evidence).where(Evidence.case_id.in_(cases_of_user)),
        "reminders": select(func.count()).select_from(ReminderRow).where(ReminderRow.user_id == user_id),
        "outbox": select(func.count()).select_from(_outbox).where(_outbox.c.user_id == user_id),
        "processed_updates": select(func.count())
        .select_from(_processed)
        .where(_processed.c.user_id == user_id),
    }
    return {table: int(connection.execute(stmt).scalar() or 0) for table, stmt in counts.items()}
