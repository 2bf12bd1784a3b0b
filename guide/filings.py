"""Filings in the dialogue: record them (buttons; free text in :mod:`guide.filing_text`), list them, follow them up.

Each filing starts the clock its rule sets (:mod:`guide.clocks`), persisted as a reminder;
when the clock runs out or the filing is rejected, the next rungs of the ladder are proposed
with their drafts ready (:mod:`guide.ladder`).

Buttons are ``fl|action|id[|arg]`` (untrusted; every check ends in a polite reply). While the
bot waits for a complaint number or an answer's text, the scratch value ``filing_text`` holds
``no:<filing id>`` or ``answer:<filing id>`` (ids only, never the text).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import cast, get_args

from domain.case import CaseState, Filing, FilingChannel, FilingStatus, Reminder, new_id
from domain.messages import Button, Reply
from domain.outcome import AddFiling, CancelReminders, MarkReminderDone, ScheduleReminder, UpdateFiling
from guide import clocks, filing_reading, ladder, lifecycle, navigation, paperwork, scratch
from guide.clock import local_date
from guide.export import render_export_pdf
from guide.pdf import NoCjkFont
from guide.render import type_buttons
from guide.tracking import CHANNELS, Tracking
from guide.turn import Turn, msg

PENDING_KEY = "filing_text"
MAX_NUMBER = 40
MAX_ANSWER = 300
MAX_LISTED = 10
STATUSES: tuple[str, ...] = get_args(FilingStatus)


def owns(data: str) -> bool:
    """True when button ``data`` belongs to the filings."""
    return data.startswith(ladder.OP + "|")


def owns_reminder(turn: Turn) -> bool:
    """True when the reminder that fell due is a filing's clock."""
    reminder = _reminder(turn)
    return reminder is not None and clocks.filing_of(reminder.purpose) is not None


def _reminder(turn: Turn) -> Reminder | None:
    return next((r for r in turn.view.reminders if r.id == turn.incoming.data), None)


def filing_of(turn: Turn, filing_id: str) -> Filing | None:
    """The person's filing ``filing_id`` as changed so far in this turn."""
    found = None
    for effect in turn.effects:
        if isinstance(effect, AddFiling | UpdateFiling) and effect.filing.id == filing_id:
            found = effect.filing
    return found or next((f for f in turn.view.filings if f.id == filing_id), None)


def _filings_of(turn: Turn, case_id: str) -> list[Filing]:
    ids = [f.id for f in turn.view.filings if f.case_id == case_id]
    ids += [e.filing.id for e in turn.effects if isinstance(e, AddFiling) and e.filing.case_id == case_id]
    return [f for fid in dict.fromkeys(ids) if (f := filing_of(turn, fid)) is not None]


# --- recording -----------------------------------------------------------------------------


def _schedule(turn: Turn, tracking: Tracking, filing: Filing) -> str:
    """Start (or replace) the filing's clock; the text telling the person, or ""."""
    run = clocks.clock_for(tracking, filing)
    if run is None:
        turn.emit(CancelReminders(filing.case_id, clocks.purpose(filing.id)))
        return ""
    due = max(clocks.aligned(run.due_at, turn.at), turn.at + timedelta(minutes=1))
    if tracking.clock_override is not None:
        due = turn.at + tracking.clock_override
    turn.emit(ScheduleReminder(Reminder(new_id(), filing.case_id, due, clocks.purpose(filing.id))))
    return clocks.set_text(run)


def record(
    turn: Turn,
    tracking: Tracking,
    case: CaseState,
    channel: str,
    *,
    filed_on: date | None = None,
    number: str = "",
    promised_until: datetime | None = None,
) -> Filing:
    """Record a filing of ``case`` at ``channel``, start its clock and confirm it."""
    filing = Filing(
        id=new_id(),
        case_id=case.id,
        channel=cast(FilingChannel, channel),
        filed_on=filed_on or local_date(turn.at),
        created_at=turn.at,
        updated_at=turn.at,
        number=number[:MAX_NUMBER],
        promised_until=promised_until,
    )
    turn.emit(AddFiling(filing))
    turn.log(case, "filing", channel)
    label = tracking.channel(channel).label
    lines = [
        f"📮 已记录：{label}，{filing.filed_on:%Y-%m-%d} 提交"
        + (f"，编号 {filing.number}" if number else "。")
    ]
    clock = _schedule(turn, tracking, filing)
    if clock:
        lines.append(clock)
    rows: list[list[Button]] = [[Button("📋 我的投诉记录", ladder.data("v", case.id))]]
    if not number:
        scratch.set_pending(turn, {**turn.pending, PENDING_KEY: f"no:{filing.id}"})
        lines.append("有投诉编号或工单号吗？直接发给我；没有就点「没有编号」。")
        rows.insert(0, [Button("没有编号", ladder.data("x", filing.id))])
    turn.say("\n".join(lines), rows)
    return filing


