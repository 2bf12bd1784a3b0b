"""The person's scratch values (:attr:`domain.case.UserView.pending`): their keys and how they are replaced."""

from __future__ import annotations

from domain.labels import FACT_LABELS
from domain.outcome import SetPending
from guide.turn import Turn

#: Prefix of the scratch keys holding facts given while there was no case (see guide.fresh).
PENDING_FACT = "fact:"
#: Scratch key set by ``/new``: the next problem described opens a new case (see guide.fresh).
NEW_FLAG = "new"
#: Scratch keys that are no question waiting for an answer (the last keyboard, see guide.keyboard).
SCRATCH_KEYS = ("kb", "miss")


def set_pending(turn: Turn, values: dict[str, str]) -> None:
    """Replace the person's scratch values (only when they change)."""
    if values != turn.pending:
        turn.pending = dict(values)
        turn.emit(SetPending(dict(values)))


def pending_facts(turn: Turn) -> dict[str, str]:
    """Facts stashed in the scratch values while there was no case."""
    return {
        key[len(PENDING_FACT) :]: value
        for key, value in turn.pending.items()
        if key.startswith(PENDING_FACT) and key[len(PENDING_FACT) :] in FACT_LABELS
    }
