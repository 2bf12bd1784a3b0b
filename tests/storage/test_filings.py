"""Filings as case data: AddFiling/UpdateFiling through Storage.handle, the view, and /delete."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.case import Filing
from domain.outcome import AddFiling, DeleteUser, SaveCase, UpdateFiling
from storage import Storage
from storage.errors import StorageError

from .helpers import T0, decide, make_case

USER = 2001
CHAT = 6001


async def apply(store: Storage, *effects: object, user_id: int = USER) -> None:
    """Run one update applying ``effects``."""
    await store.handle(user_id, CHAT, None, decide(*effects))  # type: ignore[arg-type]


def filing(filing_id: str = "fl1", case_id: str = "case1", **changes: object) -> Filing:
    """A 12315 complaint filed on T0's day."""
    made = Filing(filing_id, case_id, "complaint_12315", date(2026, 3, 1), T0, T0, number="3101150000123")
    return made.evolve(**changes) if changes else made


async def test_add_filing_appears_in_the_view_of_every_case_in_order(store: Storage) -> None:
    first = filing()
    second = filing("fl2", "case2", channel="customer_service", number="", created_at=T0 + timedelta(hours=1))
    await apply(store, SaveCase(make_case(USER)), SaveCase(make_case(USER, "case2")), AddFiling(first))
    await apply(store, AddFiling(second))
    assert (await store.load_view(USER)).filings == (first, second)


async def test_add_filing_is_idempotent_by_id(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)), AddFiling(filing()))
    await apply(store, AddFiling(filing(number="changed")))
    assert (await store.load_view(USER)).filings == (filing(),)


async def test_update_filing_replaces_status_answer_and_dates(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)), AddFiling(filing()))
    accepted = filing(
        status="accepted",
        accepted_on=date(2026, 3, 5),
        answer="已受理，转辖区所",
        promised_until=T0 + timedelta(days=2),
        updated_at=T0 + timedelta(days=4),
    )
    await apply(store, UpdateFiling(accepted))
    assert (await store.load_view(USER)).filings == (accepted,)


async def test_add_filing_to_another_users_case_is_refused(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)))
    with pytest.raises(StorageError):
        await apply(store, SaveCase(make_case(USER + 1, "theirs")), AddFiling(filing()), user_id=USER + 1)
    assert (await store.load_view(USER)).filings == ()


async def test_update_filing_cannot_touch_another_users_filing(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)), AddFiling(filing()))
    intruder = USER + 1
    await apply(store, SaveCase(make_case(intruder, "theirs")), user_id=intruder)
    await apply(store, UpdateFiling(filing(case_id="theirs", status="closed")), user_id=intruder)
    assert (await store.load_view(USER)).filings == (filing(),)


async def test_delete_user_erases_filings(store: Storage) -> None:
    await apply(store, SaveCase(make_case(USER)), AddFiling(filing()))
    assert (await store.user_row_counts(USER))["filings"] == 1
    await apply(store, DeleteUser())
    await apply(store, UpdateFiling(filing(status="settled")))  # a late press after /delete
    counts = await store.user_row_counts(USER)
    assert counts["filings"] == 0 and counts["cases"] == 0
    assert (await store.load_view(USER)).filings == ()


async def test_stats_count_filings_by_channel_and_outcome_only(store: Storage) -> None:
    await apply(
        store, SaveCase(make_case(USER)), AddFiling(filing()), AddFiling(filing("fl2", status="rejected"))
    )
    await apply(store, AddFiling(filing("fl3", channel="platform", number="GD1", status="settled")))
    stats = await store.stats()
    assert stats["filings_by_channel"] == {"complaint_12315": 2, "platform": 1}
    assert stats["filings_by_status"] == {"rejected": 1, "settled": 1, "submitted": 1}
    assert "3101150000123" not in repr(stats) and "GD1" not in repr(stats)
