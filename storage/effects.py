"""Applying the dialogue's effects, in order, inside the update's transaction (never commits)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from domain.case import CaseState, EvidenceItem, Filing, UserView
from domain.outcome import (
    AddEvidence,
    AddFiling,
    AddTimeline,
    CancelReminders,
    DeleteUser,
    Effect,
    MarkReminderDone,
    RecordClassification,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
    SetPending,
    UpdateEvidence,
    UpdateFiling,
)
from storage.errors import StorageError
from storage.rows import case_columns, evidence_columns, filing_columns
from storage.statements import CASE_COLUMNS, statements_for

#: Longest token stored in ``unknown_tokens`` (longer ones are cut).
TOKEN_MAX_LENGTH = 128
#: Longest label (intent, stage) stored in the statistics tables.
LABEL_MAX_LENGTH = 64


class EffectApplier:
    """Applies effects for one user in one transaction, writing only what actually changed.

    It starts from the view the dialogue saw (loaded in the same transaction under the
    user's lock), so comparing against it is exact. A person without a row (``user_exists``
    false) gets it written once, with its final values, when the effects are done; or earlier
    when a case or a reminder needs it to point at.
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
        self._sql = statements_for(connection.dialect.name)
        self._user_id = view.user_id
        self._now = now
        self._update_key = update_key
        self._user_exists = user_exists
        self._stored_cases: dict[str, CaseState] = {case.id: case for case in view.cases}
        self._current_case_id = view.current_case_id
        self._pending = dict(view.pending)
        self._user_dirty = False
        self._want_user = not user_exists  # a new person's row is written by _flush_user

    def apply(self, effects: tuple[Effect, ...]) -> None:
        """Apply ``effects`` in order, then write the user row if it changed."""
        for effect in effects:
            self._apply_one(effect)
        self._flush_user()

    def _apply_one(self, effect: Effect) -> None:
        """Dispatch one effect."""
        sql, uid = self._sql, self._user_id
        match effect:
            case SaveCase(case=case):
                self._save_case(case)
            case SetCurrentCase(case_id=case_id):
                self._want_user = True
                if case_id != self._current_case_id:
                    self._current_case_id = case_id
                    self._user_dirty = True
            case SetPending(values=values):
                self._want_user = True
                if values != self._pending:
                    self._pending = dict(values)
                    self._user_dirty = True
            case AddTimeline(entry=entry):
                row = {"case_id": entry.case_id, "at": entry.at, "event": entry.event, "detail": entry.detail}
                self._conn.execute(sql.insert_timeline, row)
                if entry.event == "stage":
                    stage = {"day": self._now.date(), "stage": entry.detail[:LABEL_MAX_LENGTH], "count": 1}
                    self._conn.execute(sql.count_stage, stage)
            case AddEvidence(item=item):
                self._conn.execute(sql.insert_evidence, evidence_columns(item))
            case UpdateEvidence(item=item):
                self._update_evidence(item)
            case AddFiling(filing=filing):
                self._add_filing(filing)
            case UpdateFiling(filing=filing):
                self._update_filing(filing)
            case ScheduleReminder(reminder=reminder):
                self._ensure_user()
                self._conn.execute(
                    sql.drop_replaced_reminders,
                    {
                        "b_user_id": uid,
                        "b_case_id": reminder.case_id,
                        "b_purpose": reminder.purpose,
                        "b_id": reminder.id,
                    },
                )
                row = {
                    "id": reminder.id,
                    "case_id": reminder.case_id,
                    "user_id": uid,
                    "due_at": reminder.due_at,
                    "purpose": reminder.purpose,
                    "status": "pending",
                }
                self._conn.execute(sql.upsert_reminder, row)
            case CancelReminders(case_id=case_id, purpose=""):
                self._conn.execute(sql.cancel_reminders, {"b_user_id": uid, "b_case_id": case_id})
            case CancelReminders(case_id=case_id, purpose=purpose):
                self._conn.execute(
                    sql.cancel_reminders_of_purpose,
                    {"b_user_id": uid, "b_case_id": case_id, "b_purpose": purpose},
                )
            case MarkReminderDone(reminder_id=reminder_id):
                self._conn.execute(sql.reminder_done, {"b_user_id": uid, "b_id": reminder_id})
            case DeleteUser():
                self._delete_user()
            case RecordClassification():
                self._record_classification(effect)
            case _:
                raise StorageError(f"unknown effect type {type(effect).__name__}")

    # --- user row -------------------------------------------------------------------------

    def _user_row(self) -> dict[str, Any]:
        """The user row as buffered now."""
        return {
            "user_id": self._user_id,
            "current_case_id": self._current_case_id,
            "pending": self._pending,
            "created_at": self._now,
            "updated_at": self._now,
        }

    def _ensure_user(self) -> None:
        """Create the user row now if it does not exist: a case or a reminder is about to point at it."""
        if self._user_exists:
            return
        self._conn.execute(self._sql.insert_user_if_missing, self._user_row())
        self._user_exists = True
        self._user_dirty = False

    def _flush_user(self) -> None:
        """Write the buffered current case and scratch values (the whole row for a new person)."""
        if not self._user_exists:
            if self._want_user:
                self._conn.execute(self._sql.insert_user, self._user_row())
                self._user_exists = True
        elif self._user_dirty:
            values = {
                "current_case_id": self._current_case_id,
                "pending": self._pending,
                "updated_at": self._now,
            }
            self._conn.execute(self._sql.update_user, {"b_user_id": self._user_id, **values})
        self._user_dirty = False

    def _delete_user(self) -> None:
        """Erase the person; the current update's own bookkeeping rows are kept."""
        sql, uid = self._sql, {"b_user_id": self._user_id}
        self._user_dirty = False
        self._conn.execute(sql.delete_outbox_of_user, uid)
        if self._update_key is None:
            self._conn.execute(sql.delete_keys_of_user, uid)
        else:
            self._conn.execute(sql.delete_keys_of_user_but, {**uid, "b_update_key": self._update_key})
        # ON DELETE CASCADE takes cases, facts, timeline, evidence, filings and reminders with it.
        self._conn.execute(sql.delete_user, uid)
        self._user_exists = False
        self._want_user = False
        self._stored_cases.clear()
        self._current_case_id = None
        self._pending = {}

    # --- cases ----------------------------------------------------------------------------

    def _save_case(self, case: CaseState) -> None:
        """Upsert a case and replace its facts, touching only changed rows."""
        if case.user_id != self._user_id:
            raise StorageError("SaveCase for a case of another user")
        self._ensure_user()
        sql = self._sql
        stored = self._stored_cases.get(case.id)
        if stored is None:
            if self._conn.execute(sql.upsert_new_case, case_columns(case)).first() is None:
                raise StorageError("SaveCase with the id of another user's case")
            self._conn.execute(sql.delete_facts, {"b_case_id": case.id})
            self._write_facts(case.id, case.facts)
        else:
            if replace(stored, facts={}) != replace(case, facts={}):
                columns = case_columns(case)
                self._conn.execute(
                    sql.update_case, {"b_id": case.id, **{n: columns[n] for n in CASE_COLUMNS}}
                )
            if stored.facts != case.facts:
                removed = [name for name in stored.facts if name not in case.facts]
                if removed:
                    self._conn.execute(sql.delete_some_facts, {"b_case_id": case.id, "b_names": removed})
                changed = {
                    name: value for name, value in case.facts.items() if stored.facts.get(name) != value
                }
                self._write_facts(case.id, changed)
        self._stored_cases[case.id] = case

    def _write_facts(self, case_id: str, facts: dict[str, str]) -> None:
        """Insert or overwrite the given facts of a case."""
        if facts:
            rows = [{"case_id": case_id, "name": name, "value": value} for name, value in facts.items()]
            self._conn.execute(self._sql.upsert_facts, rows)

    # --- evidence -------------------------------------------------------------------------

    def _update_evidence(self, item: EvidenceItem) -> None:
        """Replace a stored item of this person (inserting it if missing) when its case is theirs.

        A reading may arrive after the case (or the person) was deleted: then nothing is written.
        """
        if item.case_id not in self._stored_cases:
            return
        columns = evidence_columns(item)
        del columns["id"]
        changed = self._conn.execute(
            self._sql.update_evidence, {"b_id": item.id, "b_user_id": self._user_id, **columns}
        ).rowcount
        if changed == 0:
            self._conn.execute(self._sql.insert_evidence, evidence_columns(item))

    # --- filings --------------------------------------------------------------------------

    def _add_filing(self, filing: Filing) -> None:
        """Insert a filing of one of this person's cases."""
        if filing.case_id not in self._stored_cases:
            raise StorageError("AddFiling for a case that is not the person's")
        self._conn.execute(self._sql.insert_filing, filing_columns(filing))

    def _update_filing(self, filing: Filing) -> None:
        """Replace a stored filing of this person (nothing when it or its case is gone)."""
        if filing.case_id not in self._stored_cases:
            return
        columns = filing_columns(filing)
        del columns["id"]
        self._conn.execute(
            self._sql.update_filing, {"b_id": filing.id, "b_user_id": self._user_id, **columns}
        )

    # --- anonymous statistics -------------------------------------------------------------

    def _record_classification(self, effect: RecordClassification) -> None:
        """Increment the day's classification counter and the unknown tokens' counters."""
        row = {
            "day": self._now.date(),
            "intent": effect.intent[:LABEL_MAX_LENGTH],
            "clarified_as": (effect.clarified_as or "")[:LABEL_MAX_LENGTH],
            "needed_clarification": effect.needed_clarification,
            "count": 1,
        }
        self._conn.execute(self._sql.count_classification, row)
        # One count per message and token; a multi-row upsert may not touch a row twice.
        tokens = dict.fromkeys(token[:TOKEN_MAX_LENGTH] for token in effect.unknown_tokens if token.strip())
        if tokens:
            rows = [{"token": token, "count": 1, "last_seen": self._now} for token in tokens]
            self._conn.execute(self._sql.count_tokens, rows)
