"""Reminders falling due, statistics, purging closed cases and pruning bookkeeping rows."""

from __future__ import annotations

from datetime import timedelta

from domain.case import EvidenceItem, Reminder, TimelineEntry
from domain.outcome import (
    AddEvidence,
    AddTimeline,
    RecordClassification,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
)
from storage import Storage

from .helpers import T0, Clock, decide, make_case, texts

CHAT = 8000


async def test_due_reminders_oldest_first_with_limit(store: Storage) -> None:
    late = Reminder("late", "a", T0 + timedelta(hours=3))
    early = Reminder("early", "b", T0 + timedelta(hours=1))
    future = Reminder("future", "a", T0 + timedelta(days=9), purpose="deadline")
    await store.handle(
        1, CHAT, None, decide(SaveCase(make_case(1, "a")), ScheduleReminder(late), ScheduleReminder(future))
    )
    await store.handle(2, CHAT, None, decide(SaveCase(make_case(2, "b")), ScheduleReminder(early)))
    now = T0 + timedelta(hours=5)
    assert await store.due_reminders(now) == [(2, early), (1, late)]
    assert await store.due_reminders(now, limit=1) == [(2, early)]
    assert await store.due_reminders(T0) == []
    assert await store.due_reminders(early.due_at) == [(2, early)]  # due exactly now counts


async def test_stats_counts_cases_stages_and_classifications(store: Storage) -> None:
    await store.handle(
        1,
        CHAT,
        None,
        decide(
            SaveCase(make_case(1, "a", stage="contact")),
            AddTimeline(TimelineEntry("a", T0, "stage", "confirm")),
            AddTimeline(TimelineEntry("a", T0, "stage", "contact")),
            AddTimeline(TimelineEntry("a", T0, "stage", "contact")),
            AddTimeline(TimelineEntry("a", T0, "fact", "order_no")),
            RecordClassification("zhuli_swallowed"),
        ),
    )
    closed = make_case(2, "b", issue_type="bargain_failed", status="closed", outcome="resolved", closed_at=T0)
    await store.handle(
        2,
        CHAT,
        None,
        decide(
            SaveCase(closed),
            AddTimeline(TimelineEntry("b", T0, "stage", "confirm")),
            RecordClassification("other", unknown_tokens=("啥",)),
        ),
    )
    await store.handle(3, CHAT, None, decide(SaveCase(make_case(3, "c", issue_type=None))))
    stats = await store.stats()
    assert stats["users"] == 3
    assert stats["cases_total"] == 3
    assert stats["cases_by_type"] == {"bargain_failed": 1, "unknown": 1, "zhuli_swallowed": 1}
    assert stats["cases_by_stage"] == {"confirm": 2, "contact": 1}
    assert stats["cases_by_status"] == {"closed": 1, "open": 2}
    assert stats["cases_by_outcome"] == {"resolved": 1}
    assert stats["stage_reached"] == {"confirm": 2, "contact": 1}  # distinct cases
    assert stats["stage_entries_total"] == {"confirm": 2, "contact": 2}  # every entry
    assert stats["unknown_messages"] == 1
    assert stats["unknown_tokens_distinct"] == 1


async def test_stats_hold_no_personal_data(store: Storage) -> None:
    secret = "13800138000"
    case = make_case(424242, facts={"phone": secret, "order_no": "240101-123"})
    await store.handle(424242, CHAT, "key", decide(SaveCase(case), replies=texts(secret)))
    rendered = repr(await store.stats())
    assert "424242" not in rendered and secret not in rendered and "240101" not in rendered


async def test_purge_closed_removes_old_closed_cases_with_their_rows(store: Storage) -> None:
    old = make_case(1, "old", status="closed", outcome="resolved", closed_at=T0)
    recent = make_case(1, "recent", status="closed", outcome="abandoned", closed_at=T0 + timedelta(days=40))
    still_open = make_case(1, "open")
    await store.handle(
        1,
        CHAT,
        None,
        decide(
            SaveCase(old.evolve(facts={"k": "v"})),
            SaveCase(recent),
            SaveCase(still_open),
            SetCurrentCase("old"),
            AddTimeline(TimelineEntry("old", T0, "stage", "confirm")),
            AddEvidence(EvidenceItem("e", "old", "photo", "F", "", T0)),
            ScheduleReminder(Reminder("r", "old", T0 + timedelta(days=400))),
        ),
    )
    assert await store.purge_closed(T0 + timedelta(days=30)) == 1
    view = await store.load_view(1)
    assert {case.id for case in view.cases} == {"recent", "open"}
    assert view.current_case_id is None  # it pointed at the purged case
    counts = await store.user_row_counts(1)
    assert counts["case_facts"] == counts["timeline"] == counts["evidence"] == counts["reminders"] == 0
    assert await store.purge_closed(T0 + timedelta(days=30)) == 0
    assert await store.purge_closed(T0 + timedelta(days=60)) == 1
    assert (await store.stats())["stage_entries_total"] == {"confirm": 1}  # aggregates survive


