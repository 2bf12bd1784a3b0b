"""Storage.handle: one transaction per update, idempotency, outbox and deleting a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from domain.case import EvidenceItem, Filing, Reminder, TimelineEntry, UserView
from domain.messages import Button, Document, Reply
from domain.outcome import (
    AddEvidence,
    AddFiling,
    AddTimeline,
    DeleteUser,
    Outcome,
    RecordClassification,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
    SetPending,
)
from storage import Storage

from .helpers import T0, Clock, decide, make_case, texts

USER = 2002
CHAT = 6002


async def test_first_update_creates_user_and_passes_empty_view(store: Storage) -> None:
    decider = decide(replies=texts("你好"))
    result = await store.handle(USER, CHAT, "u1", decider)
    assert result.duplicate is False
    assert [e.reply.text for e in result.entries] == ["你好"]
    assert decider.seen == [UserView(user_id=USER)]
    assert (await store.user_row_counts(USER))["users"] == 1


async def test_update_that_decides_nothing_leaves_no_trace_of_an_unknown_person(store: Storage) -> None:
    result = await store.handle(USER, CHAT, "u1", decide())
    assert result.entries == []
    assert all(count == 0 for count in (await store.user_row_counts(USER)).values())


async def test_replies_go_to_outbox_in_order_with_ids(store: Storage) -> None:
    replies = (
        Reply("你好", buttons=((Button("助力被吞", "issue:zhuli"), Button("砍价失败", "issue:kanjia")),)),
        Reply("导出", document=Document("case.txt", "案件记录\n".encode(), caption="记录")),
        Reply("第三条"),
    )
    result = await store.handle(USER, CHAT, "u1", decide(replies=replies))
    assert [entry.reply for entry in result.entries] == list(replies)
    assert all(entry.chat_id == CHAT and entry.user_id == USER for entry in result.entries)
    ids = [entry.id for entry in result.entries]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert await store.unsent() == result.entries


async def test_duplicate_update_is_not_decided_again_and_gets_only_unsent(store: Storage) -> None:
    first = await store.handle(USER, CHAT, "u1", decide(SetPending({"n": "1"}), replies=texts("a", "b")))
    await store.mark_sent(first.entries[0].id, telegram_message_id=77)

    again = decide(SetPending({"n": "2"}), replies=texts("x"))
    second = await store.handle(USER, CHAT, "u1", again)
    assert second.duplicate is True
    assert again.seen == []
    assert second.entries == first.entries[1:]
    assert (await store.load_view(USER)).pending == {"n": "1"}

    await store.mark_sent(first.entries[1].id)
    third = await store.handle(USER, CHAT, "u1", again)
    assert third == type(third)(entries=[], duplicate=True)


async def test_updates_without_key_are_never_duplicates(store: Storage) -> None:
    one = await store.handle(USER, CHAT, None, decide(replies=texts("a")))
    two = await store.handle(USER, CHAT, None, decide(replies=texts("a")))
    assert not one.duplicate and not two.duplicate
    assert len(await store.unsent()) == 2
    assert (await store.user_row_counts(USER))["processed_updates"] == 0


async def test_failing_decide_rolls_back_everything(store: Storage) -> None:
    def broken(view: UserView) -> Outcome:
        raise RuntimeError("dialogue bug")

    with pytest.raises(RuntimeError, match="dialogue bug"):
        await store.handle(USER, CHAT, "u1", broken)
    assert (await store.user_row_counts(USER)) == dict.fromkeys(await store.user_row_counts(USER), 0)
    # The key was not consumed: a retry is decided normally.
    retry = await store.handle(USER, CHAT, "u1", decide(replies=texts("ok")))
    assert retry.duplicate is False and [e.reply.text for e in retry.entries] == ["ok"]


async def test_failing_effect_rolls_back_replies_and_key(store: Storage) -> None:
    orphan = TimelineEntry("no-such-case", T0, "note")
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await store.handle(
            USER, CHAT, "u1", decide(SetPending({"a": "1"}), AddTimeline(orphan), replies=texts("x"))
        )
    assert await store.unsent() == []
    assert (await store.load_view(USER)).pending == {}


async def test_mark_sent_and_unsent_redelivery_order_and_age(store: Storage, clock: Clock) -> None:
    older = await store.handle(USER, CHAT, "u1", decide(replies=texts("1", "2")))
    clock.advance(timedelta(minutes=5))
    newer = await store.handle(USER + 1, CHAT + 1, "u2", decide(replies=texts("3")))
    assert await store.unsent() == older.entries + newer.entries
    assert await store.unsent(older_than=timedelta(minutes=1)) == older.entries
    assert await store.unsent(limit=1) == older.entries[:1]
    await store.mark_sent(older.entries[0].id, 123)
    assert await store.unsent() == older.entries[1:] + newer.entries


async def test_delete_user_erases_every_row_but_sends_its_reply(store: Storage) -> None:
    case = make_case(USER, facts={"order_no": "123456"})
    populate = decide(
        SaveCase(case),
        SetCurrentCase(case.id),
        SetPending({"x": "1"}),
        AddTimeline(TimelineEntry(case.id, T0, "stage", "confirm")),
        AddEvidence(EvidenceItem("e1", case.id, "photo", "F", "", T0, sha256="0" * 64)),
        AddFiling(Filing("f1", case.id, "complaint_12315", T0.date(), T0, T0, number="3101150000123")),
        ScheduleReminder(Reminder("r1", case.id, T0 + timedelta(days=1))),
        ScheduleReminder(Reminder("r2", case.id, T0 + timedelta(days=9), "filing:f1")),
        RecordClassification("zhuli_swallowed"),
        replies=texts("saved"),
    )
    await store.handle(USER, CHAT, "u1", populate)
    await store.handle(
        USER + 1, CHAT + 1, "other", decide(SaveCase(make_case(USER + 1, "keep")), replies=texts("k"))
    )
    before = await store.user_row_counts(USER)
    assert all(before[table] >= 1 for table in before), before

    result = await store.handle(USER, CHAT, "u2", decide(DeleteUser(), replies=texts("已删除")))
    assert [entry.reply.text for entry in result.entries] == ["已删除"]
    after = await store.user_row_counts(USER)
    assert after == {**dict.fromkeys(before, 0), "outbox": 1, "processed_updates": 1}
    assert [entry for entry in await store.unsent() if entry.user_id == USER] == result.entries
    assert await store.load_view(USER) == UserView(user_id=USER)
    assert await store.due_reminders(T0 + timedelta(days=30)) == []
    # Other people and anonymous counters are untouched.
    assert [c.id for c in (await store.load_view(USER + 1)).cases] == ["keep"]
    assert (await store.stats())["classifications_by_intent"] == {"zhuli_swallowed": 1}
    # The deleting update stays idempotent.
    assert (await store.handle(USER, CHAT, "u2", decide(replies=texts("again")))).duplicate is True


async def test_delete_then_start_again_in_same_update(store: Storage) -> None:
    await store.handle(USER, CHAT, "u1", decide(SaveCase(make_case(USER)), SetPending({"a": "1"})))
    fresh = make_case(USER, "fresh")
    await store.handle(USER, CHAT, "u2", decide(DeleteUser(), SaveCase(fresh), SetCurrentCase("fresh")))
    view = await store.load_view(USER)
    assert view.cases == (fresh,)
    assert view.current_case_id == "fresh"
    assert view.pending == {}


async def test_view_seen_by_decide_matches_load_view(store: Storage) -> None:
    case = make_case(USER, facts={"k": "v"})
    await store.handle(
        USER,
        CHAT,
        "u1",
        decide(SaveCase(case), SetCurrentCase(case.id), AddTimeline(TimelineEntry(case.id, T0, "e"))),
    )
    decider = decide()
    await store.handle(USER, CHAT, "u2", decider)
    assert decider.seen == [await store.load_view(USER)]
    assert decider.seen[0].current_case == case


async def test_load_view_of_unknown_user_creates_nothing(store: Storage) -> None:
    assert await store.load_view(USER) == UserView(user_id=USER)
    assert (await store.user_row_counts(USER))["users"] == 0


async def test_save_case_of_another_user_is_refused(store: Storage) -> None:
    await store.handle(USER, CHAT, "u1", decide(SaveCase(make_case(USER, "mine"))))
    with pytest.raises(Exception, match="another user"):
        await store.handle(USER + 1, CHAT, "u2", decide(SaveCase(make_case(USER + 1, "mine"))))
    with pytest.raises(Exception, match="another user"):
        await store.handle(USER + 1, CHAT, "u3", decide(SaveCase(make_case(USER, "x"))))
    assert (await store.load_view(USER)).cases[0].user_id == USER


async def test_large_telegram_ids_and_negative_chat_ids(store: Storage) -> None:
    user, chat = 7_123_456_789, -1_001_234_567_890
    case = make_case(user)
    result = await store.handle(
        user, chat, "big", decide(SaveCase(case), SetCurrentCase(case.id), replies=texts("ok"))
    )
    assert result.entries[0].user_id == user and result.entries[0].chat_id == chat
    assert (await store.load_view(user)).current_case == case
    await store.mark_sent(result.entries[0].id, telegram_message_id=2**40)
    assert await store.unsent() == []


async def test_unsent_survive_a_restart(db_url: str) -> None:
    first = await Storage.connect(db_url)
    result = await first.handle(USER, CHAT, "u1", decide(replies=texts("before the crash")))
    await first.close()
    second = await Storage.connect(db_url)
    try:
        assert await second.unsent() == result.entries
        assert (await second.handle(USER, CHAT, "u1", decide())).entries == result.entries
    finally:
        await second.close()


async def test_integrity_errors_of_a_fresh_update_propagate(store: Storage) -> None:
    def clashing(view: UserView) -> Outcome:
        raise IntegrityError("INSERT ...", {}, Exception("unique"))

    with pytest.raises(IntegrityError):
        await store.handle(USER, CHAT, "fresh", clashing)
    assert (await store.user_row_counts(USER))["processed_updates"] == 0


async def test_outbox_ids_are_never_reused_after_a_deletion(store: Storage) -> None:
    earlier = await store.handle(USER, CHAT, "u1", decide(replies=texts("a", "b")))
    for entry in earlier.entries:
        await store.mark_sent(entry.id)
    # Deleting the person removes the rows with the highest ids so far.
    deleted = await store.handle(USER, CHAT, "u2", decide(DeleteUser(), replies=texts("已删除")))
    assert deleted.entries[0].id > max(entry.id for entry in earlier.entries)
    await store.prune_processed(T0 + timedelta(days=365))
    later = await store.handle(USER, CHAT, "u3", decide(replies=texts("again")))
    assert later.entries[0].id > deleted.entries[0].id
