"""Pure pieces: reply payload round trip and the per-key lock table."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from domain.messages import Button, Document, Reply
from storage.locks import KeyedLock
from storage.rows import reply_from_payload, reply_to_payload

_text = st.text(max_size=40)
_buttons = st.lists(
    st.lists(st.builds(Button, label=_text, data=st.text(max_size=64)).map(lambda b: b), max_size=3).map(
        tuple
    ),
    max_size=3,
).map(tuple)
_documents = st.none() | st.builds(Document, filename=_text, content=st.binary(max_size=64), caption=_text)


@given(text=_text, buttons=_buttons, document=_documents)
def test_reply_round_trips_through_payload(
    text: str, buttons: tuple[tuple[Button, ...], ...], document: Document | None
) -> None:
    reply = Reply(text=text, buttons=buttons, document=document)
    payload, content = reply_to_payload(reply)
    assert (content is None) == (document is None)
    assert reply_from_payload(payload, content) == reply


async def test_keyed_lock_serialises_one_key_and_forgets_it() -> None:
    locks = KeyedLock()
    order: list[str] = []

    async def worker(key: int, name: str) -> None:
        async with locks.hold(key):
            order.append(f"{name}+")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            order.append(f"{name}-")

    await asyncio.gather(worker(1, "a"), worker(1, "b"), worker(2, "c"))
    assert order.index("a-") < order.index("b+")  # same key never overlaps
    assert order.index("c+") < order.index("a-")  # another key does
    assert len(locks) == 0


async def test_keyed_lock_released_on_error() -> None:
    locks = KeyedLock()
    try:
        async with locks.hold(5):
            raise ValueError("boom")
    except ValueError:
        pass
    assert len(locks) == 0
    async with locks.hold(5):
        assert len(locks) == 1
