"""Each effect, applied through Storage.handle, is visible in the next view exactly as documented."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event

from domain.case import EvidenceItem, Reminder, TimelineEntry
from domain.outcome import (
    AddEvidence,
    AddTimeline,
    CancelReminders,
    DeleteUser,
    MarkReminderDone,
    RecordClassification,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
    SetPending,
    UpdateEvidence,
)
from storage import Storage

from .helpers import T0, decide, make_case

USER = 1001
CHAT = 5001


async def apply(store: Storage, *effects: object, user_id: int = USER) -> None:
    """Run one update applying ``effects``."""
    await store.handle(user_id, CHAT, None, decide(*effects))  # type: ignore[arg-type]


async def test_save_case_inserts_then_updates_columns_and_replaces_facts(store: Storage) -> None:
    case = make_case(USER, facts={"order_no": "A1", "amount": "9.9"})
    await apply(store, SaveCase(case))
    view = await store.load_view(USER)
    assert view.cases == (case,)

    changed = case.evolve(
        stage="contact",
        step=2,
        awaiting="platform_reply",
        facts={"order_no": "A2", "shop": "X"},
        updated_at=T0 + timedelta(hours=1),
    )
    await apply(store, SaveCase(changed))
    view = await store.load_view(USER)
    assert view.cases == (changed,)
    assert view.cases[0].facts == {"order_no": "A2", "shop": "X"}  # "amount" removed, not merged


async def test_save_case_closing_keeps_outcome_and_closed_at(store: Storage) -> None:
    case = make_case(USER)
    closed = case.evolve(status="closed", outcome="resolved", closed_at=T0 + timedelta(days=3))
    await apply(store, SaveCase(case), SaveCase(closed))
    (stored,) = (await store.load_view(USER)).cases
    assert stored.status == "closed"
    assert stored.outcome == "resolved"
    assert stored.closed_at == T0 + timedelta(days=3)
    assert stored.closed_at is not None and stored.closed_at.tzinfo is not None


async def test_save_case_with_all_facts_removed(store: Storage) -> None:
    case = make_case(USER, facts={"a": "1", "b": "2"})
    await apply(store, SaveCase(case))
    await apply(store, SaveCase(case.evolve(facts={})))
    assert (await store.load_view(USER)).cases[0].facts == {}
    assert (await store.user_row_counts(USER))["case_facts"] == 0


async def test_several_cases_keep_creation_order(store: Storage) -> None:
    first = make_case(USER, "b-first")
    second = make_case(USER, "a-second", created_at=T0 + timedelta(minutes=5))
    await apply(store, SaveCase(second), SaveCase(first))
    assert [case.id for case in (await store.load_view(USER)).cases] == ["b-first", "a-second"]


async def test_set_current_case_and_back_to_none(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)), SetCurrentCase("case1"))
    view = await store.load_view(USER)
    assert view.current_case_id == "case1"
    assert view.current_case is not None and view.current_case.id == "case1"
    await apply(store, SetCurrentCase(None))
    assert (await store.load_view(USER)).current_case_id is None


async def test_timeline_of_current_case_only_in_order(store: Storage) -> None:
    other = make_case(USER, "other")
    entries = [TimelineEntry("case1", T0 + timedelta(minutes=i), "stage", f"s{i}") for i in range(3)]
    await apply(
        store,
        SaveCase(make_case(USER)),
        SaveCase(other),
        SetCurrentCase("case1"),
        *(AddTimeline(entry) for entry in entries),
        AddTimeline(TimelineEntry("other", T0, "fact", "x")),
    )
    view = await store.load_view(USER)
    assert view.timeline == tuple(entries)
    # An update whose answer does not read the timeline (guide.reads_timeline) gets none loaded.
    seen = decide()
    await store.handle(USER, USER, "no-timeline", seen, timeline=False)
    await store.handle(USER, USER, "with-timeline", seen)
    assert [view.timeline for view in seen.seen] == [(), tuple(entries)]
    assert seen.seen[0].cases == seen.seen[1].cases


async def test_timeline_view_is_capped_to_latest_entries(store: Storage) -> None:
    entries = [TimelineEntry("case1", T0, "note", str(i)) for i in range(60)]
    await apply(store, SaveCase(make_case(USER)), SetCurrentCase("case1"), *(AddTimeline(e) for e in entries))
    view = await store.load_view(USER)
    assert [entry.detail for entry in view.timeline] == [str(i) for i in range(10, 60)]
    assert (await store.user_row_counts(USER))["timeline"] == 60


async def test_add_evidence_of_all_cases_and_idempotent_by_id(store: Storage) -> None:
    photo = EvidenceItem(
        "ev1", "case1", "photo", "FILE1", "订单截图", T0, category="order", file_unique_id="U1"
    )
    doc = EvidenceItem(
        "ev2", "case2", "document", "FILE2", "", T0 + timedelta(seconds=1), file_name="chat.pdf"
    )
    await apply(
        store,
        SaveCase(make_case(USER)),
        SaveCase(make_case(USER, "case2")),
        AddEvidence(photo),
        AddEvidence(doc),
    )
    await apply(store, AddEvidence(photo))
    assert (await store.load_view(USER)).evidence == (photo, doc)


async def test_schedule_reminder_replaces_pending_of_same_case_and_purpose(store: Storage) -> None:
    first = Reminder("r1", "case1", T0 + timedelta(days=1))
    other_purpose = Reminder("r2", "case1", T0 + timedelta(days=2), purpose="deadline")
    replacement = Reminder("r3", "case1", T0 + timedelta(days=3))
    await apply(store, SaveCase(make_case(USER)), ScheduleReminder(first), ScheduleReminder(other_purpose))
    await apply(store, ScheduleReminder(replacement))
    reminders = (await store.load_view(USER)).reminders
    assert set(reminders) == {other_purpose, replacement}
    assert reminders[0] == other_purpose  # ordered by due time


async def test_schedule_same_reminder_id_moves_it(store: Storage) -> None:
    reminder = Reminder("r1", "case1", T0 + timedelta(days=1))
    moved = Reminder("r1", "case1", T0 + timedelta(days=5))
    await apply(store, SaveCase(make_case(USER)), ScheduleReminder(reminder))
    await apply(store, ScheduleReminder(moved))
    assert (await store.load_view(USER)).reminders == (moved,)


async def test_cancel_reminders_by_purpose_and_all(store: Storage) -> None:
    follow = Reminder("r1", "case1", T0 + timedelta(days=1))
    deadline = Reminder("r2", "case1", T0 + timedelta(days=2), purpose="deadline")
    elsewhere = Reminder("r3", "case2", T0 + timedelta(days=2))
    await apply(
        store,
        SaveCase(make_case(USER)),
        SaveCase(make_case(USER, "case2")),
        *(ScheduleReminder(r) for r in (follow, deadline, elsewhere)),
    )
    await apply(store, CancelReminders("case1", "deadline"))
    assert set((await store.load_view(USER)).reminders) == {follow, elsewhere}
    await apply(store, CancelReminders("case1"))
    assert (await store.load_view(USER)).reminders == (elsewhere,)
    assert await store.due_reminders(T0 + timedelta(days=10)) == [(USER, elsewhere)]


async def test_mark_reminder_done_never_fires_again(store: Storage) -> None:
    reminder = Reminder("r1", "case1", T0)
    await apply(store, SaveCase(make_case(USER)), ScheduleReminder(reminder))
    assert await store.due_reminders(T0) == [(USER, reminder)]
    await apply(store, MarkReminderDone("r1"))
    assert await store.due_reminders(T0 + timedelta(days=1)) == []
    assert (await store.load_view(USER)).reminders == ()


async def test_other_users_reminder_is_not_touched(store: Storage) -> None:
    reminder = Reminder("r1", "case1", T0)
    await apply(store, SaveCase(make_case(USER)), ScheduleReminder(reminder))
    await apply(store, MarkReminderDone("r1"), CancelReminders("case1"), user_id=USER + 1)
    assert await store.due_reminders(T0) == [(USER, reminder)]


async def test_set_pending_replaces_scratch(store: Storage) -> None:
    await apply(store, SetPending({"proposed_order_no": "123", "step": "x"}))
    assert (await store.load_view(USER)).pending == {"proposed_order_no": "123", "step": "x"}
    await apply(store, SetPending({"other": "1"}))
    assert (await store.load_view(USER)).pending == {"other": "1"}
    await apply(store, SetPending({}))
    assert (await store.load_view(USER)).pending == {}


async def test_record_classification_aggregates_without_user(store: Storage) -> None:
    await apply(store, RecordClassification("zhuli_swallowed"))
    await apply(
        store,
        RecordClassification("bargain_failed", clarified_as="bargain_failed", needed_clarification=True),
    )
    await apply(store, RecordClassification("other", unknown_tokens=("拼团", "退款", "拼团", " ")))
    await apply(store, RecordClassification("other", unknown_tokens=("拼团",)), user_id=USER + 1)
    stats = await store.stats()
    assert stats["classifications_by_intent"] == {"bargain_failed": 1, "other": 2, "zhuli_swallowed": 1}
    assert stats["needed_clarification"] == 1
    assert stats["clarified_as"] == {"bargain_failed": 1}
    assert stats["unknown_messages"] == 2
    # Counted once per message, blank tokens ignored.
    assert await store.unknown_tokens() == [("拼团", 2), ("退款", 1)]
    assert await store.unknown_tokens(limit=1) == [("拼团", 2)]


async def test_effects_apply_in_order(store: Storage) -> None:
    case = make_case(USER)
    await apply(
        store,
        SaveCase(case.evolve(stage="contact")),
        SetPending({"a": "1"}),
        SaveCase(case.evolve(stage="complain")),
        SetPending({"b": "2"}),
    )
    view = await store.load_view(USER)
    assert view.cases[0].stage == "complain"
    assert view.pending == {"b": "2"}


async def test_update_evidence_replaces_the_item(store: Storage) -> None:
    item = EvidenceItem("ev1", "case1", "photo", "FILE1", "", T0, file_unique_id="U1")
    await apply(store, SaveCase(make_case(USER)), AddEvidence(item))
    categorised = replace(item, category="order", caption="订单页")
    await apply(store, UpdateEvidence(categorised))
    assert (await store.load_view(USER)).evidence == (categorised,)
    assert (await store.user_row_counts(USER))["evidence"] == 1


async def test_update_evidence_of_missing_item_in_own_case_inserts_it(store: Storage) -> None:
    item = EvidenceItem("ev9", "case1", "document", "F", "", T0, category="chat")
    await apply(store, SaveCase(make_case(USER)))
    await apply(store, UpdateEvidence(item))
    assert (await store.load_view(USER)).evidence == (item,)


async def test_update_evidence_after_deletion_writes_nothing(store: Storage) -> None:
    item = EvidenceItem("ev1", "case1", "photo", "F", "", T0)
    await apply(store, SaveCase(make_case(USER)), AddEvidence(item))
    await apply(store, DeleteUser())
    await apply(store, UpdateEvidence(replace(item, category="order")))
    counts = await store.user_row_counts(USER)
    assert counts["evidence"] == 0 and counts["cases"] == 0


async def test_update_evidence_cannot_touch_another_users_item(store: Storage) -> None:
    item = EvidenceItem("ev1", "case1", "photo", "F", "", T0)
    await apply(store, SaveCase(make_case(USER)), AddEvidence(item))
    intruder = USER + 1
    await apply(store, SaveCase(make_case(intruder, "theirs")), user_id=intruder)
    await apply(store, UpdateEvidence(replace(item, case_id="theirs", category="x")), user_id=intruder)
    assert (await store.load_view(USER)).evidence == (item,)
    assert (await store.load_view(intruder)).evidence == ()


async def test_a_failed_statement_never_shows_its_parameters(store: Storage) -> None:
    """SQLAlchemy's error text would carry the values (names, phone numbers) into the logs."""
    import traceback

    from sqlalchemy.exc import StatementError

    secret = "张三丰13812345678"
    case = make_case(USER, facts={"phone": secret})
    await apply(store, SaveCase(case))
    orphan = EvidenceItem("e1", "no-such-case", "photo", "F", secret, T0)
    note = TimelineEntry("no-such-case", T0, "fact", secret)
    for effects in ((AddEvidence(orphan),), (AddTimeline(note),)):
        with pytest.raises(Exception) as caught:
            await apply(store, *effects, user_id=USER + 1)
        chain: list[BaseException] = []
        error: BaseException | None = caught.value
        while error is not None and error not in chain:
            chain.append(error)
            error = error.__cause__ or error.__context__
        assert any(isinstance(e, StatementError) for e in chain), chain
        text = "".join(traceback.format_exception(caught.value))
        assert "13812345678" not in text and "张三丰" not in text


