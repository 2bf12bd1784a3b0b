"""Operations on a case shared by text, command and button handlers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from domain.case import CaseOutcome, CaseState, Reminder, new_id
from domain.issues import ISSUE_LABELS, KIND_FACT, RIGHTS_KINDS, issue_label
from domain.labels import FACT_LABELS, NOTICE, OUTCOME_LABELS
from domain.messages import Button, Reply
from domain.outcome import CancelReminders, ScheduleReminder, SetPending
from guide import callbacks
from guide.clock import shown
from guide.drafts import render_drafts
from guide.export import render_export
from guide.facts import simplified
from guide.ladder import filing_lines
from guide.render import brief_step_reply, nav_button, stage_menu, step_reply, type_buttons
from guide.tracks import detect_kind
from guide.turn import Turn

PENDING_FACT = "fact:"
#: Scratch key set by ``/new``: the next problem described opens a new case (see guide.fresh).
NEW_FLAG = "new"
#: Scratch keys that are no question waiting for an answer (the last keyboard, see guide.keyboard).
SCRATCH_KEYS = ("kb", "miss")
REMINDER_DAYS = (1, 3, 7)


def msg(turn: Turn, key: str, **values: str) -> str:
    """The common message ``key`` with ``{name}`` placeholders filled in."""
    text = turn.content.message(key)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def case_label(case: CaseState) -> str:
    """``助力被吞 · 拼多多 · 11-18`` style label of a case."""
    parts = [issue_label(case.issue_type)]
    if case.facts.get("platform"):
        parts.append(case.facts["platform"])
    parts.append(shown(case.created_at, "%m-%d"))
    return " · ".join(parts)


def set_pending(turn: Turn, values: dict[str, str]) -> None:
    """Replace the person's scratch values (only when they change)."""
    if values != turn.pending:
        turn.pending = dict(values)
        turn.emit(SetPending(dict(values)))


def show_step(turn: Turn, case: CaseState, prefix: str = "") -> None:
    """Send the current step of ``case``."""
    turn.reply(step_reply(turn.content, case, prefix))


def show_brief(turn: Turn, case: CaseState, prefix: str) -> None:
    """``prefix`` with where the person is in one line and the step's buttons (not the whole step)."""
    turn.reply(brief_step_reply(turn.content, case, prefix))


def show_current_or_types(turn: Turn, prefix: str) -> None:
    """The current step when there is an open case, else the issue-type buttons."""
    case = turn.open_current
    if case is not None and case.issue_type is not None:
        show_step(turn, case, prefix)
    elif case is not None:
        turn.say(f"{prefix}\n{msg(turn, 'choose_type')}".lstrip("\n"), type_buttons(case.id))
    else:
        turn.say(f"{prefix}\n{msg(turn, 'no_case')}".lstrip("\n"), type_buttons(callbacks.NEW))


def move(turn: Turn, case: CaseState, stage: str, step: int, prefix: str = "") -> CaseState:
    """Go to ``stage``/``step`` (logging a stage change) and show it."""
    changed_stage = stage != case.stage
    case = turn.save(case.evolve(stage=stage, step=step, awaiting=""))
    if changed_stage:
        turn.log(case, "stage", stage)
    show_step(turn, case, prefix)
    return case


def step_forward(turn: Turn, case: CaseState) -> None:
    """The next step, the next stage's first step, or the end-of-flow message."""
    content = turn.content
    stage = content.stage(case.stage)
    if stage is not None and case.step + 1 < len(stage.steps):
        move(turn, case, case.stage, case.step + 1)
        return
    index = content.stage_index(case.stage)
    if index + 1 < len(content.stages):
        move(turn, case, content.stages[index + 1].id, 0)
        return
    turn.say(
        msg(turn, "flow_done"),
        [
            [nav_button(case, "✍️ 生成草稿", "draft"), nav_button(case, "📄 导出摘要", "export")],
            [nav_button(case, "🏁 结案", "close"), nav_button(case, "📋 阶段菜单", "menu")],
        ],
    )


def step_back(turn: Turn, case: CaseState) -> None:
    """The previous step (or the previous stage's last step)."""
    content = turn.content
    if case.step > 0:
        move(turn, case, case.stage, case.step - 1)
        return
    index = content.stage_index(case.stage)
    if index == 0:
        show_step(turn, case, msg(turn, "first_step"))
        return
    previous = content.stages[index - 1]
    move(turn, case, previous.id, len(previous.steps) - 1)


