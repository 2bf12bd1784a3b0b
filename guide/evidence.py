"""Files and due reminders: a photo or document becomes evidence; a due follow-up asks the outcome."""

from __future__ import annotations

from domain.case import EvidenceItem, new_id
from domain.outcome import AddEvidence, MarkReminderDone
from guide import buttons, lifecycle, navigation, overwrite
from guide.facts import extract_facts, simplified
from guide.render import missing_evidence, nav_button, type_buttons
from guide.scam import is_scam_text
from guide.turn import Turn, msg


def receive(turn: Turn) -> None:
    """Attach a photo or document to the current case (opening one if needed)."""
    incoming = turn.incoming
    caption = incoming.caption[:1000]
    scam = is_scam_text(caption, turn.content.scam_keywords)
    if scam:
        turn.say(msg(turn, "scam_warning"))
    case = turn.open_current
    if case is None:
        case = turn.open_case(None)
    if incoming.file_unique_id and any(
        item.case_id == case.id and item.file_unique_id == incoming.file_unique_id
        for item in turn.view.evidence
    ):
        navigation.show_current_or_types(turn, msg(turn, "duplicate_evidence"))
        return
    category = _category(turn, caption, case.issue_type)
    item = EvidenceItem(
        id=new_id(),
        case_id=case.id,
        kind="photo" if incoming.kind == "photo" else "document",
        file_id=incoming.file_id,
        caption=" ".join(caption.split())[:300],
        received_at=turn.at,
        category=category,
        file_unique_id=incoming.file_unique_id,
        file_name=incoming.file_name[:200],
    )
    turn.emit(AddEvidence(item))
    turn.log(case, "evidence", category or "other")
    if caption and not scam:  # what a fraudster asked for is no fact of the case
        case, _, conflicts = overwrite.record(turn, case, extract_facts(caption, turn.at))
        overwrite.ask(turn, case, conflicts)
    evidence = (*turn.view.evidence, item)
    count = sum(1 for e in evidence if e.case_id == case.id)
    labels = {spec.category: spec.label for spec in turn.content.evidence}
    text = msg(turn, "evidence_saved", category=labels.get(category, "未分类"), count=str(count))
    if case.issue_type is None:
        turn.say(text + "\n" + msg(turn, "evidence_need_type"), type_buttons(case.id))
        return
    missing = missing_evidence(turn.content, case, evidence)
    if missing:
        text += "\n还缺：" + "、".join(spec.label for spec in missing)
    rows = [[nav_button(case, "🗂 证据清单", "evidence"), nav_button(case, "▶️ 继续", "resume")]]
    turn.say(text, rows)


def _category(turn: Turn, caption: str, issue_type: str | None) -> str:
    """The evidence category named in ``caption`` ("" when none)."""
    caption = simplified(caption)
    for spec in turn.content.checklist(issue_type) + turn.content.evidence:
        if any(word in caption for word in spec.keywords):
            return spec.category
    return ""


def follow_up_due(turn: Turn) -> None:
    """A follow-up fell due: ask about the outcome (or drop an obsolete reminder)."""
    reminder_id = turn.incoming.data
    reminder = next((r for r in turn.view.reminders if r.id == reminder_id), None)
    case = turn.cases.get(reminder.case_id) if reminder is not None else None
    if reminder_id:
        turn.emit(MarkReminderDone(reminder_id))
    if case is None or case.status != "open":
        return
    turn.log(case, "follow_up", "asked")
    rows = [
        [
            buttons.button("✅ 已解决", "o", case.id, "yes"),
            buttons.button("❌ 没解决", "o", case.id, "no"),
        ],
        [buttons.button("⏳ 还在处理", "o", case.id, "wait")],
    ]
    turn.say(msg(turn, "follow_up", case=lifecycle.case_label(case)), rows)
