"""Filings in the dialogue: recorded by text and buttons, clocks as reminders, the ladder's next step."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from domain.case import Filing
from domain.labels import NOTICE
from domain.outcome import AddFiling, ScheduleReminder, UpdateFiling
from guide import load_content
from guide.filing_text import parse_text
from guide.tracking import load_tracking
from tests.guide.memory import Conversation

TRACKING = load_tracking()


def _labels(convo: Conversation) -> list[str]:
    return [b.label for b in convo.buttons()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我在12315投诉了，编号是1234567890", ("complaint_12315", "1234567890")),
        ("已经向12315投诉了", ("complaint_12315", "")),
        ("12315举报了，举报号 JB-2024-0001", ("report_12315", "JB-2024-0001")),
        ("申请了平台介入，说3个工作日内回复", ("platform", "")),
        ("消协那边我也投诉过了", ("consumer_assoc", "")),
        ("黑猫投诉发了", ("heimao", "")),
        ("12315提示先走在线和解，已经提交了", ("odr_12315", "")),
        ("客服工单号 GD20241120001", ("customer_service", "GD20241120001")),
        # Asking how, or planning to: nothing is recorded.
        ("我想去12315投诉", None),
        ("怎么在12315投诉？", None),
        ("我要找消协", None),
        ("助力被吞了", None),
    ],
)
def test_parse_text(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_text(TRACKING, text) == expected


def test_free_text_records_a_12315_complaint_and_starts_the_acceptance_clock(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.text("我在12315投诉了，编号是1234567890")
    (added,) = convo.effects(AddFiling)
    filing: Filing = added.filing
    assert (filing.channel, filing.number, filing.status) == ("complaint_12315", "1234567890", "submitted")
    assert filing.filed_on == date(2024, 11, 20) and filing.case_id == convo.case.id
    (scheduled,) = convo.effects(ScheduleReminder)
    # Wed 20 Nov 2024 + 7 working days = Fri 29 Nov; the reminder goes out the next morning.
    assert scheduled.reminder.purpose == f"filing:{filing.id}"
    assert scheduled.reminder.due_at == datetime(2024, 11, 30, 9, 0)
    assert "7个工作日" in convo.said and "第46条" in convo.said and "2024-11-29" in convo.said
    assert "国务院公布的放假和调休安排" in convo.said


def test_a_filing_message_without_a_case_opens_one_and_asks_the_type(convo: Conversation) -> None:
    convo.text("昨天在12315投诉了")
    assert convo.view.filings[0].filed_on == date(2024, 11, 19)
    assert convo.case.issue_type is None
    assert "助力被吞" in _labels(convo)
    assert "没有编号" in _labels(convo)


def test_buttons_record_a_filing_then_its_number(convo: Conversation) -> None:
    convo.text("助力被吞了")
    convo.command("filings")
    assert "还没有投诉记录" in convo.said
    convo.press("记录一次投诉")
    convo.press("平台介入")
    assert "编号" in convo.said
    convo.text("GD-778899")
    assert convo.view.filings[0].number == "GD-778899"
    assert convo.view.filings[0].channel == "platform"
    convo.command("filings")
    assert "平台介入" in convo.said and "GD-778899" in convo.said


def test_no_number_button_and_skip_words_leave_the_number_empty(convo: Conversation) -> None:
    convo.text("助力被吞了")
    convo.command("filings")
    convo.press("记录一次投诉")
    convo.press("消协")
    convo.press("没有编号")
    assert convo.view.filings[0].number == ""
    convo.text("助力被吞了")  # back to the usual dialogue
    assert not convo.effects(UpdateFiling)


def test_a_promised_time_becomes_the_clock(convo: Conversation) -> None:
    convo.text("助力被吞了")
    convo.text("已经申请平台介入了，客服说48小时内回复")
    filing = convo.view.filings[0]
    assert filing.promised_until == convo.now + timedelta(hours=48)
    (scheduled,) = convo.effects(ScheduleReminder)
    assert scheduled.reminder.due_at == convo.now + timedelta(hours=48)
    assert "平台承诺" in convo.said


def test_accepted_starts_the_60_day_mediation_clock_in_place_of_acceptance(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.text("我在12315投诉了，编号是1234567890")
    convo.command("filings")
    convo.press("更新 1.")
    convo.press("已受理")
    filing = convo.view.filings[0]
    assert (filing.status, filing.accepted_on) == ("accepted", date(2024, 11, 20))
    (reminder,) = convo.view.reminders
    assert reminder.purpose == f"filing:{filing.id}"
    assert reminder.due_at == datetime(2025, 1, 20, 9, 0)  # 60 days after 20 Nov is 19 Jan
    assert "60日" in convo.said
    convo.text("助力被吞了")  # not taken as the answer unless the person asks to record one
    assert convo.view.filings[0].answer == ""
    convo.command("filings")
    convo.press("更新 1.")
    convo.press("调解中")
    convo.press("记下对方的答复")
    convo.text("市场监管所说会组织调解")
    assert convo.view.filings[0].answer == "市场监管所说会组织调解"


def test_rejection_proposes_the_next_rungs_with_drafts(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.text("我在12315投诉了，编号是1234567890")
    convo.command("filings")
    convo.press("更新 1.")
    convo.press("不予受理")
    assert convo.view.reminders == ()
    assert _labels(convo)[1:3] == ["✍️ 12315 举报（草稿）", "✍️ 消协 / 消保委调解（草稿）"]
    convo.press("消协 / 消保委调解（草稿）")
    intro, draft = convo.replies
    assert NOTICE in intro.text and NOTICE not in draft.text
    assert "请求调解" in draft.text and "1234567890" in draft.text  # the history of filings
    convo.press("我已提交")
    assert convo.view.filings[-1].channel == "consumer_assoc"


def test_due_reminder_says_the_rule_and_what_to_do_then_no_reply_brings_the_next_draft(
    convo: Conversation,
) -> None:
    convo.text("砍价差一点没成功")
    convo.text("申请了平台介入，说3个工作日内回复")
    (reminder,) = convo.view.reminders
    convo.now = reminder.due_at
    convo.send("reminder", data=reminder.id)
    assert "平台承诺的答复时间的期限已到" in convo.said
    assert "现在可以" in convo.said and "依据" in convo.said
    assert convo.view.reminders == ()
    convo.press("没有回复")
    assert "12315 在线和解（ODR）" in convo.said and "12315 投诉" in convo.said
    convo.press("12315 投诉（草稿）")
    assert "投诉人：" in convo.replies[-1].text and "被投诉方：" in convo.replies[-1].text


def test_reminder_of_a_settled_filing_sends_nothing(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.text("我在12315投诉了，编号是1234567890")
    (reminder,) = convo.view.reminders
    filing = convo.view.filings[0]
    convo.data(f"fl|s|{filing.id}|settled")
    assert "结案" in convo.said or _labels(convo)
    convo.send("reminder", data=reminder.id)
    assert convo.replies == ()


def test_jump_ahead_to_court_gives_the_complaint_outline(convo: Conversation) -> None:
    convo.text("权益受损，奖品没发货")
    convo.command("filings")
    convo.press("跳到其他步骤")
    assert len(_labels(convo)) == 8
    convo.press("法院")
    assert "民事起诉状" in convo.said and "第165条" in convo.said and NOTICE in convo.replies[0].text


def test_a_clock_over_an_unpublished_year_says_it_is_estimated(content: object) -> None:
    convo = Conversation(load_content())
    convo.now = datetime(2026, 12, 28, 10, 0)
    convo.text("砍价差一点没成功")
    convo.text("我在12315投诉了，编号是1234567890")
    assert "2027年的放假和调休安排还没有收录" in convo.said
    (reminder,) = convo.view.reminders
    convo.now = reminder.due_at
    convo.send("reminder", data=reminder.id)
    assert "估算" in convo.said


def test_forged_and_stale_filing_buttons_are_answered_politely(convo: Conversation) -> None:
    convo.text("助力被吞了")
    for data in ("fl|s|nosuchfiling|settled", "fl|c|nosuchcase|court", "fl|zz|x", "fl|s|a|b|c|d"):
        convo.data(data)
        assert convo.replies and not convo.effects(AddFiling)


def test_status_lists_filings(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.command("status")
    assert "投诉记录" not in convo.said
    convo.text("黑猫投诉发了，单号 HM123456")
    convo.command("status")
    assert "投诉记录" in convo.said and "黑猫投诉" in convo.said and "HM123456" in convo.said


def _read_confirmation(convo: Conversation, facts: dict[str, str]) -> None:
    """The person sends a screenshot of a 12315 confirmation page and the bot reads it."""
    convo.send("photo", file_id="F9", file_unique_id="U9")
    data = {"file_unique_id": "U9", "kind": "complaint", "facts": facts, "error": ""}
    convo.send("reading", data=json.dumps(data, ensure_ascii=False))


def test_a_12315_confirmation_screenshot_records_the_filing_once_confirmed(convo: Conversation) -> None:
    """The number and date read are offered, stored nowhere, and become a filing on one press."""
    convo.text("砍价差一点没成功")
    number = "32011500020241118000123"
    _read_confirmation(convo, {"complaint_no": number, "complaint_type": "投诉", "date": "2024-11-18 10:23"})
    assert number in convo.said and "2024-11-18" in convo.said
    assert not convo.effects(AddFiling) and number not in repr(convo.view)  # nothing stored unconfirmed
    assert "date" not in convo.case.facts  # the day filed is not the day of the purchase
    convo.press("记下这次")
    (added,) = convo.effects(AddFiling)
    assert (added.filing.channel, added.filing.number) == ("complaint_12315", number)
    assert added.filing.filed_on == date(2024, 11, 18)
    assert convo.effects(ScheduleReminder)  # its clock starts
    # The old button again: no second filing for the same number.
    convo.data(next(b.data for r in convo.sent for row in r.buttons for b in row if "记下这次" in b.label))
    assert not convo.effects(AddFiling) and "已经记下" in convo.said


def test_a_report_confirmation_is_recorded_as_a_report(convo: Conversation) -> None:
    """举报 pages record a 12315 举报 (its own clock), not a complaint."""
    convo.text("砍价差一点没成功")
    _read_confirmation(convo, {"complaint_no": "JB2024111800045", "complaint_type": "举报"})
    convo.press("记下这次")
    (added,) = convo.effects(AddFiling)
    assert added.filing.channel == "report_12315" and added.filing.number == "JB2024111800045"


def test_a_confirmation_page_without_a_number_says_how_to_record_it(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    _read_confirmation(convo, {"complaint_type": "投诉"})
    assert "没有读到投诉编号" in convo.said and not convo.buttons()
