"""The clock a filing runs (which rule, counted how, due when) and the reminder it becomes.

A filing has at most one running clock: the acceptance clock of a 12315 complaint becomes the
mediation clock once it is accepted. Its reminder's purpose is ``filing:<filing id>``, so
scheduling the next clock of the same filing replaces the previous one (see
:class:`domain.outcome.ScheduleReminder`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.case import Filing
from guide.clock import CHINA, local_date, shown
from guide.tracking import ClockSpec, Tracking
from guide.workdays import Deadline, add_days, add_workdays

PURPOSE_PREFIX = "filing:"
#: Reminders of a clock go out at this China time on the day after its last day.
REMIND_AT = time(9, 0)
#: Statuses after which no clock runs.
FINISHED = ("rejected", "settled", "closed")


@dataclass(frozen=True, slots=True)
class ClockRun:
    """A running clock: its rule, its last day and when the reminder is due."""

    spec: ClockSpec
    deadline: Deadline
    due_at: datetime
    promised: bool = False  # the platform's own promised time, as the person told it


def purpose(filing_id: str) -> str:
    """The reminder purpose of ``filing_id``'s clock."""
    return PURPOSE_PREFIX + filing_id


def filing_of(purpose_text: str) -> str | None:
    """The filing id of a reminder purpose, or ``None`` when it is not a filing's clock."""
    return purpose_text.removeprefix(PURPOSE_PREFIX) if purpose_text.startswith(PURPOSE_PREFIX) else None


def morning_after(day: date) -> datetime:
    """09:00 China time on the day after ``day`` (when the period has run out)."""
    return datetime.combine(day + timedelta(days=1), REMIND_AT, tzinfo=CHINA)


def aligned(due: datetime, like: datetime) -> datetime:
    """``due`` comparable with ``like``: a naive ``like`` is China time (as in :mod:`guide.clock`)."""
    if like.tzinfo is None:
        return due.astimezone(CHINA).replace(tzinfo=None) if due.tzinfo is not None else due
    return due if due.tzinfo is not None else due.replace(tzinfo=CHINA)


def count(spec: ClockSpec, start: date) -> Deadline:
    """The last day of ``spec`` counted from ``start``."""
    return add_workdays(start, spec.count) if spec.unit == "workdays" else add_days(start, spec.count)


def clock_for(tracking: Tracking, filing: Filing) -> ClockRun | None:
    """The clock ``filing`` runs now, or ``None`` (finished, or no rule sets one)."""
    if filing.status in FINISHED:
        return None
    spec_id = tracking.channel(filing.channel).clock
    if filing.channel == "complaint_12315" and filing.status in ("accepted", "mediation"):
        spec_id = "mediation"
    spec = tracking.clocks.get(spec_id)
    if spec is None:
        return None
    if spec_id == "promised" and filing.promised_until is not None:
        day = local_date(filing.promised_until)
        return ClockRun(spec, Deadline(day), filing.promised_until, promised=True)
    start = filing.accepted_on if spec.start == "accepted" else filing.filed_on
    if start is None:
        return None
    deadline = count(spec, start)
    return ClockRun(spec, deadline, morning_after(deadline.last_day))


def _period(run: ClockRun) -> str:
    if run.promised:
        return f"平台承诺的时间：{shown(run.due_at)}"
    unit = "个工作日" if run.spec.unit == "workdays" else "日"
    start = "受理" if run.spec.start == "accepted" else "提交"
    return f"{run.spec.count}{unit}，自{start}次日起算，截至 {run.deadline.last_day:%Y-%m-%d}"


def calendar_note(run: ClockRun) -> str:
    """Which calendar counted the working days ("" for calendar days or a promised time)."""
    if run.promised or run.spec.unit != "workdays":
        return ""
    if run.deadline.estimated:
        years = "、".join(str(year) for year in run.deadline.estimated_years)
        return (
            f"注意：{years}年的放假和调休安排还没有收录，工作日按法定节假日规则估算，"
            "实际以国务院公布的安排为准。"
        )
    return "工作日已按国务院公布的放假和调休安排计算。"


def clock_line(run: ClockRun, at: datetime) -> str:
    """One line for lists: ``期限：市场监管部门决定是否受理（7个工作日，…，截至 …）``, past ones marked."""
    past = "，已到期" if aligned(run.due_at, at) <= at else ""
    return f"期限：{run.spec.label}（{_period(run)}{past}）"


def set_text(run: ClockRun) -> str:
    """What the person is told when the clock starts."""
    lines = [f"⏱ 我会计时：{run.spec.label}，{_period(run)}。", f"依据：{run.spec.basis}"]
    note = calendar_note(run)
    if note:
        lines.append(note)
    lines.append(f"到期后（{shown(run.due_at)}）我会提醒你。")
    return "\n".join(lines)


def due_text(tracking: Tracking, filing: Filing, run: ClockRun) -> str:
    """The reminder: which filing, which rule it counts, whether the calendar was estimated, what to do."""
    channel = tracking.channel(filing.channel).label
    number = f"（编号 {filing.number}）" if filing.number else ""
    lines = [
        f"⏰ {channel}{number}，{filing.filed_on:%Y-%m-%d} 提交：{run.spec.label}的期限已到。",
        f"计算：{_period(run)}",
        f"依据：{run.spec.basis}",
    ]
    note = calendar_note(run)
    if note:
        lines.append(note)
    lines += [f"现在可以：{run.spec.todo}", "对方有答复了吗？"]
    return "\n".join(lines)
