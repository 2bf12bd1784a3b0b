"""Slash commands: /start, /help, /status, /new, /cases, /evidence, /draft, /export, /close..."""

from __future__ import annotations

from datetime import timedelta

from domain.case import CaseState, new_id
from domain.labels import NOTICE
from domain.messages import Button
from guide import callbacks, clock, fresh, lifecycle, navigation, paperwork, scratch, script
from guide.render import evidence_reply, nav_button, status_reply, type_buttons
from guide.turn import Turn, msg

#: (command, Chinese description) for /help and Telegram's setMyCommands.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始 / 选择问题类型"),
    ("help", "查看帮助和全部命令"),
    ("status", "查看当前案件的进度和信息"),
    ("new", "新建一个案件"),
    ("cases", "查看并切换我的案件"),
    ("evidence", "查看证据清单和还缺的材料"),
    ("draft", "生成客服话术和12315投诉文本"),
    ("filings", "投诉记录、期限提醒和下一步"),
    ("export", "导出案件摘要（txt 文件）"),
    ("close", "结案"),
    ("delete", "删除我的全部数据"),
    ("cancel", "取消当前的问题"),
)
MAX_CASES_LISTED = 10


def help_text() -> str:
    """The /help text: every command with its description, and the notice."""
    lines = ["我可以一步步帮你维权，常用命令："]
    lines += [f"/{name} — {description}" for name, description in COMMANDS]
    lines += ["", "也可以直接用文字描述你的问题，或把截图发给我。", NOTICE]
    return "\n".join(lines)


def _need_case(turn: Turn, *, open_only: bool = True, announce: bool = True) -> CaseState | None:
    """The current case, or tell the person there is none (with the type buttons).

    Without ``open_only``, a person with no current case gets their most recently closed
    case (announced first), so a case can still be exported or drafted after /close.
    """
    case = turn.open_current if open_only else turn.current
    if case is None and not open_only:
        case = _last_closed(turn)
        if case is not None:
            turn.set_current(case.id)  # as if picked in /cases, so its buttons keep working
            if announce:
                turn.say(msg(turn, "closed_shown", case=lifecycle.case_label(case)))
            return case
    if case is None:
        turn.say(msg(turn, "no_case"), type_buttons(callbacks.NEW))
    return case


def _last_closed(turn: Turn) -> CaseState | None:
    """The person's most recently closed case, if any."""
    closed = [case for case in turn.cases.values() if case.status == "closed"]
    return max(closed, key=lambda c: c.closed_at or c.updated_at, default=None)


def _start(turn: Turn) -> None:
    case = turn.open_current
    if case is not None and case.issue_type is not None:
        prefix = f"欢迎回来 👋 当前案件：{lifecycle.case_label(case)}\n遇到新问题可以发送 /new。"
        navigation.show_step(turn, case, prefix)
        return
    target = case.id if case is not None else callbacks.NEW
    turn.say(msg(turn, "welcome"), type_buttons(target))


def _cases(turn: Turn) -> None:
    cases = sorted(turn.cases.values(), key=lambda c: (c.status != "open", c.created_at), reverse=False)
    if not cases:
        turn.say(msg(turn, "no_case"), type_buttons(callbacks.NEW))
        return
    lines = ["你的案件："]
    rows: list[list[Button]] = []
    shown = cases[:MAX_CASES_LISTED]
    labels = [lifecycle.case_label(case) for case in shown]
    for case, label in zip(shown, labels, strict=True):
        if labels.count(label) > 1:  # two cases of one type, platform and day: tell them apart
            label += f" · {clock.shown(case.created_at, '%H:%M')} #{case.id[:4]}"
        mark = "👉 " if case.id == turn.current_id else ""
        state = "进行中" if case.status == "open" else "已结案"
        lines.append(f"{mark}{label}（{state}）")
        rows.append([Button(f"{label}（{state}）", callbacks.make("k", case.id))])
    if len(cases) > MAX_CASES_LISTED:
        lines.append(f"……共 {len(cases)} 个，只显示前 {MAX_CASES_LISTED} 个")
    rows.append([Button("➕ 新建案件", callbacks.make("n", "new", "new"))])
    turn.say("\n".join(lines), rows)


def _cancel(turn: Turn) -> None:
    case = turn.open_current
    if case is not None and case.awaiting:
        case = turn.save(case.evolve(awaiting=""))
        navigation.show_step(turn, case, msg(turn, "cancelled"))
        return
    questions = [
        key
        for key in turn.pending
        if not key.startswith(scratch.PENDING_FACT)
        and key not in scratch.SCRATCH_KEYS
        and key != script.SCRIPT_KEY
    ]
    if questions:  # a confirmation or a choice was waiting, not a question of the case
        scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k not in questions})
        turn.say(turn.content.talk.message("cancelled_other"))
        return
    turn.say(msg(turn, "nothing_to_cancel"))


def _delete(turn: Turn) -> None:
    token = new_id()[:8]
    scratch.set_pending(turn, {**turn.pending, "delete": token})
    rows = [
        [Button("⚠️ 确认删除全部数据", callbacks.make("d", token)), Button("取消", callbacks.make("d", "no"))]
    ]
    turn.say(msg(turn, "delete_ask"), rows)


def run(turn: Turn, command: str, follow_up_delay: timedelta) -> None:
    """Run ``/command`` (unknown ones get a pointer to /help)."""
    del follow_up_delay  # no command schedules a reminder directly
    name = command.strip().lower().split("@")[0]
    if name == "start":
        _start(turn)
    elif name == "help":
        turn.say(help_text())
    elif name == "new":
        fresh.start(turn)
    elif name == "cases":
        _cases(turn)
    elif name == "cancel":
        _cancel(turn)
    elif name == "delete":
        _delete(turn)
    elif name == "status":
        case = _need_case(turn, open_only=False)
        if case is not None:
            turn.reply(status_reply(turn.content, case, turn.view.evidence, turn.view.reminders))
    elif name == "evidence":
        case = _need_case(turn, open_only=False)
        if case is not None:
            turn.reply(evidence_reply(turn.content, case, turn.view.evidence))
    elif name == "draft":
        case = _need_case(turn, open_only=False)
        if case is not None:
            paperwork.send_drafts(turn, case)
    elif name == "export":
        case = _need_case(turn, open_only=False, announce=False)
        if case is not None and case.id != turn.view.current_case_id:
            # The view holds the timeline of the current case only: export once it is current.
            text = msg(turn, "closed_shown", case=lifecycle.case_label(case))
            turn.say(text, [[nav_button(case, "📄 导出案件摘要", "export")]])
        elif case is not None:
            paperwork.send_export(turn, case)
    elif name == "close":
        case = _need_case(turn)
        if case is not None:
            lifecycle.ask_close(turn, case)
    else:
        turn.say(msg(turn, "unknown_command"))
