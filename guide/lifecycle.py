"""A case from opening to closing: its label, its issue type and 权益受损 kind, its outcome."""

from __future__ import annotations

from domain.case import CaseOutcome, CaseState
from domain.issues import ISSUE_LABELS, KIND_FACT, RIGHTS_KINDS, issue_label
from domain.labels import OUTCOME_LABELS
from domain.messages import Button
from guide import callbacks
from guide.clock import shown
from guide.fact_records import record_facts, saved_line
from guide.facts import simplified
from guide.followup import cancel_reminders
from guide.navigation import show_step
from guide.scratch import NEW_FLAG, PENDING_FACT, pending_facts, set_pending
from guide.tracks import detect_kind
from guide.turn import Turn, msg


def case_label(case: CaseState) -> str:
    """``助力被吞 · 拼多多 · 11-18`` style label of a case."""
    parts = [issue_label(case.issue_type)]
    if case.facts.get("platform"):
        parts.append(case.facts["platform"])
    parts.append(shown(case.created_at, "%m-%d"))
    return " · ".join(parts)


def begin_case(turn: Turn, issue_type: str, extra_facts: dict[str, str] | None = None) -> CaseState:
    """Open a case of ``issue_type`` with the stashed facts, and show its first step."""
    facts = {**pending_facts(turn), **(extra_facts or {})}
    set_pending(
        turn, {k: v for k, v in turn.pending.items() if not k.startswith(PENDING_FACT) and k != NEW_FLAG}
    )
    case = turn.open_case(issue_type)
    case, changed = record_facts(turn, case, facts)
    prefix = msg(turn, "case_opened", type=ISSUE_LABELS.get(issue_type, issue_type))
    if changed:
        prefix += "\n" + saved_line(turn, changed)
    case = settle_kind(turn, case, prefix)
    return case


def set_type(turn: Turn, case: CaseState, issue_type: str, extra_facts: dict[str, str] | None = None) -> None:
    """Give ``case`` its issue type (logged) and show the current step."""
    case = turn.save(case.evolve(issue_type=issue_type))
    turn.log(case, "type", issue_type)
    facts = {**pending_facts(turn), **(extra_facts or {})}
    set_pending(turn, {k: v for k, v in turn.pending.items() if not k.startswith(PENDING_FACT)})
    case, changed = record_facts(turn, case, facts)
    prefix = msg(turn, "type_set", type=ISSUE_LABELS.get(issue_type, issue_type))
    if changed:
        prefix += "\n" + saved_line(turn, changed)
    settle_kind(turn, case, prefix)


def settle_kind(turn: Turn, case: CaseState, prefix: str) -> CaseState:
    """Show the current step of a case just typed; a 权益受损 case first gets its kind.

    The kind comes from what the person wrote when it is clear; otherwise one question with a
    button per kind follows the general step, and the step for the kind follows the answer
    (:func:`choose_kind`).
    """
    if case.issue_type != "rights_damaged":
        show_step(turn, case, prefix)
        return case
    kind = case.facts.get(KIND_FACT)
    if kind not in RIGHTS_KINDS:
        found = detect_kind(turn.content.tracks, simplified(case.facts.get("description", "")))
        if found is not None:
            case, _ = record_facts(turn, case, {KIND_FACT: found})
            kind = found
    if kind is None or kind not in RIGHTS_KINDS:
        # The general step first (the case is usable as it is), then the one question.
        show_step(turn, case, prefix)
        rows = [
            [Button(label, callbacks.make("g", case.id, kind_id))] for kind_id, label in RIGHTS_KINDS.items()
        ]
        turn.say(msg(turn, "kind_ask"), rows)
        return case
    show_step(turn, case, f"{prefix}\n（具体情况：{RIGHTS_KINDS[kind]}）")
    return case


def choose_kind(turn: Turn, case: CaseState, kind: str) -> None:
    """The person picked the 权益受损 kind of ``case``: record it and show the step for it."""
    case, _ = record_facts(turn, case, {KIND_FACT: kind})
    show_step(turn, case, msg(turn, "kind_set", type=issue_label(case.issue_type, kind)))


def ask_close(turn: Turn, case: CaseState) -> None:
    """Ask for the outcome before closing."""
    rows = [[Button(label, callbacks.make("x", case.id, key)) for key, label in OUTCOME_LABELS.items()]]
    turn.say(msg(turn, "close_ask"), rows)


def close_case(turn: Turn, case: CaseState, outcome: CaseOutcome) -> None:
    """Close ``case`` with ``outcome``, cancel its reminders and clear the current case."""
    case = turn.save(case.evolve(status="closed", outcome=outcome, closed_at=turn.at, awaiting=""))
    turn.log(case, "closed", outcome)
    cancel_reminders(turn, case)
    turn.set_current(None)
    if outcome == "unresolved":  # say where to go next, with the way back into the case
        rows = [[Button("🔄 重新打开，去投诉", callbacks.make("v", case.id))]]
        text = (
            msg(turn, "closed", outcome=OUTCOME_LABELS[outcome])
            + "\n"
            + turn.content.talk.message("closed_unresolved")
        )
        turn.say(text, rows)
        return
    turn.say(msg(turn, "closed", outcome=OUTCOME_LABELS[outcome]))
