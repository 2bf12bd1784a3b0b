""" "It's solved" and "that closed case again": close with one button, or reopen a closed case.

A person whose problem got solved says so in their own words (``商家已经给我退款了，谢谢你``);
pushing the next stage at them is wrong, so the bot offers to close the case as 已解决 with
one button. Someone with no case in progress who talks about "that case" gets the offer to
reopen the last closed one (``z|<case>``), which ``/cases`` also offers for any closed case.
"""

from __future__ import annotations

from domain.case import CaseState
from domain.messages import Button
from guide import callbacks, lifecycle, navigation
from guide.facts import simplified
from guide.render import nav_button
from guide.turn import Turn, msg

#: Callback op of the reopen button (``z|<case id>``).
REOPEN = "z"
#: Reopen a case closed as unresolved and go to the complaint stage (``v|<case id>``).
REOPEN_TO_COMPLAIN = "v"
#: Longer messages tell more than "it's solved"; they take the usual way.
MAX_SOLVED_TEXT = 60


def _compact(text: str) -> str:
    return "".join(simplified(text[:200]).lower().split())


def is_solved(turn: Turn, text: str) -> bool:
    """True when ``text`` says the problem is solved (and nothing in it says otherwise)."""
    compact = _compact(text)
    talk = turn.content.talk
    return (
        len(compact) <= MAX_SOLVED_TEXT
        and talk.has("solved", compact)
        and not talk.has("not_solved", compact)
    )


def last_closed(turn: Turn) -> CaseState | None:
    """The person's most recently closed case, if any."""
    closed = [case for case in turn.cases.values() if case.status == "closed"]
    return max(closed, key=lambda c: c.closed_at or c.updated_at, default=None)


def about_closed_case(turn: Turn, text: str) -> CaseState | None:
    """The closed case ``text`` talks about, when no case is in progress."""
    if turn.open_current is not None or not turn.content.talk.has("reopen", _compact(text)):
        return None
    return last_closed(turn)


def offer_close(turn: Turn) -> None:
    """Offer to close the open case as resolved (one press), or say well done when there is none."""
    talk = turn.content.talk
    case = turn.open_current
    if case is None:
        turn.say(talk.message("solved_no_case"))
        return
    turn.log(case, "solved_said")
    rows = [
        [Button("🏁 结案（已解决）", callbacks.make("x", case.id, "resolved"))],
        [nav_button(case, "还没有，继续", "resume")],
    ]
    turn.say(talk.message("solved_offer").replace("{case}", lifecycle.case_label(case)), rows)


def reopen_button(case: CaseState) -> Button:
    """The button that reopens the closed ``case``."""
    return Button("🔄 重新打开这个案件", callbacks.make(REOPEN, case.id))


def offer_reopen(turn: Turn, case: CaseState) -> None:
    """Ask whether to reopen the closed ``case`` (or start a new one)."""
    text = turn.content.talk.message("reopen_offer").replace("{case}", lifecycle.case_label(case))
    turn.say(text, [[reopen_button(case)], [Button("➕ 新建案件", callbacks.make("n", "new", "new"))]])


def reopen(turn: Turn, case_id: str, stage: str = "") -> None:
    """Reopen the closed case ``case_id`` and show where it stood (or ``stage``'s first step)."""
    case = turn.cases.get(case_id)
    if case is None or case.status != "closed":
        navigation.show_current_or_types(turn, msg(turn, "stale"))
        return
    case = turn.save(case.evolve(status="open", outcome=None, closed_at=None))
    if stage and turn.content.stage(stage) is not None and stage != case.stage:
        case = turn.save(case.evolve(stage=stage, step=0))
        turn.log(case, "stage", stage)
    turn.log(case, "reopened")
    turn.set_current(case.id)
    prefix = turn.content.talk.message("reopened").replace("{case}", lifecycle.case_label(case))
    if case.issue_type is None:
        navigation.show_current_or_types(turn, prefix)
    else:
        navigation.show_step(turn, case, prefix)