def pending_facts(turn: Turn) -> dict[str, str]:
    """Facts stashed in the scratch values while there was no case."""
    return {
        key[len(PENDING_FACT) :]: value
        for key, value in turn.pending.items()
        if key.startswith(PENDING_FACT) and key[len(PENDING_FACT) :] in FACT_LABELS
    }


def record_facts(turn: Turn, case: CaseState, facts: dict[str, str]) -> tuple[CaseState, dict[str, str]]:
    """Merge ``facts`` into the case; returns the case and the facts that changed.

    A 权益受损 case whose kind is not known yet takes it from the message being answered when
    the message makes it clear (a later message can settle what the first one left open).
    """
    facts = {**_kind_in_message(turn, case), **facts}
    changed = {name: value for name, value in facts.items() if case.facts.get(name) != value}
    if not changed:
        return case, {}
    case = turn.save(case.evolve(facts={**case.facts, **changed}))
    for name in changed:
        turn.log(case, "fact", name)
    return case, changed


def _kind_in_message(turn: Turn, case: CaseState) -> dict[str, str]:
    """``{rights_kind: kind}`` when ``case`` lacks the kind and the incoming text shows it."""
    if case.issue_type != "rights_damaged" or case.facts.get(KIND_FACT) in RIGHTS_KINDS:
        return {}
    if turn.incoming.kind != "text":
        return {}
    kind = detect_kind(turn.content.tracks, simplified(turn.incoming.text[:2000]))
    return {KIND_FACT: kind} if kind is not None else {}


def facts_lines(facts: dict[str, str]) -> str:
    """``• 订单号：…`` lines, in the facts menu's order."""
    return "\n".join(f"• {FACT_LABELS[name]}：{facts[name]}" for name in FACT_LABELS if name in facts)


def saved_line(turn: Turn, facts: dict[str, str]) -> str:
    """Every recorded fact in one short line: ``已记录 ✅ 金额：9.9元 · 日期：2024-11-18``."""
    shown = " · ".join(f"{FACT_LABELS[name]}：{facts[name]}" for name in FACT_LABELS if name in facts)
    return turn.content.talk.message("facts_line").replace("{facts}", shown)


def begin_case(turn: Turn, issue_type: str, extra_facts: dict[str, str] | None = None) -> CaseState:
    """Open a case of ``issue_type`` with the stashed facts, and show its first step."""
    facts = {**pending_facts(turn), **(extra_facts or {})}
    set_pending(
        turn, {k: v for k, v in turn.pending.items() if not k.startswith(PENDING_FACT) and k != NEW_FLAG}
    )
    case = turn.open_case(issue_type)
    case, changed = record_facts(turn, case, facts)
    prefix = msg(turn, "case_opened", type=ISSUE_LABELS.get(issue_type, issue_type))
    if changed:
        prefix += "\n" + saved_line(turn, changed)
    case = settle_kind(turn, case, prefix)
    return case


def set_type(turn: Turn, case: CaseState, issue_type: str, extra_facts: dict[str, str] | None = None) -> None:
    """Give ``case`` its issue type (logged) and show the current step."""
    case = turn.save(case.evolve(issue_type=issue_type))
    turn.log(case, "type", issue_type)
    facts = {**pending_facts(turn), **(extra_facts or {})}
    set_pending(turn, {k: v for k, v in turn.pending.items() if not k.startswith(PENDING_FACT)})
    case, changed = record_facts(turn, case, facts)
    prefix = msg(turn, "type_set", type=ISSUE_LABELS.get(issue_type, issue_type))
    if changed:
        prefix += "\n" + saved_line(turn, changed)
    settle_kind(turn, case, prefix)


def settle_kind(turn: Turn, case: CaseState, prefix: str) -> CaseState:
    """Show the current step of a case just typed; a 权益受损 case first gets its kind.

    The kind comes from what the person wrote when it is clear; otherwise one question with a
    button per kind follows the general step, and the step for the kind follows the answer
    (:func:`choose_kind`).
    """
    if case.issue_type != "rights_damaged":
        show_step(turn, case, prefix)
        return case
    kind = case.facts.get(KIND_FACT)
    if kind not in RIGHTS_KINDS:
        found = detect_kind(turn.content.tracks, simplified(case.facts.get("description", "")))
        if found is not None:
            case, _ = record_facts(turn, case, {KIND_FACT: found})
            kind = found
    if kind is None or kind not in RIGHTS_KINDS:
        # The general step first (the case is usable as it is), then the one question.
        show_step(turn, case, prefix)
        rows = [
            [Button(label, callbacks.make("g", case.id, kind_id))] for kind_id, label in RIGHTS_KINDS.items()
        ]
        turn.say(msg(turn, "kind_ask"), rows)
        return case
    show_step(turn, case, f"{prefix}\n（具体情况：{RIGHTS_KINDS[kind]}）")
    return case


