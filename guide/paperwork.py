"""Sending what a person takes away: the complaint drafts and the case export."""

from __future__ import annotations

from typing import Any

from domain.case import CaseState
from domain.labels import FACT_LABELS, NOTICE
from domain.messages import Button, Reply
from guide import callbacks
from guide.drafts import render_drafts
from guide.export import render_export
from guide.ladder import filing_lines
from guide.turn import Turn, msg


def send_drafts(turn: Turn, case: CaseState) -> None:
    """Send the notice, each draft as its own message to copy, then the missing facts with buttons."""
    drafts = render_drafts(turn.content, case, turn.view.evidence)
    titles = "、".join(draft.title for draft in drafts.drafts)
    turn.say(f"{msg(turn, 'drafts_intro')}\n依次是：{titles}。\n{NOTICE}")
    for draft in drafts.drafts:
        if draft.key == "report":
            turn.say(msg(turn, "drafts_report"))
        turn.say_verbatim(draft.text)
    if drafts.missing and case.status == "open":  # a closed case's facts are no longer asked for
        buttons = [
            Button(f"填写{FACT_LABELS[name]}", callbacks.make("f", case.id, name)) for name in drafts.missing
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        text = msg(turn, "drafts_missing_ask") + "\n" + "、".join(FACT_LABELS[n] for n in drafts.missing)
        if "respondent" in drafts.missing:
            text += "\n" + turn.content.prompts["respondent"]
        turn.say(text, rows)
    turn.log(case, "draft")


def send_export(turn: Turn, case: CaseState) -> None:
    """Send the case summary as a .txt document."""
    sections = filing_sections(turn, case)
    document = render_export(turn.content, case, turn.view.evidence, turn.view.timeline, **sections)
    turn.reply(Reply(document.caption, document=document))


def filing_sections(turn: Turn, case: CaseState) -> dict[str, Any]:
    """The export's filings and evidence-guidance sections (empty without the tracking content)."""
    tracking = turn.tracking
    if tracking is None:
        return {}
    filings = [f for f in turn.view.filings if f.case_id == case.id]
    return {"filings": filing_lines(tracking, filings, turn.at), "guidance": tracking.evidence_guidance}