async def test_prune_processed_forgets_old_keys_and_sent_rows_only(store: Storage, clock: Clock) -> None:
    old = await store.handle(1, CHAT, "old", decide(replies=texts("a", "b")))
    await store.mark_sent(old.entries[0].id)
    clock.advance(timedelta(days=10))
    new = await store.handle(1, CHAT, "new", decide(replies=texts("c")))
    await store.mark_sent(new.entries[0].id)

    removed = await store.prune_processed(T0 + timedelta(days=1))
    assert removed == 2  # the key "old" and the sent entry "a"
    assert await store.unsent() == old.entries[1:]  # unsent rows are never pruned
    counts = await store.user_row_counts(1)
    assert counts["processed_updates"] == 1 and counts["outbox"] == 2
    assert (await store.handle(1, CHAT, "new", decide())).duplicate is True
    assert (await store.handle(1, CHAT, "old", decide())).duplicate is False


async def _outbox_rows(db_url: str) -> list[tuple[object, object, object]]:
    """Every outbox row as (payload, document, sent_at), read on connections of their own."""
    from sqlalchemy import text

    from tests.databases import run_unit

    return await run_unit(
        db_url,
        lambda connection: [
            tuple(row)
            for row in connection.execute(text("select payload, document, sent_at from outbox order by id"))
        ],
    )


async def test_a_sent_reply_keeps_no_text_or_document(store: Storage, db_url: str) -> None:
    from domain.messages import Document, Reply

    draft = Reply("您好，我是张三，电话13812345678", document=Document("case.txt", b"13812345678"))
    result = await store.handle(1, CHAT, "u1", decide(replies=(draft, Reply("还没发出的回复 13900001111"))))
    await store.mark_sent(result.entries[0].id, telegram_message_id=5)

    rows = await _outbox_rows(db_url)
    sent, unsent = rows
    assert sent[2] is not None and sent[1] is None
    assert "13812345678" not in str(sent[0]) and "张三" not in str(sent[0])
    assert "13900001111" in str(unsent[0])  # an unsent reply keeps what redelivery needs
    assert await store.unsent() == result.entries[1:]
    assert (await store.handle(1, CHAT, "u1", decide())).duplicate is True  # idempotency survives


async def test_keys_are_pruned_after_three_days_even_when_retention_is_off(
    store: Storage, clock: Clock
) -> None:
    from bot.runner import KEY_RETENTION, retention_pass

    old = await store.handle(1, CHAT, "old", decide(replies=texts("a")))
    await store.mark_sent(old.entries[0].id)
    closed = make_case(1, "c", status="closed", outcome="resolved", closed_at=T0)
    await store.handle(1, CHAT, "case", decide(SaveCase(closed)))
    clock.advance(KEY_RETENTION - timedelta(hours=1))
    assert await retention_pass(store, 0, clock.now) == (0, 0)  # younger than the window: kept
    clock.advance(timedelta(hours=2))
    purged, pruned = await retention_pass(store, 0, clock.now)
    assert purged == 0 and pruned == 3  # keys "old" and "case", and the sent row
    counts = await store.user_row_counts(1)
    assert counts["processed_updates"] == 0 and counts["outbox"] == 0
    assert counts["cases"] == 1  # RETENTION_DAYS=0 keeps closed cases


async def test_unmatched_words_age_out_after_thirty_days(store: Storage, clock: Clock) -> None:
    from bot.runner import TOKEN_RETENTION, retention_pass

    await store.handle(1, CHAT, None, decide(RecordClassification("other", unknown_tokens=("天气", "拼团"))))
    clock.advance(TOKEN_RETENTION - timedelta(days=1))
    await store.handle(2, CHAT, None, decide(RecordClassification("other", unknown_tokens=("拼团",))))
    clock.advance(timedelta(days=2))
    await retention_pass(store, 0, clock.now)
    assert await store.unknown_tokens() == [("拼团", 2)]  # seen again lately: kept, with its count