def _update(turn: Turn, tracking: Tracking, filing: Filing, status: str) -> None:
    """Change a filing's status; accepted restarts the clock, rejected proposes the next step."""
    accepted_on = filing.accepted_on
    if status in ("accepted", "mediation") and accepted_on is None:
        accepted_on = local_date(turn.at)
    filing = filing.evolve(status=status, accepted_on=accepted_on, updated_at=turn.at)
    turn.emit(UpdateFiling(filing))
    case = turn.cases[filing.case_id]
    turn.log(case, "filing_status", status)
    label = tracking.channel(filing.channel).label
    lines = [f"已更新：{label} → {ladder.STATUS_LABELS[status]}"]
    clock = _schedule(turn, tracking, filing)
    if clock:
        lines.append(clock)
    turn.say("\n".join(lines), [[Button("📝 记下对方的答复", ladder.data("w", filing.id))]])
    if status in ("rejected", "closed"):
        reason = f"{label}没有解决问题。"
        text, rows = ladder.proposal(tracking, case, ladder.next_channels(tracking, filing), reason)
        turn.say(text, rows)
    elif status == "settled" and case.status == "open":
        lifecycle.ask_close(turn, case)


# --- listing -------------------------------------------------------------------------------


def summary(turn: Turn, tracking: Tracking, case: CaseState) -> Reply | None:
    """The filings block of /status (``None`` when the case has none)."""
    filings = _filings_of(turn, case.id)
    if not filings:
        return None
    text = "投诉记录：\n" + "\n".join(ladder.filing_lines(tracking, filings[-MAX_LISTED:], turn.at))
    return Reply(text, ((Button("📋 管理投诉记录", ladder.data("v", case.id)),),))


def show(turn: Turn, tracking: Tracking, case: CaseState) -> None:
    """/filings: the case's filings with a button each, and buttons to add one or jump ahead."""
    filings = _filings_of(turn, case.id)
    rows: list[list[Button]] = []
    if filings:
        text = f"{lifecycle.case_label(case)} 的投诉记录：\n" + "\n".join(
            ladder.filing_lines(tracking, filings[-MAX_LISTED:], turn.at)
        )
        for number, filing in enumerate(filings[-MAX_LISTED:], start=1):
            label = tracking.channel(filing.channel).label
            rows.append([Button(f"更新 {number}. {label}", ladder.data("u", filing.id))])
    else:
        text = "这个案件还没有投诉记录。在哪里投诉了，就点下面记下来，我帮你算期限、到期提醒。"
    rows.append([Button("➕ 记录一次投诉", ladder.data("a", case.id))])
    rows.append([Button("⏭ 下一步 / 跳到其他步骤", ladder.data("l", case.id))])
    rows.append([Button("🔒 证据保全建议", ladder.data("g", case.id)), _pdf_button(case)])
    turn.say(text, rows)


# --- commands -------------------------------------------------------------------------------


def _name(command: str) -> str:
    return command.strip().lower().split("@")[0]


def owns_command(command: str, args: str = "") -> bool:
    """True for /filings and /export pdf."""
    name = _name(command)
    return name == "filings" or (name == "export" and args.strip().lower() == "pdf")


def command(turn: Turn, tracking: Tracking, command: str = "filings") -> None:
    """/filings or /export pdf for the current case (or the most recent one)."""
    case = turn.current or max(turn.cases.values(), key=lambda c: c.updated_at, default=None)
    if case is None:
        turn.say(msg(turn, "no_case"), type_buttons("new"))
        return
    if _name(command) == "export":
        send_pdf(turn, case)
        return
    turn.set_current(case.id)
    show(turn, tracking, case)


def send_pdf(turn: Turn, case: CaseState) -> None:
    """The printable PDF of the case summary (evidence index, filings, timeline, drafts, notice)."""
    if case.id != turn.view.current_case_id:
        # The view holds the current case's timeline only: export once this case is current.
        turn.set_current(case.id)
        turn.say(msg(turn, "closed_shown", case=lifecycle.case_label(case)), [[_pdf_button(case)]])
        return
    try:
        sections = paperwork.filing_sections(turn, case)
        document = render_export_pdf(turn.content, case, turn.view.evidence, turn.view.timeline, **sections)
    except NoCjkFont:
        turn.say("这台服务器上没有中文字体，暂时做不了 PDF；发送 /export 可以拿到文本版的案件摘要。")
        return
    turn.reply(Reply(document.caption, document=document))


def _pdf_button(case: CaseState) -> Button:
    return Button("🖨 导出 PDF", ladder.data("p", case.id))


def after_command(turn: Turn, tracking: Tracking, command: str) -> None:
    """/status also lists the filings of the case it showed."""
    case = turn.current
    if _name(command) == "status" and case is not None and (reply := summary(turn, tracking, case)):
        turn.reply(reply)


