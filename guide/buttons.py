"""Inline button presses; the data is untrusted, so every check ends in a polite reply."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from domain.case import CaseOutcome, CaseState
from domain.issues import ISSUE_LABELS, RIGHTS_KINDS
from domain.labels import FACT_LABELS, OUTCOME_LABELS
from domain.messages import Button, Reply
from domain.outcome import DeleteUser, RecordClassification
from guide import (
    callbacks,
    fact_records,
    followup,
    lifecycle,
    navigation,
    overwrite,
    paperwork,
    prompt,
    scratch,
    solved,
)
from guide.callbacks import Callback
from guide.content import SIMPLE_ACTIONS, ButtonSpec
from guide.render import evidence_reply, facts_menu, nav_button, status_reply
from guide.turn import Turn, msg

NAV_ACTIONS = (*SIMPLE_ACTIONS, "resume", "skip", "unask")


def button(label: str, op: str, *args: str) -> Button:
    """An inline button with callback data ``op|args``."""
    return Button(label, callbacks.make(op, *args))


def stale(turn: Turn) -> None:
    """Say the button is out of date and show where the person is."""
    navigation.show_current_or_types(turn, msg(turn, "stale"))


def _current_case(turn: Turn, case_id: str, *, allow_closed: bool = False) -> CaseState | None:
    """The case ``case_id`` when it is the open current case; otherwise reply and return None."""
    case = turn.cases.get(case_id)
    if case is None:
        stale(turn)
        return None
    if case.id != turn.current_id and case.status != "open":
        turn.say(msg(turn, "case_closed_already"))
        return None
    if case.id != turn.current_id and turn.open_current is None:
        turn.set_current(case.id)  # no other case in progress: take the button's case up again
    if case.id != turn.current_id:
        other = turn.current
        label = lifecycle.case_label(other) if other is not None else "无"
        navigation.show_current_or_types(turn, msg(turn, "other_case_button", case=label))
        return None
    if case.status != "open" and not allow_closed:
        turn.say(msg(turn, "case_closed_already"))
        return None
    return case


def _own_open_case(turn: Turn, case_id: str) -> CaseState | None:
    """Any open case of the person (follow-up buttons may come from a non-current case)."""
    case = turn.cases.get(case_id)
    if case is None or case.status != "open":
        stale(turn)
        return None
    turn.set_current(case.id)
    return case


def run_action(turn: Turn, case: CaseState, action: str, delay: timedelta) -> None:
    """Carry out a step or navigation action on ``case``."""
    content = turn.content
    name, _, arg = action.partition(":")
    if name == "next":
        navigation.step_forward(turn, case)
    elif name == "back":
        navigation.step_back(turn, case)
    elif name == "resume":
        navigation.show_step(turn, case)
    elif name == "skip":
        prompt.skip(turn, case)
    elif name == "unask":
        prompt.stop(turn, case)
    elif name == "menu":
        navigation.show_menu(turn, case)
    elif name == "status":
        turn.reply(status_reply(content, case, turn.view.evidence, turn.view.reminders))
    elif name == "facts":
        turn.reply(facts_menu(content, case))
    elif name == "evidence":
        turn.reply(evidence_reply(content, case, turn.view.evidence))
    elif name == "draft":
        paperwork.send_drafts(turn, case)
    elif name == "export":
        paperwork.send_export(turn, case)
    elif name == "close":
        lifecycle.ask_close(turn, case)
    elif name == "contacted":
        followup.mark_contacted(turn, case, delay)
    elif name == "say" and arg in content.messages:
        turn.say(content.messages[arg], [[nav_button(case, "▶️ 继续", "resume")]])
    elif name == "ask" and arg in FACT_LABELS:
        fact_records.ask_fact(turn, case, arg)
    elif name == "goto":
        stage_id, _, step_text = arg.partition(".")
        stage = content.stage(stage_id)
        step = int(step_text) if step_text.isdigit() else 0
        if stage is None or step >= len(stage.steps):
            stale(turn)
            return
        navigation.move(turn, case, stage_id, step)
    else:
        stale(turn)


def _step_button(turn: Turn, cb: Callback, delay: timedelta) -> None:
    case_id, position_text, action = cb.args
    case = _current_case(turn, case_id)
    if case is None:
        return
    position = callbacks.parse_position(position_text)
    step = turn.content.step(case.stage, case.step)
    if position != (case.stage, case.step) or step is None:
        stale(turn)
        return
    if action not in {spec.action for spec in step.buttons}:
        stale(turn)
        return
    if action == "next" and _no_evidence_yet(turn, case, step.buttons, action):
        rows = [[nav_button(case, "先不传，下一步", "next"), nav_button(case, "🗂 证据清单", "evidence")]]
        turn.say(turn.content.talk.message("evidence_none"), rows)
        return
    run_action(turn, case, action, delay)


def _no_evidence_yet(turn: Turn, case: CaseState, specs: tuple[ButtonSpec, ...], action: str) -> bool:
    """True when the pressed button says the evidence is saved (证据存好了) but the case has none."""
    claims = any(spec.action == action and "证据" in spec.label for spec in specs)
    return claims and not any(item.case_id == case.id for item in turn.view.evidence)


def _nav_button(turn: Turn, cb: Callback, delay: timedelta) -> None:
    case_id, action = cb.args
    if case_id == callbacks.NEW and action == "new":
        turn.say(
            msg(turn, "choose_type"),
            [[button(v, "t", callbacks.NEW, k) for k, v in ISSUE_LABELS.items()]],
        )
        return
    read_only = action in ("status", "evidence", "export", "draft")
    case = _current_case(turn, case_id, allow_closed=read_only)
    if case is None:
        return
    if action not in NAV_ACTIONS:
        stale(turn)
        return
    if case.issue_type is None and action in ("next", "back", "resume", "menu"):
        navigation.show_current_or_types(turn, msg(turn, "choose_type"))
        return
    run_action(turn, case, action, delay)


def _choose_type(turn: Turn, target: str, issue_type: str) -> None:
    current = turn.open_current
    if target == callbacks.NEW and current is not None and current.issue_type == issue_type:
        # A type button of an old greeting pressed again: do not open a duplicate case.
        navigation.show_step(turn, current, msg(turn, "same_type_open", case=lifecycle.case_label(current)))
        return
    if target in (callbacks.NEW, callbacks.FRESH):
        lifecycle.begin_case(turn, issue_type)
        return
    case = _current_case(turn, target)
    if case is None:
        return
    if case.issue_type is None:
        lifecycle.set_type(turn, case, issue_type)
    elif case.issue_type == issue_type:
        navigation.show_step(turn, case)
    else:
        stale(turn)


def _clarified(turn: Turn, target: str, issue_type: str) -> None:
    offered = turn.pending.get("clarify", "").split(",")
    if issue_type not in offered:
        stale(turn)
        return
    intent = turn.pending.get("clarify_intent") or issue_type
    turn.emit(RecordClassification(intent=intent, clarified_as=issue_type, needed_clarification=True))
    scratch.set_pending(
        turn, {k: v for k, v in turn.pending.items() if k not in ("clarify", "clarify_intent")}
    )
    if target not in (callbacks.NEW, callbacks.FRESH) and turn.cases.get(target) is None:
        stale(turn)
        return
    _choose_type(turn, target, issue_type)


def _retype(turn: Turn, case_id: str, issue_type: str) -> None:
    case = _current_case(turn, case_id)
    if case is None:
        return
    if case.issue_type == issue_type:
        navigation.show_step(turn, case)
        return
    lifecycle.set_type(turn, case, issue_type)


def _follow_up(turn: Turn, case_id: str, answer: str, delay: timedelta) -> None:
    case = _own_open_case(turn, case_id)
    if case is None:
        return
    if answer == "yes":
        turn.log(case, "follow_up", "resolved")
        rows = [
            [button("🏁 结案（已解决）", "x", case.id, "resolved"), nav_button(case, "暂不结案", "resume")]
        ]
        turn.say(msg(turn, "follow_up_resolved"), rows)
    elif answer == "no":
        turn.log(case, "follow_up", "unresolved")
        stage = turn.content.stage("complain")
        if stage is None:  # pragma: no cover - the loader requires every stage
            stale(turn)
            return
        navigation.move(turn, case, "complain", 0, msg(turn, "follow_up_unresolved"))
    elif answer == "wait":
        followup.schedule(turn, case, delay)
        turn.say(
            msg(turn, "follow_up_waiting", delay=followup.delay_text(delay)), followup.reminder_buttons(case)
        )
    else:
        stale(turn)


def _reminder_change(turn: Turn, case_id: str, days_text: str) -> None:
    case = _own_open_case(turn, case_id)
    if case is None:
        return
    if days_text == "0":
        followup.cancel_reminders(turn, case)
        turn.log(case, "reminder", "cancelled")
        turn.say(msg(turn, "reminder_cancelled"))
    elif days_text in {str(d) for d in followup.REMINDER_DAYS}:
        followup.schedule(turn, case, timedelta(days=int(days_text)))
        waiting = msg(turn, "follow_up_waiting", delay=followup.delay_text(timedelta(days=int(days_text))))
        turn.say(waiting)
    else:
        stale(turn)


def _switch(turn: Turn, case_id: str) -> None:
    case = turn.cases.get(case_id)
    if case is None:
        stale(turn)
        return
    turn.set_current(case.id)
    if case.status != "open":
        status = status_reply(turn.content, case, turn.view.evidence, turn.view.reminders)
        turn.reply(Reply(status.text, ((solved.reopen_button(case),), *status.buttons)))
    elif case.issue_type is None:
        navigation.show_current_or_types(turn, f"已切换到案件：{lifecycle.case_label(case)}")
    else:
        navigation.show_step(turn, case, f"已切换到案件：{lifecycle.case_label(case)}")


def _delete(turn: Turn, token: str) -> None:
    expected = turn.pending.get("delete")
    if token == "no":
        scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k != "delete"})
        turn.say(msg(turn, "delete_kept"))
    elif expected and token == expected:
        turn.emit(DeleteUser())
        turn.say(msg(turn, "deleted"))
    else:
        turn.say(msg(turn, "stale").split("。")[0] + "。需要删除数据请重新发送 /delete。")


def press(turn: Turn, data: str, delay: timedelta) -> None:
    """Handle a button press with callback ``data`` (forged, stale or malformed data is answered)."""
    cb = callbacks.parse(data)
    if cb is None:
        stale(turn)
        return
    first = cb.args[0]
    if cb.op == "s":
        _step_button(turn, cb, delay)
    elif cb.op == "n":
        _nav_button(turn, cb, delay)
    elif cb.op == "m":
        case = _current_case(turn, first)
        if case is not None and turn.content.stage(cb.args[1]) is not None and case.issue_type is not None:
            navigation.move(turn, case, cb.args[1], 0)
        elif case is not None:
            stale(turn)
    elif cb.op in ("t", "c", "y") and cb.args[1] not in ISSUE_LABELS:
        stale(turn)
    elif cb.op == "t":
        _choose_type(turn, first, cb.args[1])
    elif cb.op == "c":
        _clarified(turn, first, cb.args[1])
    elif cb.op == "y":
        _retype(turn, first, cb.args[1])
    elif cb.op == "g":
        case = _current_case(turn, first)
        if case is not None and case.issue_type == "rights_damaged" and cb.args[1] in RIGHTS_KINDS:
            lifecycle.choose_kind(turn, case, cb.args[1])
        elif case is not None:
            stale(turn)
    elif cb.op == "f":
        case = _current_case(turn, first)
        if case is not None and cb.args[1] in FACT_LABELS:
            fact_records.ask_fact(turn, case, cb.args[1])
        elif case is not None:
            stale(turn)
    elif cb.op == "x":
        case = _current_case(turn, first)
        if case is not None and cb.args[1] in OUTCOME_LABELS:
            lifecycle.close_case(turn, case, cast(CaseOutcome, cb.args[1]))
        elif case is not None:
            stale(turn)
    elif cb.op == "o":
        _follow_up(turn, first, cb.args[1], delay)
    elif cb.op == "r":
        _reminder_change(turn, first, cb.args[1])
    elif cb.op == "k":
        _switch(turn, first)
    elif cb.op == "d":
        _delete(turn, first)
    elif cb.op == solved.REOPEN:
        solved.reopen(turn, first)
    elif cb.op == solved.REOPEN_TO_COMPLAIN:
        solved.reopen(turn, first, "complain")
    elif cb.op == overwrite.OP:
        overwrite.press(turn, first, cb.args[1], cb.args[2])
    else:  # pragma: no cover - parse() only returns known ops
        stale(turn)
