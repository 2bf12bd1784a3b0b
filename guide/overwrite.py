"""Facts the person gave before are not overwritten silently: a different value waits for a yes.

A fact found in free text that differs from the stored one (``花了19.9元`` after ``9.9元``)
waits in the scratch under ``ow:<case>:<fact>`` with two buttons, 改成 / 保留 (``w|case|fact|y``
or ``n``). An explicit answer to a fact question or a correction from the facts menu still
replaces the value directly: the person chose to change it.
"""

from __future__ import annotations

from domain.case import CaseState
from domain.labels import FACT_LABELS
from domain.messages import Button
from guide import callbacks, fact_records, navigation, scratch
from guide.turn import Turn, msg

OP = "w"
PREFIX = "ow:"
#: Facts a message may well restate differently without meaning a correction.
_FREE = ("description",)


def _key(case_id: str, name: str) -> str:
    return f"{PREFIX}{case_id}:{name}"


def record(
    turn: Turn, case: CaseState, facts: dict[str, str]
) -> tuple[CaseState, dict[str, str], dict[str, str]]:
    """Record ``facts``; returns the case, the facts recorded and those waiting for the person."""
    conflicts = {
        name: value
        for name, value in facts.items()
        if name not in _FREE and case.facts.get(name) and case.facts[name] != value
    }
    case, changed = fact_records.record_facts(
        turn, case, {k: v for k, v in facts.items() if k not in conflicts}
    )
    if conflicts:
        pending = dict(turn.pending)
        pending.update({_key(case.id, name): value for name, value in conflicts.items()})
        scratch.set_pending(turn, pending)
    return case, changed, conflicts


def ask(turn: Turn, case: CaseState, conflicts: dict[str, str]) -> None:
    """Ask, one short message per fact, whether the new value replaces the old one."""
    for name, value in conflicts.items():
        old = case.facts.get(name, "")
        rows = [
            [
                Button(f"改成「{value}」"[:40], callbacks.make(OP, case.id, name, "y")),
                Button(f"保留「{old}」"[:40], callbacks.make(OP, case.id, name, "n")),
            ]
        ]
        turn.say(f"之前记录的{FACT_LABELS[name]}是「{old}」，这次说的是「{value}」，要改吗？", rows)


def press(turn: Turn, case_id: str, name: str, choice: str) -> None:
    """The answer to an overwrite question (stale or forged data gets a polite reply)."""
    key = _key(case_id, name)
    case = turn.cases.get(case_id)
    value = turn.pending.get(key)
    if (
        case is None
        or case.status != "open"
        or value is None
        or name not in FACT_LABELS
        or choice not in "yn"
    ):
        navigation.show_current_or_types(turn, msg(turn, "stale"))
        return
    scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k != key})
    if choice == "y":
        fact_records.record_facts(turn, case, {name: value})
        turn.say(fact_records.saved_line(turn, {name: value}))
    else:
        turn.say(f"好的，{FACT_LABELS[name]}保留原来的「{case.facts.get(name, '')}」。")


def tidy(turn: Turn) -> None:
    """Drop the questions of cases that are no longer open (closed or gone)."""
    if not any(key.startswith(PREFIX) for key in turn.pending):
        return
    kept = {}
    for key, value in turn.pending.items():
        case = turn.cases.get(key[len(PREFIX) :].partition(":")[0]) if key.startswith(PREFIX) else None
        if not key.startswith(PREFIX) or (case is not None and case.status == "open"):
            kept[key] = value
    if len(kept) != len(turn.pending):
        scratch.set_pending(turn, kept)