# --- buttons and reminders -----------------------------------------------------------------


def press(turn: Turn, tracking: Tracking, data: str) -> None:
    """Handle a filings button."""
    parts = data.split("|")
    action, target, arg = [*parts, "", "", ""][1:4]
    filing = filing_of(turn, target) if action in ("x", "u", "s", "r", "w") else None
    case = turn.cases.get(filing.case_id if filing is not None else target)
    if case is None or len(parts) > 4:
        navigation.show_current_or_types(turn, msg(turn, "stale"))
        return
    turn.set_current(case.id)
    if action == "v":
        show(turn, tracking, case)
    elif action == "a":
        rows = [[Button(tracking.channel(c).label, ladder.data("c", case.id, c))] for c in CHANNELS]
        turn.say(
            "在哪里提交的？（按今天的日期记录；日期不对可以直接发「我在12315投诉了，3月1日提交」）", rows
        )
    elif action == "c" and arg in CHANNELS and case.status == "open":
        record(turn, tracking, case, arg)
    elif action == "o" and arg in CHANNELS and case.status == "open":
        _record_shown(turn, tracking, case, arg)
    elif action == "d" and arg in CHANNELS:
        turn.say(ladder.draft_intro(tracking, arg))
        filed = _filings_of(turn, case.id)
        text = ladder.draft(tracking, turn.content, case, arg, filed, turn.view.evidence, local_date(turn.at))
        turn.say(text, [[Button("📮 我已提交", ladder.data("c", case.id, arg))]])
    elif action == "l":
        turn.say(*ladder.jump_menu(tracking, case))
    elif action == "g":
        turn.say(tracking.evidence_guidance)
    elif action == "p":
        send_pdf(turn, case)
    elif action == "x" and filing is not None:
        scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k != PENDING_KEY})
        turn.say("好的，没有编号也没关系。发送 /filings 可以随时查看和补充。")
    elif action == "u" and filing is not None:
        rows = [[Button(ladder.STATUS_LABELS[s], ladder.data("s", filing.id, s))] for s in STATUSES[1:]]
        rows.append([Button("🔇 一直没有回复", ladder.data("r", filing.id))])
        turn.say(f"{tracking.channel(filing.channel).label}现在怎么样了？", rows)
    elif action == "s" and filing is not None and arg in STATUSES:
        _update(turn, tracking, filing, arg)
    elif action == "w" and filing is not None:
        scratch.set_pending(turn, {**turn.pending, PENDING_KEY: f"answer:{filing.id}"})
        turn.say("对方的答复是怎么说的？直接发给我，我记在这条投诉里。发送 /cancel 可跳过。")
    elif action == "r" and filing is not None:
        _no_reply(turn, tracking, case, filing)
    else:
        navigation.show_current_or_types(turn, msg(turn, "stale"))


def _record_shown(turn: Turn, tracking: Tracking, case: CaseState, channel: str) -> None:
    """Record the filing a screenshot showed, read back from the pressed message (never stored before)."""
    read = filing_reading.shown(turn.incoming.message_text)
    if read is None:
        turn.say(msg(turn, "reading_gone"))
        return
    number, filed_on = read
    if any(f.number == number[:MAX_NUMBER] for f in _filings_of(turn, case.id)):
        turn.say(f"编号 {number} 的投诉已经记下了。")
        show(turn, tracking, case)
        return
    record(turn, tracking, case, channel, filed_on=filed_on, number=number)


def _no_reply(turn: Turn, tracking: Tracking, case: CaseState, filing: Filing) -> None:
    """No answer in time: the next rungs of the ladder, drafts one press away."""
    turn.log(case, "filing_status", "no_reply")
    label = tracking.channel(filing.channel).label
    text, rows = ladder.proposal(
        tracking, case, ladder.next_channels(tracking, filing), f"{label}没有按时答复。"
    )
    turn.say(text, rows)


def remind(turn: Turn, tracking: Tracking) -> None:
    """A filing's clock ran out: say which rule it counted and what to do now."""
    reminder = _reminder(turn)
    if reminder is None:
        return
    turn.emit(MarkReminderDone(reminder.id))
    filing = filing_of(turn, clocks.filing_of(reminder.purpose) or "")
    case = turn.cases.get(filing.case_id) if filing is not None else None
    run = clocks.clock_for(tracking, filing) if filing is not None else None
    if filing is None or case is None or case.status != "open" or run is None:
        return
    turn.log(case, "filing_due", run.spec.id)
    rows = [
        [
            Button("📬 有答复了", ladder.data("u", filing.id)),
            Button("🔇 没有回复", ladder.data("r", filing.id)),
        ],
        [Button("✅ 已解决", ladder.data("s", filing.id, "settled"))],
    ]
    turn.say(clocks.due_text(tracking, filing, run), rows)
