"""Property-based: thousands of random updates through the real handler stack.

Hypothesis draws batches of updates of every kind (text with random Unicode, commands with
garbage, realistic and forged button presses, media, groups, channels, edits, inline queries,
repeated update ids) from a few people and feeds each batch the way the polling loop does
(``process_batch``: one lane per person, people concurrently). After every batch:

* no exception reached the Application's error handler and nothing logged an ERROR;
* every message sent obeys Telegram's limits (text 1..4096, callback data 1..64 bytes);
* every stored reply was sent at most once (no double sends of repeated updates), and never
  lost (no unsent row once the batch is settled);
* the database is consistent: current cases exist and belong to their person, stages and
  steps exist in the step files, no orphan rows.

One stack (one database) lives through all examples, so state accumulates as in production.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from telegram.ext import CallbackContext

from bot.runner import process_batch
from bot.throttle import Throttle
from domain.case import new_id
from guide import COMMANDS
from intents.match import ISSUE_TYPES
from storage import OutboxEntry
from tests.factories import (
    MEDIA,
    Json,
    UpdateStream,
    as_update,
    callback_query,
    channel_chat,
    group_chat,
    message,
    telegram_user,
    text_fields,
)
from tests.offline import SEND_METHODS, assert_within_limits, offline_frontend, settle

PEOPLE = (720001, 720002, 720003, 720004, 720005)
BATCHES = 260
BATCH_SIZE = (18, 26)
MIN_UPDATES = 5000

PHRASES = (
    "拼多多帮好友助力，显示成功了但是他说没收到",
    "砍价砍到最后就差0.01元，一直砍不动",
    "买的东西和描述不符，商家不给退款",
    "订单号231118-492817365029174",
    "订单号 231118492817365029",
    "我的手机号13812345678",
    "昨天下午3点联系了客服",
    "客服说是系统问题",
    "已经联系客服了，没解决",
    "金额 39.9 元",
    "下一步",
    "好的",
    "投诉",
    "12315",
    "你好",
    "谢谢",
    "是",
    "否",
    "2026-11-20",
    "张三",
)
#: Every command people can send: the guide's and the operators'.
COMMAND_NAMES = (*(name for name, _ in COMMANDS), "stats", "reload")
OPS = ("s", "n", "m", "t", "c", "y", "f", "x", "r", "o", "k", "d", "zz", "")


@dataclass
class Stack:
    """The real Application, core and database, on one event loop kept across examples."""

    root: Path
    runner: asyncio.Runner = field(default_factory=asyncio.Runner)
    errors: list[BaseException] = field(default_factory=list)
    error_logs: list[str] = field(default_factory=list)
    buttons: dict[int, list[str]] = field(default_factory=dict)
    updates: UpdateStream = field(default_factory=UpdateStream)
    updates_fed: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    recent: list[Json] = field(default_factory=list)
    sends_per_entry: Counter[int] = field(default_factory=Counter)

    def start(self) -> None:
        """Build the stack inside the runner's loop."""
        self.core, self.frontend, self.request = self.runner.run(
            offline_frontend(self.root, ocr_enabled=True)
        )
        # The per-person flood limit would drop most of a random burst; it has its own tests.
        self.frontend.throttle = Throttle(limit=10**9)
        self.stages = {stage.id: len(stage.steps) for stage in self.core.content.stages}

        async def record(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
            assert context.error is not None
            self.errors.append(context.error)

        self.frontend.app.add_error_handler(record)
        # Count the sends of each outbox entry (a /delete erases rows, so the table cannot tell).
        send = self.frontend.deliverer._send

        async def counting(entry: OutboxEntry) -> int:
            self.sends_per_entry[entry.id] += 1
            return await send(entry)

        self.frontend.deliverer._send = counting  # type: ignore[method-assign]
        self.runner.run(self.frontend.app.initialize())

    def stop(self) -> None:
        """Shut everything down and close the loop."""
        try:
            self.runner.run(self.frontend.app.shutdown())
            self.runner.run(self.core.close())
        finally:
            self.runner.close()

    def feed(self, raws: list[Json]) -> list[Json]:
        """Apply a batch like the polling loop does; return the sends it caused."""
        before = len(self.request.calls)
        updates = []
        for raw in raws:
            updates.append(as_update(self.updates.numbered(raw), self.frontend.app.bot))
            self.recent.append(copy.deepcopy(raw))
        del self.recent[:-30]

        async def run() -> None:
            await process_batch(self.frontend, updates)
            await settle(self.frontend)

        self.runner.run(run())
        self.updates_fed += len(raws)
        sent = [params for name, params, _ in self.request.calls[before:] if name in SEND_METHODS]
        for params in sent:
            data = [
                str(button.get("callback_data"))
                for row in (params.get("reply_markup") or {}).get("inline_keyboard", [])
                for button in row
            ]
            if data and int(params["chat_id"]) > 0:
                known = self.buttons.setdefault(int(params["chat_id"]), [])
                known.extend(data)
                del known[:-40]
        return sent

    def sends_to_people(self) -> int:
        """Messages and documents sent to private chats so far (group hints excluded)."""
        return sum(
            1
            for name, params, _ in self.request.calls
            if name in SEND_METHODS and int(params.get("chat_id", 0)) > 0
        )


class _ErrorLog(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One stack for the whole module; ERROR records anywhere are collected."""
    result = Stack(tmp_path_factory.mktemp("property"))
    handler = _ErrorLog(result.error_logs)
    logging.getLogger().addHandler(handler)
    result.start()
    try:
        yield result
    finally:
        result.stop()
        logging.getLogger().removeHandler(handler)


# --- strategies --------------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=200),
    st.sampled_from(PHRASES),
    st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4).map("，".join),
    st.builds(lambda a, b: a + b, st.sampled_from(PHRASES), st.text(max_size=40)),
    st.integers(min_value=1, max_value=6000).map(lambda n: ("砍价失败" * n)[:n]),
    st.sampled_from(["", " ", "\u200b", "😡" * 5, "\x00\x1b[0m", "/", "@weiquan_test_bot"]),
)
commands = st.builds(
    lambda name, suffix, args: f"/{name}{suffix}" + (f" {args}" if args else ""),
    st.one_of(
        st.sampled_from(COMMAND_NAMES), st.text(min_size=1, max_size=20).filter(lambda s: " " not in s)
    ),
    st.sampled_from(["", "", "", "@weiquan_test_bot", "@otherbot"]),
    st.one_of(
        st.just(""), st.text(max_size=60), st.sampled_from(["../../etc", "💥💥", "' OR 1=1 --", "1 2 3"])
    ),
)
forged_data = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda op, args: "|".join([op, *args]),
        st.sampled_from(OPS),
        st.lists(
            st.one_of(
                st.sampled_from(["new", "fresh", "no", "yes", "wait", "0", "3", "resume", "next", "draft"]),
                st.sampled_from([*ISSUE_TYPES, "confirm.0", "legal.9", "order_no", "resolved"]),
                st.builds(new_id),
                st.text(alphabet="abcdef0123456789.:_-", max_size=50),
            ),
            max_size=4,
        ),
    ),
)


@st.composite
def update_for(draw: st.DrawFn, stack: Stack) -> Json:
    """One raw update of a random kind from one of the people."""
    sender = draw(st.sampled_from(PEOPLE))
    kind = draw(
        st.sampled_from(
            ["text"] * 6
            + ["command"] * 3
            + ["press"] * 6
            + ["forged"] * 2
            + ["media"] * 2
            + ["group", "channel", "edited", "inline", "bot", "duplicate", "other_persons_button"]
        )
    )
    message_id = draw(st.integers(min_value=1, max_value=10**6))
    if kind == "text":
        body: Json = {"text": draw(texts)}
        if draw(st.booleans()) and draw(st.booleans()):
            body["forward_origin"] = {"type": "hidden_user", "date": 1, "sender_user_name": "某人"}
        return {"message": message(sender, message_id=message_id, **body)}
    if kind == "command":
        return {"message": message(sender, message_id=message_id, **text_fields(draw(commands)))}
    if kind in ("press", "other_persons_button"):
        owner = sender if kind == "press" else draw(st.sampled_from(PEOPLE))
        # Draw the same shapes whatever the state (Hypothesis checks that), then pick.
        pick, fallback = draw(st.integers(min_value=0, max_value=10**6)), draw(forged_data)
        known = stack.buttons.get(owner, [])
        data = known[-1 - pick % len(known)] if known else fallback
        return {"callback_query": callback_query(sender, data, message_id=message_id)}
    if kind == "forged":
        return {
            "callback_query": callback_query(
                sender, draw(st.one_of(st.none(), forged_data)), message_id=message_id
            )
        }
    if kind == "media":
        body = dict(MEDIA[draw(st.sampled_from(sorted(MEDIA)))])
        if draw(st.booleans()):
            body["caption"] = draw(texts)[:1024]
        return {"message": message(sender, message_id=message_id, **body)}
    if kind == "group":
        text = draw(st.sampled_from(["", "@weiquan_test_bot "])) + draw(texts)
        chat = group_chat(kind=draw(st.sampled_from(["group", "supergroup"])))
        return {"message": message(sender, chat, message_id=message_id, text=text or "x")}
    if kind == "channel":
        chat = channel_chat(-100777)
        return {
            "channel_post": {"message_id": message_id, "date": 1, "chat": chat, "text": draw(texts) or "x"}
        }
    if kind == "edited":
        return {
            "edited_message": message(sender, message_id=message_id, text=draw(texts) or "x", edit_date=2)
        }
    if kind == "inline":
        return {
            "inline_query": {
                "id": str(message_id),
                "from": telegram_user(sender),
                "query": draw(texts),
                "offset": "",
            }
        }
    if kind == "bot":
        raw = message(sender, message_id=message_id, text=draw(texts) or "x")
        return {"message": {**raw, "from": telegram_user(sender, is_bot=True)}}
    # "duplicate": Telegram (or a webhook retry) delivers an update already applied.
    pick = draw(st.integers(min_value=0, max_value=10**6))
    if stack.recent:
        return copy.deepcopy(stack.recent[-1 - pick % len(stack.recent)])
    return {"message": message(sender, message_id=message_id, text="助力被吞了")}


# --- the database's invariants -----------------------------------------------------------


def check_database(path: Path, stages: dict[str, int]) -> None:
    """Referential and domain consistency of everything stored."""
    db = sqlite3.connect(path)
    try:
        q = db.execute
        bad_current = q(
            "select u.user_id from users u left join cases c on c.id = u.current_case_id "
            "where u.current_case_id is not null and (c.id is null or c.user_id != u.user_id)"
        ).fetchall()
        assert bad_current == [], "current_case_id must point to an existing case of the same person"
        for stage, step, status, issue_type, closed_at, outcome in q(
            "select stage, step, status, issue_type, closed_at, outcome from cases"
        ):
            assert stage in stages, stage
            assert 0 <= step < stages[stage], (stage, step)
            assert status in ("open", "closed")
            assert issue_type is None or issue_type in ISSUE_TYPES
            if status == "closed":
                assert closed_at is not None
                assert outcome in ("resolved", "unresolved", "abandoned")
        orphans = {
            "cases": "select count(*) from cases where user_id not in (select user_id from users)",
            "case_facts": "select count(*) from case_facts where case_id not in (select id from cases)",
            "timeline": "select count(*) from timeline where case_id not in (select id from cases)",
            "evidence": "select count(*) from evidence where case_id not in (select id from cases)",
            "reminders": "select count(*) from reminders r where r.case_id not in (select id from cases) "
            "or r.user_id not in (select user_id from users) "
            "or r.user_id != (select c.user_id from cases c where c.id = r.case_id)",
            "reminder_status": "select count(*) from reminders where status not in ('pending','done','cancelled')",
            "unsent_outbox": "select count(*) from outbox where sent_at is null",
        }
        found = {name: q(sql).fetchone()[0] for name, sql in orphans.items()}
        bad = {name: count for name, count in found.items() if count}
        assert not bad, bad
        facts_of_closed_or_open = q("select count(*) from case_facts where length(value) > 5000").fetchone()[
            0
        ]
        assert facts_of_closed_or_open == 0, "facts are bounded"
    finally:
        db.close()


# --- the property ------------------------------------------------------------------------


def test_random_updates_never_break_the_bot(stack: Stack) -> None:
    database = stack.root / "bot.db"

    @settings(
        max_examples=BATCHES,
        deadline=None,
        database=None,
        # The stack keeps its state across examples, so a failure cannot be replayed alone:
        # report the first failing batch as is instead of shrinking it.
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        size = data.draw(st.integers(*BATCH_SIZE), label="batch size")
        raws = [data.draw(update_for(stack), label="update") for _ in range(size)]
        sent = stack.feed(raws)

        assert stack.errors == [], stack.errors[:3]
        assert stack.error_logs == [], stack.error_logs[:3]
        assert_within_limits(sent)
        check_database(database, stack.stages)
        twice = [entry for entry, sends in stack.sends_per_entry.items() if sends > 1]
        assert twice == [], "a stored reply was sent twice"
        assert stack.sends_to_people() == sum(stack.sends_per_entry.values()), "a reply bypassed the outbox"

    run()
    assert stack.updates_fed >= MIN_UPDATES
    assert len(stack.sends_per_entry) > MIN_UPDATES // 2, "most updates should have been answered"
    for user in PEOPLE:
        view = stack.runner.run(stack.core.storage.load_view(user))
        assert view.current_case_id is None or view.current_case is not None
