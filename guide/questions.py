"""Common questions: a short sourced answer wherever the person is, then the way back.

欺诈/三倍赔偿, 投诉还是举报, 12315 打不通... People ask in the middle of anything. The answers
live in ``questions.toml`` (see :mod:`guide.questionbook`), content an operator edits.
"""

from __future__ import annotations

from guide import callbacks, keyboard
from guide.questionbook import QuestionSpec
from guide.render import nav_button, type_buttons
from guide.turn import Turn


def answer(turn: Turn, asked: tuple[QuestionSpec, ...]) -> None:
    """Answer ``asked``, then show the way back to where the person was."""
    text = "\n\n".join(f"{q.answer}\n（依据：{q.source}）" for q in asked)
    case = turn.open_current
    if case is not None and case.awaiting in turn.content.prompts:
        turn.say(f"{text}\n\n{turn.content.prompts[case.awaiting]}")  # the question still waits
        return
    rows = keyboard.last_rows(turn)
    if rows:
        turn.say(f"{text}\n\n{turn.content.talk.message('question_back')}", rows)
    elif case is not None and case.issue_type is not None:
        turn.say(text, [[nav_button(case, "▶️ 回到当前步骤", "resume")]])
    else:
        target = case.id if case is not None else callbacks.NEW
        turn.say(text, type_buttons(target))
