"""Applying the dialogue's effects, in order, inside the update's transaction (never commits)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from guide.model import (
    AddEvidence,
    AddTimeline,
    CancelReminders,
    CaseState,
    DeleteUser,
    Effect,
    MarkReminderDone,
    RecordClassification,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
    SetPending,
    UserView,
)
from storage.convert import case_columns, evidence_columns
from storage.errors import StorageError
from storage.models import CASES, CASE_FACTS, CLASSIFICATION_STATS, EVIDENCE, OUTBOX, PROCESSED_UPDATES, REMINDERS, STAGE_STATS, TIMELINE, UNKNOWN_TOKENS, USERS
)

#: Longest token stored in ``unknown_tokens`` (longer ones are cut).
TOKEN_MAX_LENGTH = 128

_users = USERS
_cases = CASES
_facts = CASE_FACTS
_timeline = TIMELINE
_evidence = EVIDENCE
_reminders = REMINDERS
_outbox = OUTBOX
_processed = PROCESSED_UPDATES
_class_stats = CLASSIFICATION_STATS
_tokens = UNKNOWN_TOKENS
_stage_stats = STAGE_STATS


def dialect_insert(dialect_name: str, table: Table) -> Any:
    """An INSERT supporting ``ON CONFLICT`` for the backend (SQLite or PostgreSQL)."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class EffectApplier:
    """Applies effects for one user in one transaction, writing only what actually changed.

    It starts from the view the dialogue saw (loaded in the same transaction under the
    user's lock), so comparing against it is exact.
    """

    def __init__(
        self,
        connection: Connection,
        view: UserView,
        *,
        user_exists: bool,
        now: datetime,
        update_key: str | None,
    ) -> None:
        self._conn = connection
        self._dialect = connection.dialect.name
        self._user_id = view.user_id
        self._now = now
        self._update_key = update_key
        self._user_exists = user_exists
        self._stored_cases: dict[str, CaseState] = {case.id: case for case in view.cases}
        self._current_case_id = view.current_case_id
        self._pending = dict(view.pending)
        self._user_dirty = False

    def apply(self, effects: tuple[Effect, ...]) -> None:
        """Apply ``effects`` in order, then write the user row if it changed."""
        for effect in effects:
            self._apply_one(effect)
        self._flush_user()

    def _apply_one(self, effect: Effect) -> None:
        """Dispatch one effect."""
        match effect:
            case SaveCase(case=case):
                self._save_case(case)
            case SetCurrentCase(case_id=case_id):
                self._ensure_user()
                if case_id != self._current_case_id:
                    self._current_case_id = case_id
                    self._user_dirty = True
            case SetPending(values=values):
                self._ensure_user()
                if values != self._pending:
                    self._pending = dict(values)
                    self._user_dirty = True
            case AddTimeline(entry=entry):
                self._conn.execute(
                    _timeline.insert(),
                    {"case_id": entry.case_id, "at": entry.at, "event": entry.event, "detail": entry.detail},
                )
                if entry.event == "stage":
                    self._count_stage(entry.detail)
            case AddEvidence(item=item):
                stmt = dialect_insert(self._dialect, _evidence).on_conflict_do_nothing(index_elements=["id"])
                self._conn.execute(stmt, evidence_columns(item))
            case ScheduleReminder(reminder=reminder):
                self._schedule(reminder.id, reminder.case_id, reminder.due_at, reminder.purpose)
            case CancelReminders(case_id=case_id, purpose=purpose):
                stmt = update(_reminders).where(
                    _reminders.c.user_id == self._user_id,
                    _reminders.c.case_id == case_id,
                    _reminders.c.status == "pending",
                )
                if purpose:
                    stmt = stmt.where(_reminders.c.purpose == purpose)
                self._conn.execute(stmt.values(status="cancelled"))
            case MarkReminderDone(reminder_id=reminder_id):
                self._conn.execute(
                    update(_reminders)
                    .where(_reminders.c.id == reminder_id, _reminders.c.user_id == self._user_id)
                    .values(status="done")
                )
            case DeleteUser():
                self._delete_user()
            case RecordClassification():
                self._record_classification(effect)
            case _:
                raise StorageError(f"unknown effect type {type(effect).__name__}")

    # --- user row -------------------------------------------------------------------------

    def _ensure_user(self) -> None:
        """Create the user row if it does not exist (e.g. after DeleteUser in this update)."""
        if self._user_exists:
            return
        stmt = dialect_insert(self._dialect, _users).on_conflict_do_nothing(index_elements=["user_id"])
        self._conn.execute(
            stmt,
            {
                "user_id": self._user_id,
                "current_case_id": None,
                "pending": {},
                "created_at": self._now,
                "updated_at": self._now,
            },
        )
        self._user_exists = True
        self._current_case_id = None
        self._pending = {}

    def _flush_user(self) -> None:
        """Write the buffered current case and scratch values."""
        if not self._user_dirty:
            return
        self._conn.execute(
            update(_users)
            .where(_users.c.user_id == self._user_id)
            .values(current_case_id=self._current_case_id, pending=self._pending, updated_at=self._now)
        )
        self._user_dirty = False

    def _delete_user(self) -> None:
        """Erase the person; the current update's own bookkeeping rows are kept."""
        self._user_dirty = False
        self._conn.execute(delete(_outbox).where(_outbox.c.user_id == self._user_id))
        processed = delete(_processed).where(_processed.c.user_id == self._user_id)
        if self._update_key is not None:
            processed = processed.where(_processed.c.update_key != self._update_key)
        self._conn.execute(processed)
        # ON DELETE CASCADE takes cases, facts, timeline, evidence and reminders with it.
        self._conn.execute(delete(_users).where(_users.c.user_id == self._user_id))
        self._user_exists = False
        self._stored_cases.clear()
        self._current_case_id = None
        self._pending = {}

    # --- cases ----------------------------------------------------------------------------

    def _save_case(self, case: CaseState) -> None:
        """Upsert a case and replace its facts, touching only changed rows."""
        if case.user_id != self._user_id:
            raise StorageError("SaveCase for a case of another user")
        self._ensure_user()
        stored = self._stored_cases.get(case.id)
        if stored is None:
            columns = case_columns(case)
            insert = dialect_insert(self._dialect, _cases)
            stmt = insert.on_conflict_do_update(
                index_elements=["id"],
                set_={name: insert.excluded[name] for name in columns if name != "id"},
                where=_cases.c.user_id == insert.excluded.user_id,
            ).returning(_cases.c.id)
            if self._conn.execute(stmt, columns).first() is None:
                raise StorageError("SaveCase with the id of another user's case")
            self._conn.execute(delete(_facts).where(_facts.c.case_id == case.id))
            self._write_facts(case.id, case.facts)
        else:
            if replace(stored, facts={}) != replace(case, facts={}):
                columns = case_columns(case)
                del columns["id"]
                self._conn.execute(update(_cases).where(_cases.c.id == case.id).values(columns))
            if stored.facts != case.facts:
                removed = [name for name in stored.facts if name not in case.facts]
                if removed:
                    self._conn.execute(
                        delete(_facts).where(_facts.c.case_id == case.id, _facts.c.name.in_(removed))
                    )
                changed = {
                    name: value for name, value in case.facts.items() if stored.facts.get(name) != value
                }
                self._write_facts(case.id, changed)
        self._stored_cases[case.id] = case

    def _write_facts(self, case_id: str, facts: dict[str, str]) -> None:
        """Insert or overwrite the given facts of a case."""
        if not facts:
            return
        insert = dialect_insert(self._dialect, _facts)
        stmt = insert.on_conflict_do_update(
            index_elements=["case_id", "name"], set_={"value": insert.excluded.value}
        )
        self._conn.execute(
            stmt, [{"case_id": case_id, "name": name, "value": value} for name, value in facts.items()]
        )

    # --- reminders ------------------------------------------------------------------------

    def _schedule(self, reminder_id: str, case_id: str, due_at: datetime, purpose: str) -> None:
        """Store a pending reminder, replacing a pending one of the same case and purpose."""
        self._ensure_user()
        self._conn.execute(
            delete(_reminders).where(
                _reminders.c.case_id == case_id,
                _reminders.c.purpose == purpose,
                _reminders.c.status == "pending",
                _reminders.c.id != reminder_id,
            )
        )
        insert = dialect_insert(self._dialect, _reminders)
        stmt = insert.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "case_id": insert.excluded.case_id,
                "due_at": insert.excluded.due_at,
                "purpose": insert.excluded.purpose,
                "status": insert.excluded.status,
            },
            where=_reminders.c.user_id == insert.excluded.user_id,
        )
        self._conn.execute(
            stmt,
            {
                "id": reminder_id,
                "case_id": case_id,
                "user_id": self._user_id,
                "due_at": due_at,
                "purpose": purpose,
                "status": "pending",
            },
        )

    # --- anonymous statistics -------------------------------------------------------------

    def _count_stage(self, stage: str) -> None:
        """Count a case entering ``stage`` today."""
        insert = dialect_insert(self._dialect, _stage_stats)
        stmt = insert.on_conflict_do_update(
            index_elements=["day", "stage"], set_={"count": _stage_stats.c.count + 1}
        )
        self._conn.execute(stmt, {"day": self._now.date(), "stage": stage[:64], "count": 1})

    def _record_classification(self, effect: RecordClassification) -> None:
        """Increment the day's classification counter and the unknown tokens' counters."""
        insert = dialect_insert(self._dialect, _class_stats)
        stmt = insert.on_conflict_do_update(
            index_elements=["day", "intent", "clarified_as", "needed_clarification"],
            set_={"count": _class_stats.c.count + 1},
        )
        self._conn.execute(
            stmt,
            {
                "day": self._now.date(),
                "intent": effect.intent[:64],
                "clarified_as": (effect.clarified_as or "")[:64],
                "needed_clarification": effect.needed_clarification,
                "count": 1,
            },
        )
        # One count per message and token; a multi-row upsert may not touch a row twice.
        tokens = dict.fromkeys(token[:TOKEN_MAX_LENGTH] for token in effect.unknown_tokens if token.strip())
        if not tokens:
            return
        insert = dialect_insert(self._dialect, _tokens)
        stmt = insert.on_conflict_do_update(
            index_elements=["token"],
            set_={"count": _tokens.c.count + 1, "last_seen": insert.excluded.last_seen},
        )
        self._conn.execute(stmt, [{"token": token, "count": 1, "last_seen": self._now} for token in tokens])
