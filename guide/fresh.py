"""``/new``: the next problem the person describes opens a new case, holding that message's facts.

``/new`` leaves a flag in the scratch values; the next free text is then never attached to the
case that was current. The flag lives for one message, and any button or other command drops it
(the person went somewhere else). Facts of a message waiting for a decision (the switch offer,
a clarification) wait in the scratch under :data:`guide.scratch.PENDING_FACT` until a case takes
them; they are dropped once the person carries on with the open case instead.
"""

from __future__ import annotations

from domain.messages import Incoming
from guide import callbacks, scratch
from guide.render import type_buttons
from guide.turn import Turn, msg

NEW_FLAG = scratch.NEW_FLAG
#: Buttons that use the facts waiting in the scratch (type choice, clarification, retype).
_USES_STASH = ("t", "c", "y")


def start(turn: Turn) -> None:
    """``/new``: ask for the type (or a description) of the new problem."""
    case = turn.open_current
    if case is not None and case.awaiting:
        turn.save(case.evolve(awaiting=""))  # the question of the old case is left, not answered
    scratch.set_pending(turn, {**turn.pending, NEW_FLAG: "1"})
    turn.say(msg(turn, "choose_type"), type_buttons(callbacks.FRESH))


def wanted(turn: Turn) -> bool:
    """True when the person asked for a new case and has not described it yet."""
    return NEW_FLAG in turn.pending


def drop_flag(turn: Turn) -> None:
    """Forget the ``/new`` flag."""
    if NEW_FLAG in turn.pending:
        scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k != NEW_FLAG})


def tidy_before(turn: Turn, incoming: Incoming) -> None:
    """Drop the flag and the waiting facts when the person does something else first."""
    if incoming.kind == "command" and incoming.command.strip().lower().split("@")[0] == "new":
        return
    if incoming.kind not in ("button", "command"):
        return
    drop_flag(turn)
    cb = callbacks.parse(incoming.data) if incoming.kind == "button" else None
    if turn.open_current is not None and (cb is None or cb.op not in _USES_STASH):
        drop_stash(turn)


def drop_stash(turn: Turn) -> None:
    """Forget the facts waiting for a case."""
    kept = {k: v for k, v in turn.pending.items() if not k.startswith(scratch.PENDING_FACT)}
    if len(kept) != len(turn.pending):
        scratch.set_pending(turn, kept)


def stash(turn: Turn, facts: dict[str, str]) -> None:
    """Keep ``facts`` of a message until a case takes them (replacing any older waiting facts)."""
    pending = {k: v for k, v in turn.pending.items() if not k.startswith(scratch.PENDING_FACT)}
    pending.update({scratch.PENDING_FACT + k: v for k, v in facts.items()})
    scratch.set_pending(turn, pending)
