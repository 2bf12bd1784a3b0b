"""What a careful user meets: real reminder delays, closed cases still exportable, Traditional text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.outcome import AddEvidence, ScheduleReminder
from guide import GuideContent, extract_facts
from guide.clock import shown
from guide.facts import parse_fact
from guide.followup import delay_text
from tests.guide.memory import Conversation

NOW = datetime(2024, 11, 20, 10, 0)


@pytest.mark.parametrize(
    ("delay", "shown"),
    [
        (timedelta(seconds=45), "45秒"),
        (timedelta(seconds=90), "1分钟30秒"),
        (timedelta(hours=2), "2小时"),
        (timedelta(days=1, hours=12), "1天12小时"),
        (timedelta(days=3), "3天"),
        (timedelta(days=7, seconds=5), "7天"),
        (timedelta(0), "1秒"),
    ],
)
def test_delay_text(delay: timedelta, shown: str) -> None:
    assert delay_text(delay) == shown


@pytest.mark.parametrize(("delay", "shown"), [(timedelta(seconds=45), "45秒"), (timedelta(hours=2), "2小时")])
def test_reminder_promise_names_the_real_delay(content: GuideContent, delay: timedelta, shown: str) -> None:
    convo = Conversation(content, delay=delay)
    convo.text("助力被吞，已经联系客服了")
    [scheduled] = convo.effects(ScheduleReminder)
    assert scheduled.reminder.due_at == convo.now + delay
    assert f"我会在{shown}后提醒你" in convo.said
    assert "1 天" not in convo.said and "1天后提醒" not in convo.said


def test_contacted_button_names_the_real_delay(content: GuideContent) -> None:
    convo = Conversation(content, delay=timedelta(hours=2))
    convo.text("砍价失败")
    case_id = convo.case.id
    convo.data(f"m|{case_id}|contact")
    convo.data(f"s|{case_id}|contact.0|next")
    convo.data(f"s|{case_id}|contact.1|next")
    convo.press("我已联系客服")
    assert "2小时后提醒你" in convo.said


def test_still_waiting_names_the_real_delay(content: GuideContent) -> None:
    convo = Conversation(content, delay=timedelta(seconds=45))
    convo.text("砍价失败，已经联系客服了")
    convo.send("reminder", data=convo.view.reminders[0].id)
    convo.press("还在处理")
    assert "45秒后我再问你" in convo.said


def test_moving_the_reminder_names_the_chosen_days(convo: Conversation) -> None:
    convo.text("助力被吞，已经联系客服了")
    convo.press("7天后")
    assert "7天后我再问你" in convo.said


def test_export_and_draft_after_close_use_the_closed_case(convo: Conversation) -> None:
    convo.text("拼多多砍价失败，还差0.01元")
    case_id = convo.case.id
    convo.command("close")
    convo.press("已解决")
    assert "/export" in convo.said
    convo.command("export")
    assert "最近结案" in convo.said and "/cases" in convo.said
    assert convo.view.current_case_id == case_id  # so the next update loads its timeline
    convo.press("导出案件摘要")
    documents = [reply.document for reply in convo.replies if reply.document is not None]
    assert len(documents) == 1 and case_id in documents[0].content.decode()
    convo.command("draft")  # the closed case is current now: no announcement, no fill-in buttons
    assert "最近结案" not in convo.said and "0.01元" in convo.said and "12315 投诉" in convo.said
    assert not convo.buttons()


def test_draft_right_after_close_names_the_closed_case(convo: Conversation) -> None:
    convo.text("助力被吞，还差3个助力")
    convo.command("close")
    convo.press("放弃")
    convo.command("draft")
    assert "最近结案的「助力被吞" in convo.said and "12315 投诉" in convo.said


def test_after_close_the_most_recently_closed_case_is_offered(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.command("close")
    convo.press("放弃")
    convo.command("new")
    convo.press("权益受损")
    convo.command("close")
    convo.press("未解决")
    convo.command("status")
    assert "权益受损" in convo.said and "助力被吞" not in convo.said


def test_export_without_any_case_still_asks_for_a_type(convo: Conversation) -> None:
    convo.command("export")
    assert "还没有进行中的案件" in convo.said
    assert [reply.document for reply in convo.replies] == [None]


def test_close_still_needs_an_open_case(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.command("close")
    convo.press("已解决")
    convo.command("close")
    assert "还没有进行中的案件" in convo.said and "最近结案" not in convo.said


def test_traditional_text_gives_facts_in_the_persons_words() -> None:
    facts = extract_facts("我已經聯繫客服了，客服說系統正常，讓我再等等。我叫張偉，地址是北京市朝陽區", NOW)
    assert facts["cs_contacted"] == "是"
    assert facts["cs_reply"] == "系統正常，讓我再等等"
    assert facts["complainant_name"] == "張偉"
    assert facts["complainant_address"] == "北京市朝陽區"


def test_traditional_amounts_dates_and_merchant() -> None:
    facts = extract_facts("淘寶上還差0.01元砍不動了，昨天付了9.9塊，商家叫這個小紅書旗艦店", NOW)
    assert facts["platform"] == "淘宝"
    assert facts["shortfall"] == "0.01元" and facts["amount"] == "9.9元"
    assert facts["date"] == "2024-11-19"
    assert facts["merchant"] == "小紅書旗艦店"


@pytest.mark.parametrize(("answer", "value"), [("聯繫過", "是"), ("沒有", "否"), ("還沒", "否")])
def test_traditional_yes_no_answers(answer: str, value: str) -> None:
    assert parse_fact("cs_contacted", answer, NOW) == value


def test_traditional_contacted_schedules_the_follow_up(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.text("我已經聯繫客服了，客服說讓我等通知")
    assert convo.case.facts["cs_contacted"] == "是"
    assert convo.case.facts["cs_reply"] == "讓我等通知"
    assert len(convo.view.reminders) == 1
    # What was recorded comes first; the reminder (with its buttons) is the last message,
    # both in Traditional characters like the message they answer.
    assert "已記錄" in convo.replies[0].text and "提醒你" not in convo.replies[0].text
    assert "提醒你" in convo.replies[-1].text and convo.replies[-1].buttons


def test_relative_dates_follow_the_persons_day() -> None:
    # 23:30 UTC on the 19th is 07:30 on the 20th in China: 「昨天」 is the 19th there.
    late_utc = datetime(2024, 11, 19, 23, 30, tzinfo=UTC)
    assert extract_facts("昨天助力被吞", late_utc)["date"] == "2024-11-19"
    assert extract_facts("11月20日砍价", late_utc)["date"] == "2024-11-20"  # not pushed to last year


def test_times_are_shown_in_china_time() -> None:
    at = datetime(2024, 11, 19, 23, 30, tzinfo=UTC)
    assert shown(at) == "2024-11-20 07:30"
    assert shown(datetime(2024, 11, 19, 23, 30)) == "2024-11-19 23:30"  # naive: already local


def test_traditional_caption_is_categorised(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="訂單詳情截圖")
    [added] = convo.effects(AddEvidence)
    assert added.item.category == "order"
    assert added.item.caption == "訂單詳情截圖"  # stored as the person wrote it
