"""The facts of a case: recording them (with the 权益受损 kind a message shows), listing them, asking for one."""

from __future__ import annotations

from domain.case import CaseState
from domain.issues import KIND_FACT, RIGHTS_KINDS
from domain.labels import FACT_LABELS
from guide.facts import simplified
from guide.scratch import set_pending
from guide.tracks import detect_kind
from guide.turn import Turn


def record_facts(turn: Turn, case: CaseState, facts: dict[str, str]) -> tuple[CaseState, dict[str, str]]:
    """Merge ``facts`` into the case; returns the case and the facts that changed.

    A 权益受损 case whose kind is not known yet takes it from the message being answered when
    the message makes it clear (a later message can settle what the first one left open).
    """
    facts = {**_kind_in_message(turn, case), **facts}
    changed = {name: value for name, value in facts.items() if case.facts.get(name) != value}
    if not changed:
        return case, {}
    case = turn.save(case.evolve(facts={**case.facts, **changed}))
    for name in changed:
        turn.log(case, "fact", name)
    return case, changed


def _kind_in_message(turn: Turn, case: CaseState) -> dict[str, str]:
    """``{rights_kind: kind}`` when ``case`` lacks the kind and the incoming text shows it."""
    if case.issue_type != "rights_damaged" or case.facts.get(KIND_FACT) in RIGHTS_KINDS:
        return {}
    if turn.incoming.kind != "text":
        return {}
    kind = detect_kind(turn.content.tracks, simplified(turn.incoming.text[:2000]))
    return {KIND_FACT: kind} if kind is not None else {}


def facts_lines(facts: dict[str, str]) -> str:
    """``• 订单号：…`` lines, in the facts menu's order."""
    return "\n".join(f"• {FACT_LABELS[name]}：{facts[name]}" for name in FACT_LABELS if name in facts)


def saved_line(turn: Turn, facts: dict[str, str]) -> str:
    """Every recorded fact in one short line: ``已记录 ✅ 金额：9.9元 · 日期：2024-11-18``."""
    shown = " · ".join(f"{FACT_LABELS[name]}：{facts[name]}" for name in FACT_LABELS if name in facts)
    return turn.content.talk.message("facts_line").replace("{facts}", shown)


def ask_fact(turn: Turn, case: CaseState, name: str) -> None:
    """Ask for fact ``name`` and wait for the answer."""
    turn.save(case.evolve(awaiting=name))
    if "miss" in turn.pending:  # a new question starts counting misses again (guide.prompt)
        set_pending(turn, {k: v for k, v in turn.pending.items() if k != "miss"})
    current = case.facts.get(name)
    note = f"\n（当前：{current}）" if current else ""
    turn.say(turn.content.prompts[name] + note + "\n发送 /cancel 可跳过。")
