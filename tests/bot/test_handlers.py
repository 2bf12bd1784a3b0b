"""The real handler stack offline: Application + handlers + dialogue + storage, fake network.

Each test feeds raw update JSON, as Telegram sends it, and checks what the bot sent.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.core import BotCore
from bot.telegram_app import TelegramFrontend
from tests.offline import BOT_USER, OfflineRequest, offline_settings

OPERATOR = 900001
USER = 100001


class Harness:
    """Feeds raw updates and reads the sent messages."""

    def __init__(self, frontend: TelegramFrontend, request: OfflineRequest) -> None:
        self.frontend = frontend
        self.request = request
        self.next_id = 0
        self.next_update = 1_000_000

    def _message(self, user_id: int, chat: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        self.next_id += 1
        message = {
            "message_id": self.next_id,
            "date": int(time.time()),
            "chat": chat or {"id": user_id, "type": "private", "first_name": "测试"},
            "from": {"id": user_id, "is_bot": False, "first_name": "测试"},
            **fields,
        }
        return message

    async def feed(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        """Process one raw update; return the sendMessage/sendDocument calls it caused."""
        before = len(self.request.calls)
        self.next_update += 1
        raw.setdefault("update_id", self.next_update)
        update = Update.de_json(raw, self.frontend.app.bot)
        assert update is not None
        await self.frontend.app.process_update(update)
        await self.frontend.deliverer.drain()
        return [p for name, p, _ in self.request.calls[before:] if name in ("sendMessage", "sendDocument")]

    async def text(self, user_id: int, text: str, **kw: Any) -> list[dict[str, Any]]:
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return await self.feed({"message": self._message(user_id, **kw, **fields)})


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    settings = offline_settings(tmp_path, operator_ids=frozenset({OPERATOR}))
    core = await BotCore.create(settings)
    request = OfflineRequest()
    frontend = TelegramFrontend(core, request=request, rate_limit=False)
    async with frontend.app:
        yield Harness(frontend, request)
    await core.close()


async def test_private_text_gets_the_first_step(harness: Harness) -> None:
    sent = await harness.text(USER, "砍价砍到最后就差0.01元，一直砍不动")
    assert sent
    assert any("活动规则" in p["text"] for p in sent)


async def test_button_press_is_answered_and_moves_on(harness: Harness) -> None:
    sent = await harness.text(USER, "/start")
    markup = sent[-1]["reply_markup"]
    data = markup["inline_keyboard"][0][0]["callback_data"]
    before = len(harness.request.sent("answerCallbackQuery"))
    raw = {
        "callback_query": {
            "id": "cq1",
            "from": {"id": USER, "is_bot": False, "first_name": "测试"},
            "chat_instance": "x",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": USER, "type": "private"},
                "from": BOT_USER,
                "text": "…",
            },
        }
    }
    replies = await harness.feed(raw)
    assert replies
    assert len(harness.request.sent("answerCallbackQuery")) == before + 1


async def test_group_message_is_ignored_unless_mentioned(harness: Harness) -> None:
    group = {"id": -100123, "type": "supergroup", "title": "群"}
    assert await harness.text(USER, "砍价失败了怎么办", chat=group) == []
    mention = [{"type": "mention", "offset": 0, "length": len("@weiquan_test_bot")}]
    sent = await harness.feed(
        {
            "message": harness._message(
                USER, chat=group, text="@weiquan_test_bot 砍价失败了怎么办", entities=mention
            )
        }
    )
    assert len(sent) == 1
    assert "私聊" in sent[0]["text"]


async def test_messages_from_bots_are_ignored(harness: Harness) -> None:
    harness.next_id += 1
    raw = {
        "message": {
            "message_id": harness.next_id,
            "date": int(time.time()),
            "chat": {"id": 555, "type": "private"},
            "from": {"id": 555, "is_bot": True, "first_name": "other bot"},
            "text": "助力被吞了",
        }
    }
    assert await harness.feed(raw) == []


async def test_edited_messages_and_channel_posts_are_ignored_by_design(harness: Harness) -> None:
    edited = {"edited_message": harness._message(USER, text="改了一下", edit_date=int(time.time()))}
    assert await harness.feed(edited) == []
    post = {
        "channel_post": {
            "message_id": 5,
            "date": int(time.time()),
            "chat": {"id": -100999, "type": "channel", "title": "频道"},
            "text": "助力",
        }
    }
    assert await harness.feed(post) == []


@pytest.mark.parametrize(
    "fields",
    [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "su",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {"voice": {"file_id": "v", "file_unique_id": "vu", "duration": 3}},
        {"location": {"latitude": 31.2, "longitude": 121.5}},
        {"dice": {"emoji": "🎲", "value": 3}},
        {"contact": {"phone_number": "13812345678", "first_name": "某人"}},
    ],
)
async def test_other_kinds_get_a_polite_reply(harness: Harness, fields: dict[str, Any]) -> None:
    sent = await harness.feed({"message": harness._message(USER, **fields)})
    assert len(sent) >= 1
    assert all(p["text"] for p in sent)


async def test_operator_commands_only_for_operators(harness: Harness) -> None:
    stats = await harness.text(OPERATOR, "/stats")
    assert stats and "统计" in stats[0]["text"]
    reload_reply = await harness.text(OPERATOR, "/reload")
    assert reload_reply and "重新加载" in reload_reply[0]["text"]

    other_stats = await harness.text(USER, "/stats")
    other_reload = await harness.text(USER, "/reload")
    for sent in (other_stats, other_reload):
        assert sent
        assert "统计" not in sent[0]["text"]
        assert "重新加载" not in sent[0]["text"]


async def test_flood_gets_one_notice_and_others_are_served(harness: Harness) -> None:
    notices = 0
    for i in range(26):
        sent = await harness.text(USER, f"第{i}条")
        notices += sum("太快" in p["text"] for p in sent)
    assert notices == 1
    assert await harness.text(USER + 1, "你好")


async def test_duplicate_update_is_applied_once(harness: Harness) -> None:
    raw = {"update_id": 777, "message": harness._message(USER, text="/new")}
    first = await harness.feed(dict(raw))
    second = await harness.feed(dict(raw))
    assert first
    assert second == []
    view = await harness.frontend.core.storage.load_view(USER)
    assert len(view.cases) <= 1


@pytest.mark.parametrize(
    "command", ["/status", "/export", "/delete", "/stats", "拼多多助力被吞了，订单号 231118-492817365029174"]
)
async def test_a_forged_private_update_is_ignored_and_stores_nothing(
    harness: Harness, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    """from.id = the victim, chat.id = the attacker's chat: nothing answered, nothing stored."""
    victim, attacker = OPERATOR, USER + 7
    assert await harness.text(victim, "拼多多助力被吞了")  # the victim's own case
    storage = harness.frontend.core.storage
    before = await storage.user_row_counts(victim)
    attacker_chat = {"id": attacker, "type": "private", "first_name": "x"}
    sent = await harness.text(victim, command, chat=attacker_chat)
    assert sent == []
    assert await storage.user_row_counts(victim) == before
    assert sum((await storage.user_row_counts(attacker)).values()) == 0
    assert "suspicious update" in caplog.text and "助力" not in caplog.text
    # The victim's own chat still works.
    assert await harness.text(victim, "/status")
