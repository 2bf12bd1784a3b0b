"""Loading a person's :class:`UserView` with a handful of selects (inside the caller's transaction)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select

from domain.case import CaseState, TimelineEntry, UserView
from storage.models import CASE_FACTS, CASES, EVIDENCE, FILINGS, REMINDERS, TIMELINE, USERS
from storage.rows import case_from_row, evidence_from_row, filing_from_row, reminder_from_row

#: How many of the current case's latest timeline entries the dialogue gets to see.
TIMELINE_LIMIT = 50


# Built once; SQLAlchemy caches their compiled form.
_USER_CASES = (
    select(
        USERS.c.current_case_id,
        USERS.c.pending,
        *(column.label(f"case_{column.name}") for column in CASES.c),
    )
    .select_from(USERS)
    .outerjoin(CASES, CASES.c.user_id == USERS.c.user_id)
    .where(USERS.c.user_id == bindparam("user_id"))
    .order_by(CASES.c.created_at, CASES.c.id)
)
# Apart from the cases: joined, each case's columns would come (and be converted) once per fact.
_FACTS = (
    select(CASE_FACTS.c.case_id, CASE_FACTS.c.name, CASE_FACTS.c.value)
    .join(CASES, CASES.c.id == CASE_FACTS.c.case_id)
    .where(CASES.c.user_id == bindparam("user_id"))
    .order_by(CASE_FACTS.c.case_id, CASE_FACTS.c.name)
)
_EVIDENCE = (
    select(EVIDENCE)
    .join(CASES, CASES.c.id == EVIDENCE.c.case_id)
    .where(CASES.c.user_id == bindparam("user_id"))
    .order_by(EVIDENCE.c.received_at, EVIDENCE.c.id)
)
_FILINGS = (
    select(FILINGS)
    .join(CASES, CASES.c.id == FILINGS.c.case_id)
    .where(CASES.c.user_id == bindparam("user_id"))
    .order_by(FILINGS.c.created_at, FILINGS.c.id)
)
# Sorted in Python: with ORDER BY due_at, SQLite would rather walk every pending reminder of
# everyone by (status, due_at) than search this person's by (user_id, status).
_PENDING_REMINDERS = select(REMINDERS).where(
    REMINDERS.c.user_id == bindparam("user_id"), REMINDERS.c.status == "pending"
)
_LATEST_TIMELINE = (
    select(TIMELINE.c.at, TIMELINE.c.event, TIMELINE.c.detail)
    .where(TIMELINE.c.case_id == bindparam("case_id"))
    .order_by(TIMELINE.c.id.desc())
    .limit(TIMELINE_LIMIT)
)


class _CaseRow:
    """Attribute view of the ``case_*`` columns of a joined row (for :func:`case_from_row`)."""

    __slots__ = ("_row",)

    def __init__(self, row: Any) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, f"case_{name}")


def load_view(connection: Connection, user_id: int, *, timeline: bool = True) -> tuple[UserView, bool]:
    """Load everything the dialogue may read about ``user_id``; also say whether the user row exists.

    ``timeline=False`` leaves :attr:`UserView.timeline` empty (see ``guide.reads_timeline``).
    """
    rows = connection.execute(_USER_CASES, {"user_id": user_id}).all()
    if not rows:
        return UserView(user_id=user_id), False
    current_case_id: str | None = rows[0].current_case_id
    pending = {str(key): str(value) for key, value in (rows[0].pending or {}).items()}
    case_rows = [row for row in rows if row.case_id is not None]
    facts_by_case: dict[str, dict[str, str]] = {row.case_id: {} for row in case_rows}
    if case_rows:
        for case_id, name, value in connection.execute(_FACTS, {"user_id": user_id}).all():
            facts_by_case[case_id][name] = value
    cases: tuple[CaseState, ...] = tuple(
        case_from_row(_CaseRow(row), facts_by_case[row.case_id]) for row in case_rows
    )
    if not cases:
        return UserView(user_id=user_id, current_case_id=current_case_id, pending=pending), True
    evidence = tuple(
        evidence_from_row(row) for row in connection.execute(_EVIDENCE, {"user_id": user_id}).all()
    )
    filings = tuple(filing_from_row(row) for row in connection.execute(_FILINGS, {"user_id": user_id}).all())
    reminders = tuple(
        sorted(
            (
                reminder_from_row(row)
                for row in connection.execute(_PENDING_REMINDERS, {"user_id": user_id}).all()
            ),
            key=lambda reminder: (reminder.due_at, reminder.id),
        )
    )
    entries: tuple[TimelineEntry, ...] = ()
    if timeline and current_case_id is not None and current_case_id in facts_by_case:
        latest = connection.execute(_LATEST_TIMELINE, {"case_id": current_case_id}).all()
        entries = tuple(
            TimelineEntry(case_id=current_case_id, at=at, event=event, detail=detail)
            for at, event, detail in reversed(latest)
        )
    view = UserView(
        user_id=user_id,
        cases=cases,
        current_case_id=current_case_id,
        evidence=evidence,
        reminders=reminders,
        timeline=entries,
        filings=filings,
        pending=pending,
    )
    return view, True
