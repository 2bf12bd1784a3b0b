"""Random effect sequences: what storage returns equals what a plain in-memory model predicts.

The applier only writes what changed (comparing with the view it loaded); this checks that
shortcut against the documented semantics of every effect, across many updates.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.case import CaseState, EvidenceItem, Reminder, TimelineEntry, UserView
from domain.outcome import (
    AddEvidence,
    AddTimeline,
    CancelReminders,
    DeleteUser,
    Effect,
    MarkReminderDone,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
    SetPending,
    UpdateEvidence,
)
from storage import Storage

from .helpers import T0, decide, make_case

_user_ids = itertools.count(10_000)

# Effects are generated over short local names; ``_qualify`` makes ids unique per example.
_case = st.sampled_from(["a", "b"])
_facts = st.dictionaries(st.sampled_from(["x", "y", "z"]), st.sampled_from(["1", "2", "长"]), max_size=3)
_raw_effects = st.one_of(
    st.builds(
        lambda case, facts, stage, step: ("save", case, facts, stage, step),
        _case,
        _facts,
        st.sampled_from(["confirm", "contact"]),
        st.integers(0, 2),
    ),
    st.builds(lambda case: ("current", case), st.none() | _case),
    st.builds(lambda values: ("pending", values), _facts),
    st.builds(
        lambda rid, case, purpose, hours: ("schedule", rid, case, purpose, hours),
        st.sampled_from(["r1", "r2", "r3"]),
        _case,
        st.sampled_from(["follow_up", "deadline"]),
        st.integers(1, 5),
    ),
    st.builds(lambda case, purpose: ("cancel", case, purpose), _case, st.sampled_from(["", "deadline"])),
    st.builds(lambda rid: ("done", rid), st.sampled_from(["r1", "r2", "r3"])),
    st.builds(lambda eid, case: ("evidence", eid, case), st.sampled_from(["e1", "e2"]), _case),
    st.builds(
        lambda eid, case, category: ("update_evidence", eid, case, category),
        st.sampled_from(["e1", "e2"]),
        _case,
        st.sampled_from(["order", "chat"]),
    ),
    st.builds(lambda detail: ("timeline", detail), st.sampled_from(["s", "t"])),
    st.just(("delete",)),
)


@dataclass
class Model:
    """The documented meaning of the effects, on plain dictionaries."""

    user_id: int
    cases: dict[str, CaseState] = field(default_factory=dict)
    current: str | None = None
    pending: dict[str, str] = field(default_factory=dict)
    reminders: dict[str, tuple[Reminder, str]] = field(default_factory=dict)
    evidence: dict[str, EvidenceItem] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)

    def q(self, name: str) -> str:
        """A local name made unique for this person."""
        return f"{self.user_id}-{name}"

    def effects_for(self, raw: tuple[Any, ...]) -> Iterator[Effect]:
        """Turn a raw generated step into effects, applying them to the model (invalid ones dropped)."""
        uid, kind, q = self.user_id, raw[0], self.q
        if kind == "save":
            _, case, facts, stage, step = raw
            saved = make_case(uid, q(case), facts=dict(facts), stage=stage, step=step)
            self.cases[saved.id] = saved
            yield SaveCase(saved)
        elif kind == "current":
            target = None if raw[1] is None else q(raw[1])
            self.current = target
            yield SetCurrentCase(target)
        elif kind == "pending":
            self.pending = dict(raw[1])
            yield SetPending(dict(self.pending))
        elif kind == "schedule" and q(raw[2]) in self.cases:
            _, rid, case, purpose, hours = raw
            reminder = Reminder(q(rid), q(case), T0 + timedelta(hours=hours), purpose)
            for other, (old, status) in list(self.reminders.items()):
                if (
                    status == "pending"
                    and (old.case_id, old.purpose) == (reminder.case_id, purpose)
                    and other != reminder.id
                ):
                    del self.reminders[other]
            owner = self.reminders.get(reminder.id)
            if owner is None or owner[0].case_id in self.cases:
                self.reminders[reminder.id] = (reminder, "pending")
                yield ScheduleReminder(reminder)
        elif kind == "cancel":
            _, case, purpose = raw
            for rid, (reminder, status) in list(self.reminders.items()):
                if status == "pending" and reminder.case_id == q(case) and purpose in ("", reminder.purpose):
                    self.reminders[rid] = (reminder, "cancelled")
            yield CancelReminders(q(case), purpose)
        elif kind == "done":
            if q(raw[1]) in self.reminders:
                self.reminders[q(raw[1])] = (self.reminders[q(raw[1])][0], "done")
            yield MarkReminderDone(q(raw[1]))
        elif kind == "evidence" and q(raw[2]) in self.cases:
            item = EvidenceItem(q(raw[1]), q(raw[2]), "photo", "file", "", T0)
            if item.id not in self.evidence:
                self.evidence[item.id] = item
            yield AddEvidence(item)
        elif kind == "update_evidence":
            item = EvidenceItem(q(raw[1]), q(raw[2]), "photo", "file", "", T0, category=raw[3])
            if item.case_id in self.cases:
                self.evidence[item.id] = item
            yield UpdateEvidence(item)
        elif kind == "timeline" and self.current in self.cases:
            entry = TimelineEntry(self.current, T0, "note", raw[1])
            self.timeline.append(entry)
            yield AddTimeline(entry)
        elif kind == "delete":
            self.cases, self.current, self.pending = {}, None, {}
            self.reminders, self.evidence, self.timeline = {}, {}, []
            yield DeleteUser()

    def view(self) -> UserView:
        """The view storage should load now."""
        pending_reminders = sorted(
            (reminder for reminder, status in self.reminders.values() if status == "pending"),
            key=lambda reminder: (reminder.due_at, reminder.id),
        )
        current_timeline = [entry for entry in self.timeline if entry.case_id == self.current]
        return UserView(
            user_id=self.user_id,
            cases=tuple(self.cases[case_id] for case_id in sorted(self.cases)),
            current_case_id=self.current,
            evidence=tuple(
                self.evidence[eid]
                for eid in sorted(self.evidence)
                if self.evidence[eid].case_id in self.cases
            ),
            reminders=tuple(pending_reminders),
            timeline=tuple(current_timeline[-50:]) if self.cases else (),
            pending=self.pending,
        )


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    """One SQLite storage for all examples (each example is a new person)."""
    path: Path = tmp_path_factory.mktemp("model") / "model.sqlite3"
    store = asyncio.run(Storage.connect(f"sqlite:///{path}"))
    yield store
    asyncio.run(store.close())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(updates=st.lists(st.lists(_raw_effects, max_size=6), min_size=1, max_size=6))
def test_random_updates_match_the_model(shared_store: Storage, updates: list[list[tuple[Any, ...]]]) -> None:
    model = Model(user_id=next(_user_ids))

    async def run() -> None:
        for raw_effects in updates:
            effects = tuple(effect for raw in raw_effects for effect in model.effects_for(raw))
            await shared_store.handle(model.user_id, 1, None, decide(*effects))
            assert await shared_store.load_view(model.user_id) == model.view()

    asyncio.run(run())
