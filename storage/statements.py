"""The write statements of the hot path, built once per backend and reused with bound values.

Each is a :class:`~storage.prepared.Prepared` statement, built once and executed with bound
values through SQLAlchemy's public ``Connection.execute`` (whose compiled cache then serves it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import (
    CASE_FACTS,
    CASES,
    CLASSIFICATION_STATS,
    EVIDENCE,
    FILINGS,
    OUTBOX,
    PROCESSED_UPDATES,
    REMINDERS,
    STAGE_STATS,
    TIMELINE,
    UNKNOWN_TOKENS,
    USERS,
)
from storage.prepared import Prepared

#: Columns of ``cases`` besides the primary key, in a fixed order.
CASE_COLUMNS = tuple(column.name for column in CASES.c if column.name != "id")


def dialect_insert(dialect_name: str, table: Table) -> Any:
    """An INSERT supporting ``ON CONFLICT`` for the backend (SQLite or PostgreSQL)."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@dataclass(frozen=True)
class Statements:
    """Prepared statements for one backend; bind values by the column names (``b_*`` in WHERE)."""

    claim_update: Prepared
    insert_user: Prepared
    insert_user_if_missing: Prepared
    update_user: Prepared
    upsert_new_case: Prepared
    update_case: Prepared
    delete_facts: Prepared
    delete_some_facts: Prepared
    upsert_facts: Prepared
    insert_timeline: Prepared
    insert_evidence: Prepared
    update_evidence: Prepared
    insert_filing: Prepared
    update_filing: Prepared
    drop_replaced_reminders: Prepared
    upsert_reminder: Prepared
    cancel_reminders: Prepared
    cancel_reminders_of_purpose: Prepared
    reminder_done: Prepared
    count_stage: Prepared
    count_classification: Prepared
    count_tokens: Prepared
    delete_outbox_of_user: Prepared
    delete_keys_of_user: Prepared
    delete_keys_of_user_but: Prepared
    delete_user: Prepared


@cache
def statements_for(dialect_name: str) -> Statements:
    """The :class:`Statements` of ``dialect_name`` (built on first use)."""

    def insert(table: Table) -> Any:
        return dialect_insert(dialect_name, table)

    new_case = insert(CASES)
    facts = insert(FACTS := CASE_FACTS)
    reminder = insert(REMINDERS)
    tokens = insert(UNKNOWN_TOKENS)
    uid: Any = bindparam("b_user_id")
    return Statements(
        claim_update=Prepared(
            insert(PROCESSED_UPDATES)
            .on_conflict_do_nothing(index_elements=["update_key"])
            .returning(PROCESSED_UPDATES.c.update_key)
        ),
        insert_user=Prepared(USERS.insert()),
        insert_user_if_missing=Prepared(insert(USERS).on_conflict_do_nothing(index_elements=["user_id"])),
        update_user=Prepared(update(USERS).where(USERS.c.user_id == uid)),
        upsert_new_case=Prepared(
            new_case.on_conflict_do_update(
                index_elements=["id"],
                set_={name: new_case.excluded[name] for name in CASE_COLUMNS},
                where=CASES.c.user_id == new_case.excluded.user_id,
            ).returning(CASES.c.id)
        ),
        update_case=Prepared(update(CASES).where(CASES.c.id == bindparam("b_id"))),
        delete_facts=Prepared(delete(FACTS).where(FACTS.c.case_id == bindparam("b_case_id"))),
        delete_some_facts=Prepared(
            delete(FACTS).where(
                FACTS.c.case_id == bindparam("b_case_id"),
                FACTS.c.name.in_(bindparam("b_names", expanding=True)),
            )
        ),
        upsert_facts=Prepared(
            facts.on_conflict_do_update(
                index_elements=["case_id", "name"], set_={"value": facts.excluded.value}
            )
        ),
        insert_timeline=Prepared(TIMELINE.insert()),
        insert_evidence=Prepared(insert(EVIDENCE).on_conflict_do_nothing(index_elements=["id"])),
        update_evidence=Prepared(
            update(EVIDENCE).where(
                EVIDENCE.c.id == bindparam("b_id"),
                EVIDENCE.c.case_id.in_(select(CASES.c.id).where(CASES.c.user_id == uid)),
            )
        ),
        insert_filing=Prepared(insert(FILINGS).on_conflict_do_nothing(index_elements=["id"])),
        update_filing=Prepared(
            update(FILINGS).where(
                FILINGS.c.id == bindparam("b_id"),
                FILINGS.c.case_id.in_(select(CASES.c.id).where(CASES.c.user_id == uid)),
            )
        ),
        drop_replaced_reminders=Prepared(
            delete(REMINDERS).where(
                # The person's own reminders: also what lets SQLite search by (user_id, status)
                # instead of walking every pending reminder.
                REMINDERS.c.user_id == uid,
                REMINDERS.c.case_id == bindparam("b_case_id"),
                REMINDERS.c.purpose == bindparam("b_purpose"),
                REMINDERS.c.status == "pending",
                REMINDERS.c.id != bindparam("b_id"),
            )
        ),
        upsert_reminder=Prepared(
            reminder.on_conflict_do_update(
                index_elements=["id"],
                set_={name: reminder.excluded[name] for name in ("case_id", "due_at", "purpose", "status")},
                where=REMINDERS.c.user_id == reminder.excluded.user_id,
            )
        ),
        cancel_reminders=Prepared(
            update(REMINDERS)
            .where(REMINDERS.c.user_id == uid, REMINDERS.c.case_id == bindparam("b_case_id"))
            .where(REMINDERS.c.status == "pending")
            .values(status="cancelled")
        ),
        cancel_reminders_of_purpose=Prepared(
            update(REMINDERS)
            .where(REMINDERS.c.user_id == uid, REMINDERS.c.case_id == bindparam("b_case_id"))
            .where(REMINDERS.c.status == "pending", REMINDERS.c.purpose == bindparam("b_purpose"))
            .values(status="cancelled")
        ),
        reminder_done=Prepared(
            update(REMINDERS)
            .where(REMINDERS.c.id == bindparam("b_id"), REMINDERS.c.user_id == uid)
            .values(status="done")
        ),
        count_stage=Prepared(
            insert(STAGE_STATS).on_conflict_do_update(
                index_elements=["day", "stage"], set_={"count": STAGE_STATS.c.count + 1}
            )
        ),
        count_classification=Prepared(
            insert(CLASSIFICATION_STATS).on_conflict_do_update(
                index_elements=["day", "intent", "clarified_as", "needed_clarification"],
                set_={"count": CLASSIFICATION_STATS.c.count + 1},
            )
        ),
        count_tokens=Prepared(
            tokens.on_conflict_do_update(
                index_elements=["token"],
                set_={"count": UNKNOWN_TOKENS.c.count + 1, "last_seen": tokens.excluded.last_seen},
            )
        ),
        delete_outbox_of_user=Prepared(delete(OUTBOX).where(OUTBOX.c.user_id == uid)),
        delete_keys_of_user=Prepared(delete(PROCESSED_UPDATES).where(PROCESSED_UPDATES.c.user_id == uid)),
        delete_keys_of_user_but=Prepared(
            delete(PROCESSED_UPDATES).where(
                PROCESSED_UPDATES.c.user_id == uid,
                PROCESSED_UPDATES.c.update_key != bindparam("b_update_key"),
            )
        ),
        delete_user=Prepared(delete(USERS).where(USERS.c.user_id == uid)),
    )
