"""Several cases, closing, reminders and follow-up."""

from __future__ import annotations

from datetime import timedelta

from domain.outcome import CancelReminders, MarkReminderDone, ScheduleReminder, SetCurrentCase
from guide import GuideContent
from tests.guide.memory import Conversation


def test_new_cases_and_switching(convo: Conversation) -> None:
    convo.text("助力被吞")
    first = convo.case.id
    convo.command("new")
    convo.press("权益受损")
    second = convo.case.id
    assert first != second and len(convo.view.cases) == 2
    convo.command("cases")
    assert convo.said.count("进行中") == 2
    convo.press("助力被吞")
    assert convo.case.id == first
    assert convo.effects(SetCurrentCase) == [SetCurrentCase(first)]
    assert "已切换" in convo.said and "看清规则和承诺" in convo.said


def test_close_with_outcome(convo: Conversation) -> None:
    convo.text("砍价失败")
    case_id = convo.case.id
    convo.command("close")
    assert [b.label for b in convo.buttons()] == ["已解决", "未解决", "放弃"]
    convo.press("未解决")
    closed = next(c for c in convo.view.cases if c.id == case_id)
    assert (closed.status, closed.outcome, closed.closed_at) == ("closed", "unresolved", convo.now)
    assert convo.view.current_case_id is None
    assert convo.effects(CancelReminders) == [CancelReminders(case_id, "follow_up")]
    convo.command("close")
    assert "还没有进行中的案件" in convo.said


def test_contacted_schedules_follow_up(content: GuideContent) -> None:
    convo = Conversation(content, delay=timedelta(days=5))
    convo.text("助力被吞")
    convo.data(f"m|{convo.case.id}|contact")
    convo.data(f"s|{convo.case.id}|contact.0|next")
    convo.data(f"s|{convo.case.id}|contact.1|next")
    convo.press("我已联系客服")
    [scheduled] = convo.effects(ScheduleReminder)
    assert scheduled.reminder.due_at == convo.now + timedelta(days=5)
    assert convo.case.facts["cs_contacted"] == "是" and convo.case.awaiting == "cs_reply"
    convo.text("客服说让我等通知")
    assert convo.case.facts["cs_reply"] == "让我等通知"


def test_reminder_delay_can_change_or_cancel(convo: Conversation) -> None:
    convo.text("助力被吞，已经联系客服了，客服说系统正常")
    assert len(convo.view.reminders) == 1
    convo.press("7天后")
    [reminder] = convo.view.reminders
    assert reminder.due_at == convo.now + timedelta(days=7)
    convo.text("继续")
    convo.data(f"r|{convo.case.id}|0")
    assert not convo.view.reminders and "取消" in convo.said


def _reminder_due(convo: Conversation) -> str:
    convo.text("砍价失败")
    convo.data(f"m|{convo.case.id}|contact")
    convo.data(f"s|{convo.case.id}|contact.0|next")
    convo.data(f"s|{convo.case.id}|contact.1|next")
    convo.press("我已联系客服")
    return convo.view.reminders[0].id


def test_reminder_asks_about_the_outcome(convo: Conversation) -> None:
    reminder_id = _reminder_due(convo)
    convo.send("reminder", data=reminder_id)
    assert convo.effects(MarkReminderDone) == [MarkReminderDone(reminder_id)]
    assert "解决了吗" in convo.said
    convo.press("没解决")
    assert (convo.case.stage, convo.case.step) == ("complain", 0)
    assert "12315" in convo.said


def test_reminder_resolved_offers_close(convo: Conversation) -> None:
    reminder_id = _reminder_due(convo)
    convo.send("reminder", data=reminder_id)
    convo.press("已解决")
    convo.press("结案")
    assert convo.view.cases[0].outcome == "resolved"


def test_reminder_still_waiting_reschedules(convo: Conversation) -> None:
    reminder_id = _reminder_due(convo)
    convo.send("reminder", data=reminder_id)
    convo.press("还在处理")
    [again] = convo.effects(ScheduleReminder)
    assert again.reminder.due_at == convo.now + timedelta(days=3)


def test_reminder_for_another_open_case_switches_to_it(convo: Conversation) -> None:
    reminder_id = _reminder_due(convo)
    first = convo.case.id
    convo.command("new")
    convo.press("助力被吞")
    convo.send("reminder", data=reminder_id)
    assert "解决了吗" in convo.said
    convo.press("没解决")
    assert convo.case.id == first and convo.case.stage == "complain"


def test_unknown_or_obsolete_reminder_is_ignored(convo: Conversation) -> None:
    reminder_id = _reminder_due(convo)
    convo.send("reminder", data="nope")
    assert convo.replies == () and convo.effects(MarkReminderDone) == [MarkReminderDone("nope")]
    convo.command("close")
    convo.press("放弃")
    convo.send("reminder", data=reminder_id)
    assert convo.replies == ()
