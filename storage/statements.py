"""The write statements of the hot path, built once per backend and run with ``Connection.execute``
(whose compiled cache then serves them)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Table, bindparam, delete, func, select, update
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

#: Columns of ``cases`` besides the primary key, in a fixed order.
CASE_COLUMNS = tuple(column.name for column in CASES.c if column.name != "id")


def dialect_insert(dialect_name: str, table: Table) -> Any:
    """An INSERT supporting ``ON CONFLICT`` for the backend (SQLite or PostgreSQL)."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class Statements:
    """The write statements of an update for one backend; bind values by the column names (``b_*`` in WHERE)."""

    def __init__(self, dialect_name: str) -> None:
        def insert(table: Table) -> Any:
            return dialect_insert(dialect_name, table)

        new_case = insert(CASES)
        facts = insert(FACTS := CASE_FACTS)
        reminder = insert(REMINDERS)
        tokens = insert(UNKNOWN_TOKENS)
        uid: Any = bindparam("b_user_id")
        claim: Any = insert(PROCESSED_UPDATES)
        #: PostgreSQL: the person's transaction-scoped advisory lock, which serialises their
        #: updates across processes (``None`` on SQLite, where BEGIN IMMEDIATE serialises every
        #: writer). Run alone only for an update without a key: the claim takes it otherwise.
        self.lock_user: Any = None
        if dialect_name == "postgresql":
            self.lock_user = select(func.pg_advisory_xact_lock(bindparam("user_id", type_=BigInteger)))
            # The claimed row comes out of the lock's select, so the lock is held before the
            # key is written: one round trip instead of two.
            claim = claim.from_select(
                ["update_key", "user_id", "processed_at"],
                select(
                    *(
                        bindparam(name, type_=PROCESSED_UPDATES.c[name].type)
                        for name in ("update_key", "user_id", "processed_at")
                    )
                ).select_from(self.lock_user.subquery("person_lock")),
            )
        self.claim_update = claim.on_conflict_do_nothing(index_elements=["update_key"]).returning(
            PROCESSED_UPDATES.c.update_key
        )
        self.insert_user = USERS.insert()
        self.insert_user_if_missing = insert(USERS).on_conflict_do_nothing(index_elements=["user_id"])
        self.update_user = update(USERS).where(USERS.c.user_id == uid)
        self.upsert_new_case = new_case.on_conflict_do_update(
            index_elements=["id"],
            set_={name: new_case.excluded[name] for name in CASE_COLUMNS},
            where=CASES.c.user_id == new_case.excluded.user_id,
        ).returning(CASES.c.id)
        self.update_case = update(CASES).where(CASES.c.id == bindparam("b_id"))
        self.delete_facts = delete(FACTS).where(FACTS.c.case_id == bindparam("b_case_id"))
        self.delete_some_facts = delete(FACTS).where(
            FACTS.c.case_id == bindparam("b_case_id"),
            FACTS.c.name.in_(bindparam("b_names", expanding=True)),
        )
        self.upsert_facts = facts.on_conflict_do_update(
            index_elements=["case_id", "name"], set_={"value": facts.excluded.value}
        )
        self.insert_timeline = TIMELINE.insert()
        self.insert_evidence = insert(EVIDENCE).on_conflict_do_nothing(index_elements=["id"])
        self.update_evidence = update(EVIDENCE).where(
            EVIDENCE.c.id == bindparam("b_id"),
            EVIDENCE.c.case_id.in_(select(CASES.c.id).where(CASES.c.user_id == uid)),
        )
        self.insert_filing = insert(FILINGS).on_conflict_do_nothing(index_elements=["id"])
        self.update_filing = update(FILINGS).where(
            FILINGS.c.id == bindparam("b_id"),
            FILINGS.c.case_id.in_(select(CASES.c.id).where(CASES.c.user_id == uid)),
        )
        self.drop_replaced_reminders = delete(REMINDERS).where(
            # The person's own reminders: also what lets SQLite search by (user_id, status)
            # instead of walking every pending reminder.
            REMINDERS.c.user_id == uid,
            REMINDERS.c.case_id == bindparam("b_case_id"),
            REMINDERS.c.purpose == bindparam("b_purpose"),
            REMINDERS.c.status == "pending",
            REMINDERS.c.id != bindparam("b_id"),
        )
        self.upsert_reminder = reminder.on_conflict_do_update(
            index_elements=["id"],
            set_={name: reminder.excluded[name] for name in ("case_id", "due_at", "purpose", "status")},
            where=REMINDERS.c.user_id == reminder.excluded.user_id,
        )
        self.cancel_reminders = (
            update(REMINDERS)
            .where(REMINDERS.c.user_id == uid, REMINDERS.c.case_id == bindparam("b_case_id"))
            .where(REMINDERS.c.status == "pending")
            .values(status="cancelled")
        )
        self.cancel_reminders_of_purpose = (
            update(REMINDERS)
            .where(REMINDERS.c.user_id == uid, REMINDERS.c.case_id == bindparam("b_case_id"))
            .where(REMINDERS.c.status == "pending", REMINDERS.c.purpose == bindparam("b_purpose"))
            .values(status="cancelled")
        )
        self.reminder_done = (
            update(REMINDERS)
            .where(REMINDERS.c.id == bindparam("b_id"), REMINDERS.c.user_id == uid)
            .values(status="done")
        )
        self.count_stage = insert(STAGE_STATS).on_conflict_do_update(
            index_elements=["day", "stage"], set_={"count": STAGE_STATS.c.count + 1}
        )
        self.count_classification = insert(CLASSIFICATION_STATS).on_conflict_do_update(
            index_elements=["day", "intent", "clarified_as", "needed_clarification"],
            set_={"count": CLASSIFICATION_STATS.c.count + 1},
        )
        self.count_tokens = tokens.on_conflict_do_update(
            index_elements=["token"],
            set_={"count": UNKNOWN_TOKENS.c.count + 1, "last_seen": tokens.excluded.last_seen},
        )
        self.delete_outbox_of_user = delete(OUTBOX).where(OUTBOX.c.user_id == uid)
        self.delete_keys_of_user = delete(PROCESSED_UPDATES).where(PROCESSED_UPDATES.c.user_id == uid)
        self.delete_keys_of_user_but = delete(PROCESSED_UPDATES).where(
            PROCESSED_UPDATES.c.user_id == uid,
            PROCESSED_UPDATES.c.update_key != bindparam("b_update_key"),
        )
        self.delete_user = delete(USERS).where(USERS.c.user_id == uid)


#: The :class:`Statements` of a dialect name, built on first use.
statements_for = cache(Statements)
