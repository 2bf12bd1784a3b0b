"""Free text at a fact question that is no answer: skip words, a new problem, or help after two misses.

The bot asked for one fact (``CaseState.awaiting``). A text it cannot parse used to get the same
"format not recognised" reply until ``/cancel``; here a skip word leaves the question, and the
second miss in a row offers buttons to skip or stop. The miss count waits in the scratch under
:data:`MISS_KEY` as ``case:fact:count``, so a new question starts counting again.
"""

from __future__ import annotations

from domain.case import CaseState
from guide import navigation, scratch
from guide.facts import fact_hint
from guide.keyboard import normalized
from guide.render import nav_button
from guide.turn import Turn, msg

MISS_KEY = "miss"
#: Misses after which the skip/stop buttons are offered.
STUCK_AFTER = 2
#: A skip word counts in a short message only ("我也不知道" yes, a long story no).
MAX_SKIP_TEXT = 20


def is_skip(turn: Turn, text: str) -> bool:
    """True when ``text`` is a short message saying to skip the question."""
    compact = normalized(text)
    return 0 < len(compact) <= MAX_SKIP_TEXT and turn.content.talk.has("skip", compact)


def leave(turn: Turn, case: CaseState) -> CaseState:
    """Stop waiting for the answer (and forget the misses)."""
    if MISS_KEY in turn.pending:
        scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k != MISS_KEY})
    if case.awaiting:
        case = turn.save(case.evolve(awaiting=""))
    return case


def skip(turn: Turn, case: CaseState) -> None:
    """Skip the question and show the current step."""
    case = leave(turn, case)
    navigation.show_step(turn, case, turn.content.talk.message("skipped"))


def stop(turn: Turn, case: CaseState) -> None:
    """Stop asking (the ✖️ button): a short confirmation, no step re-sent."""
    case = leave(turn, case)
    turn.say(msg(turn, "cancelled"), [[nav_button(case, "▶️ 继续当前步骤", "resume")]])


def miss(turn: Turn, case: CaseState) -> None:
    """An answer that is not the fact: ask again, and offer a way out after the second miss."""
    name = case.awaiting
    prefix = f"{case.id}:{name}:"
    previous = turn.pending.get(MISS_KEY, "")
    count = int(previous[len(prefix) :]) + 1 if previous.startswith(prefix) else 1
    scratch.set_pending(turn, {**turn.pending, MISS_KEY: f"{prefix}{count}"})
    if count >= STUCK_AFTER:
        rows = [
            [nav_button(case, "⏭ 跳过这个问题", "skip"), nav_button(case, "✖️ 不填了", "unask")],
        ]
        turn.say(turn.content.talk.message("fact_stuck") + "\n" + turn.content.prompts[name], rows)
        return
    turn.say(msg(turn, "fact_invalid", hint=fact_hint(name)) + "\n" + turn.content.prompts[name])
