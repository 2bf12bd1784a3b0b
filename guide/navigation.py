"""Moving through the steps and stages of a case and showing where the person is."""

from __future__ import annotations

from domain.case import CaseState
from guide import callbacks
from guide.render import brief_step_reply, nav_button, stage_menu, step_reply, type_buttons
from guide.turn import Turn, msg


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


def show_menu(turn: Turn, case: CaseState) -> None:
    """Send the stage menu."""
    turn.reply(stage_menu(turn.content, case))