def choose_kind(turn: Turn, case: CaseState, kind: str) -> None:
    """The person picked the 权益受损 kind of ``case``: record it and show the step for it."""
    case, _ = record_facts(turn, case, {KIND_FACT: kind})
    show_step(turn, case, msg(turn, "kind_set", type=issue_label(case.issue_type, kind)))


def ask_fact(turn: Turn, case: CaseState, name: str) -> None:
    """Ask for fact ``name`` and wait for the answer."""
    turn.save(case.evolve(awaiting=name))
    if "miss" in turn.pending:  # a new question starts counting misses again (guide.prompt)
        set_pending(turn, {k: v for k, v in turn.pending.items() if k != "miss"})
    current = case.facts.get(name)
    note = f"\n（当前：{current}）" if current else ""
    turn.say(turn.content.prompts[name] + note + "\n发送 /cancel 可跳过。")


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


def send_drafts(turn: Turn, case: CaseState) -> None:
    """Send the notice, each draft as its own message to copy, then the missing facts with buttons."""
    drafts = render_drafts(turn.content, case, turn.view.evidence)
    titles = "、".join(draft.title for draft in drafts.drafts)
    turn.say(f"{msg(turn, 'drafts_intro')}\n依次是：{titles}。\n{NOTICE}")
    for draft in drafts.drafts:
        if draft.key == "report":
            turn.say(msg(turn, "drafts_report"))
        turn.say_verbatim(draft.text)
    if drafts.missing and case.status == "open":  # a closed case's facts are no longer asked for
        buttons = [
            Button(f"填写{FACT_LABELS[name]}", callbacks.make("f", case.id, name)) for name in drafts.missing
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        text = msg(turn, "drafts_missing_ask") + "\n" + "、".join(FACT_LABELS[n] for n in drafts.missing)
        if "respondent" in drafts.missing:
            text += "\n" + turn.content.prompts["respondent"]
        turn.say(text, rows)
    turn.log(case, "draft")


def ask_close(turn: Turn, case: CaseState) -> None:
    """Ask for the outcome before closing."""
    rows = [[Button(label, callbacks.make("x", case.id, key)) for key, label in OUTCOME_LABELS.items()]]
    turn.say(msg(turn, "close_ask"), rows)


def close_case(turn: Turn, case: CaseState, outcome: CaseOutcome) -> None:
    """Close ``case`` with ``outcome``, cancel its reminders and clear the current case."""
    case = turn.save(case.evolve(status="closed", outcome=outcome, closed_at=turn.at, awaiting=""))
    turn.log(case, "closed", outcome)
    cancel_reminders(turn, case)
    turn.set_current(None)
    if outcome == "unresolved":  # say where to go next, with the way back into the case
        rows = [[Button("🔄 重新打开，去投诉", callbacks.make("v", case.id))]]
        text = (
            msg(turn, "closed", outcome=OUTCOME_LABELS[outcome])
            + "\n"
            + turn.content.talk.message("closed_unresolved")
        )
        turn.say(text, rows)
        return
    turn.say(msg(turn, "closed", outcome=OUTCOME_LABELS[outcome]))


def send_export(turn: Turn, case: CaseState) -> None:
    """Send the case summary as a .txt document."""
    sections = filing_sections(turn, case)
    document = render_export(turn.content, case, turn.view.evidence, turn.view.timeline, **sections)
    turn.reply(Reply(document.caption, document=document))


def filing_sections(turn: Turn, case: CaseState) -> dict[str, Any]:
    """The export's filings and evidence-guidance sections (empty without the tracking content)."""
    tracking = turn.tracking
    if tracking is None:
        return {}
    filings = [f for f in turn.view.filings if f.case_id == case.id]
    return {"filings": filing_lines(tracking, filings, turn.at), "guidance": tracking.evidence_guidance}


def show_menu(turn: Turn, case: CaseState) -> None:
    """Send the stage menu."""
    turn.reply(stage_menu(turn.content, case))