async def test_a_new_persons_row_is_written_once_with_its_final_values(store: Storage) -> None:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        words = statement.split()
        if words[0].upper() in ("INSERT", "UPDATE") and "users" in words[:3]:
            statements.append(words[0].upper())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        await apply(store, SetPending({"step": "order"}), SetPending({"step": "amount", "n": "2"}))
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert statements == ["INSERT"]
    view = await store.load_view(USER)
    assert view.pending == {"step": "amount", "n": "2"} and view.current_case_id is None


async def test_a_new_persons_case_gets_the_row_it_points_at(store: Storage) -> None:
    case = make_case(USER)
    await apply(store, SetPending({"k": "v"}), SaveCase(case), SetCurrentCase(case.id))
    view = await store.load_view(USER)
    assert [c.id for c in view.cases] == [case.id]
    assert view.current_case_id == case.id and view.pending == {"k": "v"}


async def test_deleted_then_written_again_in_one_update(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)), SetCurrentCase("case1"))
    await apply(store, DeleteUser(), SetPending({"after": "delete"}))
    view = await store.load_view(USER)
    assert view.cases == () and view.current_case_id is None
    assert view.pending == {"after": "delete"}
    await apply(store, DeleteUser(), user_id=USER + 1)  # nobody yet: no row is left behind
    assert (await store.user_row_counts(USER + 1))["users"] == 0
