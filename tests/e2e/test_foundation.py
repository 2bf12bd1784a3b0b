"""The walking skeleton end to end: the real bot process over HTTP against the fake Bot API."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot, stored_view
from tests.fake_telegram import FakeTelegram

USER = 5550001


def _all_labels(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [label for m in messages for label in m.button_labels]


async def test_start_free_text_button_and_restart(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    bot = await running_bot(start_bot, telegram)

    # /start: a greeting and the three issue types as buttons; commands registered.
    await telegram.send_command(USER, "/start")
    greeting = await telegram.wait_for_messages(USER, 1)
    assert "维权" in greeting[0].text
    labels = _all_labels(greeting)
    for issue in ("助力被吞", "砍价失败", "权益受损"):
        assert any(issue in label for label in labels), labels
    assert {c["command"] for c in telegram.commands} >= {"start", "help", "status"}

    # Free text is classified and answered with the first step of the right flow.
    await telegram.send_text(USER, "拼多多帮好友助力，显示成功了但是他说没收到")
    step = await telegram.wait_for_messages(USER, 1)
    text = "\n".join(m.text for m in step)
    assert "确认" in text and "活动规则" in text
    assert step[-1].buttons, "the first step offers buttons to go on"

    # Press the first button of the step: the case moves on.
    target = step[-1]
    await telegram.press_button(USER, target.message_id, target.callback_data[0])
    moved = await telegram.wait_for_messages(USER, 1)
    assert moved[0].text

    # /status shows the case and its step.
    await telegram.send_command(USER, "/status")
    status_before = (await telegram.wait_for_messages(USER, 1))[0].text
    assert "助力" in status_before

    # Restart the bot process: the case continues where it was.
    assert await bot.stop() == 0
    await running_bot(start_bot, telegram)
    await telegram.send_command(USER, "/status")
    status_after = (await telegram.wait_for_messages(USER, 1))[0].text
    assert status_after == status_before

    # The case is in the database, with its type and step.
    view = await stored_view(database_url, USER)
    assert [case.issue_type for case in view.cases] == ["zhuli_swallowed"]
    assert view.current_case is not None


async def test_unmatched_message_offers_the_three_types(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess]
) -> None:
    await running_bot(start_bot, telegram)
    await telegram.send_text(USER + 1, "今天天气不错，我们去公园散步吧")
    reply = await telegram.wait_for_messages(USER + 1, 1)
    labels = _all_labels(reply)
    for issue in ("助力被吞", "砍价失败", "权益受损"):
        assert any(issue in label for label in labels), labels
