"""The follow-up reminder of a case: scheduling, moving and cancelling it, and how its delay reads."""

from __future__ import annotations

from datetime import timedelta

from domain.case import CaseState, Reminder, new_id
from domain.messages import Button
from domain.outcome import CancelReminders, ScheduleReminder
from guide import callbacks
from guide.fact_records import record_facts
from guide.turn import Turn, msg

REMINDER_DAYS = (1, 3, 7)


def delay_text(delay: timedelta) -> str:
    """A delay as the person reads it: ``45秒``, ``2小时``, ``1天12小时``, ``3天``."""
    seconds = max(1, round(delay.total_seconds()))
    units = ((86400, "天"), (3600, "小时"), (60, "分钟"), (1, "秒"))
    # The largest unit, and the next one when it is not zero; smaller rests are dropped.
    first = next(i for i, (size, _) in enumerate(units) if seconds >= size)
    parts: list[str] = []
    for size, unit in units[first : first + 2]:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def reminder_buttons(case: CaseState) -> list[list[Button]]:
    """Buttons to move the follow-up reminder to 1/3/7 days or cancel it."""
    row = [Button(f"{days}天后", callbacks.make("r", case.id, str(days))) for days in REMINDER_DAYS]
    return [row, [Button("不用提醒", callbacks.make("r", case.id, "0"))]]


def schedule(turn: Turn, case: CaseState, delay: timedelta) -> None:
    """Schedule the follow-up reminder of ``case`` after ``delay``."""
    turn.emit(ScheduleReminder(Reminder(new_id(), case.id, turn.at + delay, "follow_up")))
    turn.log(case, "reminder", delay_text(delay))


def mark_contacted(turn: Turn, case: CaseState, delay: timedelta) -> CaseState:
    """Record that customer service was contacted and schedule the follow-up."""
    case, _ = record_facts(turn, case, {"cs_contacted": "是"})
    turn.log(case, "contacted")
    schedule(turn, case, delay)
    text = msg(turn, "contacted") + "\n" + msg(turn, "reminder_set", delay=delay_text(delay))
    turn.say(text, reminder_buttons(case))
    case = turn.save(case.evolve(awaiting="cs_reply"))
    return case


def cancel_reminders(turn: Turn, case: CaseState) -> None:
    """Cancel the case's follow-up reminders."""
    turn.emit(CancelReminders(case.id, "follow_up"))
