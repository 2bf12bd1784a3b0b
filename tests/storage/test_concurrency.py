"""Many updates at once: per-person serialisation loses nothing; different people proceed together."""

from __future__ import annotations

import asyncio

from domain.case import TimelineEntry, UserView
from domain.messages import Reply
from domain.outcome import AddTimeline, Outcome, SaveCase, SetCurrentCase
from storage import Storage

from .helpers import T0, make_case

CHAT = 7000


def increment(view: UserView) -> Outcome:
    """Read the counter fact of the current case and write it back plus one (a read-modify-write)."""
    case = view.current_case
    if case is None:
        case = make_case(view.user_id, f"c{view.user_id}", facts={"counter": "0"})
    count = int(case.facts["counter"]) + 1
    updated = case.evolve(facts={**case.facts, "counter": str(count)})
    return Outcome(
        replies=(Reply(f"count={count}"),),
        effects=(
            SaveCase(updated),
            SetCurrentCase(updated.id),
            AddTimeline(TimelineEntry(updated.id, T0, "tick", str(count))),
        ),
    )


async def test_one_person_many_concurrent_updates_none_lost(store: Storage) -> None:
    user = 31
    results = await asyncio.gather(*(store.handle(user, CHAT, f"k{i}", increment) for i in range(40)))
    assert not any(result.duplicate for result in results)
    view = await store.load_view(user)
    assert view.cases[0].facts["counter"] == "40"
    # Each update saw the previous one's write: the counters handed out are exactly 1..40.
    seen = sorted(int(result.entries[0].reply.text.split("=")[1]) for result in results)
    assert seen == list(range(1, 41))
    assert (await store.user_row_counts(user))["timeline"] == 40


async def test_many_people_concurrently(store: Storage) -> None:
    users = range(100, 120)
    await asyncio.gather(
        *(store.handle(user, CHAT, f"{user}-{i}", increment) for i in range(5) for user in users)
    )
    for user in users:
        assert (await store.load_view(user)).cases[0].facts["counter"] == "5"
    assert (await store.stats())["cases_total"] == 20


async def test_concurrent_duplicates_decided_once(store: Storage) -> None:
    user = 77
    calls: list[int] = []

    def counted(view: UserView) -> Outcome:
        calls.append(1)
        return increment(view)

    results = await asyncio.gather(*(store.handle(user, CHAT, "same-key", counted) for _ in range(10)))
    assert len(calls) == 1
    assert sum(not result.duplicate for result in results) == 1
    fresh = next(result for result in results if not result.duplicate)
    for result in results:
        if result.duplicate:
            assert result.entries == fresh.entries  # nothing sent yet: the duplicate gets them too
    assert (await store.load_view(user)).cases[0].facts["counter"] == "1"


async def test_concurrent_duplicates_across_two_storages(db_url: str) -> None:
    """Two processes' worth of Storage objects racing on the same update key."""
    first = await Storage.connect(db_url)
    second = await Storage.connect(db_url, migrate=False)
    try:
        results = await asyncio.gather(
            *(store.handle(5, CHAT, f"key{i}", increment) for i in range(10) for store in (first, second))
        )
        assert sum(result.duplicate for result in results) == 10
        assert (await first.load_view(5)).cases[0].facts["counter"] == "10"
    finally:
        await first.close()
        await second.close()


async def test_one_person_across_two_storages_none_lost(db_url: str) -> None:
    """Two processes' worth of Storage objects, one person, different updates: applied one at a time
    (PostgreSQL's per-person advisory lock, SQLite's BEGIN IMMEDIATE), so no write is lost."""
    first = await Storage.connect(db_url)
    second = await Storage.connect(db_url, migrate=False)
    try:
        results = await asyncio.gather(
            *(
                store.handle(6, CHAT, f"{name}{i}", increment)
                for i in range(15)
                for name, store in (("a", first), ("b", second))
            ),
            *(store.handle(6, CHAT, None, increment) for store in (first, second)),  # no key: locked too
        )
        assert not any(result.duplicate for result in results)
        assert (await second.load_view(6)).cases[0].facts["counter"] == "32"
        handed_out = sorted(int(r.entries[0].reply.text.split("=")[1]) for r in results)
        assert handed_out == list(range(1, 33))
    finally:
        await first.close()
        await second.close()


async def test_failing_update_among_concurrent_ones_rolls_back_alone(store: Storage) -> None:
    def broken(view: UserView) -> Outcome:
        raise RuntimeError("dialogue bug")

    users = list(range(200, 212))
    calls = [store.handle(user, CHAT, f"ok{user}", increment) for user in users]
    calls.insert(5, store.handle(999, CHAT, "bad", broken))
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    assert [str(error) for error in errors] == ["dialogue bug"]
    for user in users:
        assert (await store.load_view(user)).cases[0].facts["counter"] == "1"
    assert (await store.user_row_counts(999))["users"] == 0
    # The failed update's key was not consumed.
    assert (await store.handle(999, CHAT, "bad", increment)).duplicate is False
