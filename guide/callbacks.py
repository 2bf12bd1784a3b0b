"""Callback data of inline buttons: ``op|arg|arg...``, ASCII, at most 64 bytes.

Button data is untrusted (forged, stale or malformed); :func:`parse` never raises and
returns ``None`` for anything that is not well formed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.limits import MAX_CALLBACK_DATA

#: Placeholder for "no case yet" in callback data (e.g. choose a type before a case exists).
NEW = "new"
#: "Always a new case" (from /new): unlike NEW, never reuses an open case of the same type.
FRESH = "fresh"

_PART = re.compile(r"^[A-Za-z0-9_.:\-]{1,48}$")
#: op -> number of arguments after it.
_ARITY: dict[str, int] = {
    "s": 3,  # step button: case, stage.step, action
    "n": 2,  # navigation button: case, action
    "m": 2,  # stage menu: case, stage
    "t": 2,  # choose issue type: case or "new", type
    "c": 2,  # clarification answer: case or "new", type
    "y": 2,  # switch the current case's type: case, type
    "g": 2,  # the kind of a 权益受损 case: case, kind
    "f": 2,  # ask/correct a fact: case, fact
    "x": 2,  # close with outcome: case, outcome
    "r": 2,  # reminder delay in days (0 = cancel): case, days
    "o": 2,  # follow-up answer: case, yes/no/wait
    "k": 1,  # switch to case
    "d": 1,  # delete: token or "no"
    "z": 1,  # reopen a closed case
    "v": 1,  # reopen a case closed unresolved, at the complaint stage
    "w": 3,  # overwrite a fact with the value a message gave: case, fact, y/n
}


@dataclass(frozen=True, slots=True)
class Callback:
    """Parsed callback data: the operation letter and its arguments."""

    op: str
    args: tuple[str, ...]


def make(op: str, *args: str) -> str:
    """Callback data for ``op`` with ``args`` (the caller keeps it within 64 bytes)."""
    return "|".join((op, *args))


def step_data(case_id: str, stage: str, step: int, action: str) -> str:
    """Callback data of a step button (carries the position, so stale presses are noticed)."""
    return make("s", case_id, f"{stage}.{step}", action)


def fits(data: str) -> bool:
    """True when ``data`` is within Telegram's 64-byte limit."""
    return len(data.encode("utf-8")) <= MAX_CALLBACK_DATA


def parse(data: str) -> Callback | None:
    """The callback in ``data``, or ``None`` when it is malformed."""
    if not data or not fits(data) or not data.isascii():
        return None
    op, *args = data.split("|")
    arity = _ARITY.get(op)
    if arity is None or len(args) != arity:
        return None
    if not all(_PART.match(arg) for arg in args):
        return None
    return Callback(op, tuple(args))


def parse_position(value: str) -> tuple[str, int] | None:
    """``stage.step`` -> (stage, step), or ``None`` when malformed."""
    stage, sep, step = value.rpartition(".")
    if not sep or not stage or not step.isdigit() or len(step) > 3:
        return None
    return stage, int(step)
