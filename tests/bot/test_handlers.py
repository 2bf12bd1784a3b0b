"""The real handler stack offline: Application + handlers + dialogue + storage, fake network.

Each test feeds raw update JSON, as Telegram sends it, and checks what the bot sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.throttle import FLOOD_NOTICE
from tests.factories import callback_query as press
from tests.factories import channel_chat, group_chat, mention_entities, message, now, telegram_user
from tests.offline import OfflineBot, offline_bot

OPERATOR = 900001
USER = 100001


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[OfflineBot]:
    async with offline_bot(tmp_path, operator_ids=frozenset({OPERATOR})) as bot:
        yield bot


async def test_private_text_gets_the_first_step(harness: OfflineBot) -> None:
    sent = await harness.text(USER, "砍价砍到最后就差0.01元，一直砍不动")
    assert sent
    assert any("活动规则" in p["text"] for p in sent)


async def test_button_press_is_answered_and_moves_on(harness: OfflineBot) -> None:
    sent = await harness.text(USER, "/start")
    markup = sent[-1]["reply_markup"]
    data = markup["inline_keyboard"][0][0]["callback_data"]
    before = len(harness.request.sent("answerCallbackQuery"))
    replies = await harness.feed({"callback_query": press(USER, data)})
    assert replies
    assert len(harness.request.sent("answerCallbackQuery")) == before + 1


async def test_replies_are_plain_text(harness: OfflineBot) -> None:
    """The bot sends no markup (no parse_mode, no entities): what it writes is shown as written."""
    sent = [
        *await harness.text(USER, "/start"),
        *await harness.text(USER, "拼多多助力被吞了，订单号 231118-492817365029174"),
        *await harness.text(USER, "/help"),
    ]
    assert sent
    assert [p for p in sent if {"parse_mode", "entities", "caption_entities"} & set(p)] == []


async def test_group_message_is_ignored_unless_mentioned(harness: OfflineBot) -> None:
    group = group_chat()
    assert await harness.text(USER, "砍价失败了怎么办", chat=group) == []
    sent = await harness.feed(
        {
            "message": message(
                USER, group, text="@weiquan_test_bot 砍价失败了怎么办", entities=mention_entities()
            )
        }
    )
    assert len(sent) == 1
    assert "私聊" in sent[0]["text"]


async def test_messages_from_bots_are_ignored(harness: OfflineBot) -> None:
    raw = {"message": {**message(555, text="助力被吞了"), "from": telegram_user(555, is_bot=True)}}
    assert await harness.feed(raw) == []


async def test_edited_messages_and_channel_posts_are_ignored_by_design(harness: OfflineBot) -> None:
    edited = {"edited_message": message(USER, text="改了一下", edit_date=now())}
    assert await harness.feed(edited) == []
    post = {"channel_post": {"message_id": 5, "date": now(), "chat": channel_chat(), "text": "助力"}}
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
async def test_other_kinds_get_a_polite_reply(harness: OfflineBot, fields: dict[str, Any]) -> None:
    sent = await harness.feed({"message": message(USER, **fields)})
    assert len(sent) >= 1
    assert all(p["text"] for p in sent)


async def test_operator_commands_only_for_operators(harness: OfflineBot) -> None:
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


async def test_flood_gets_one_notice_and_others_are_served(harness: OfflineBot) -> None:
    notices = 0
    for i in range(26):
        sent = await harness.text(USER, f"第{i}条")
        notices += sum("太快" in p["text"] for p in sent)
    assert notices == 1
    assert await harness.text(USER + 1, "你好")


async def test_the_flood_limit_is_the_setting(tmp_path: Path) -> None:
    """``FLOOD_LIMIT=3``: the fourth message in the window gets the notice, the fifth nothing."""
    async with offline_bot(tmp_path, flood_limit=3) as bot:
        answered = [await bot.text(USER, f"第{i}条") for i in range(5)]
    assert all(sent and not any("太快" in p["text"] for p in sent) for sent in answered[:3])
    assert [p["text"] for p in answered[3]] == [FLOOD_NOTICE]
    assert answered[4] == []


async def test_duplicate_update_is_applied_once(harness: OfflineBot) -> None:
    raw = {"update_id": 777, "message": message(USER, text="/new")}
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
    harness: OfflineBot, command: str, caplog: pytest.LogCaptureFixture
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
