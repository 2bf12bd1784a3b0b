"""A screenshot of a complaint or report confirmation page offers to record the filing it shows.

What was read is never stored unconfirmed (see :mod:`guide.proposals`): the number and date
live only in the reply, and the button reads them back from the message Telegram sends with
the press (:func:`shown`). Pressing it records the filing and starts its clock
(:func:`guide.filings.record`).
"""

from __future__ import annotations

import re
from datetime import date

from domain.case import CaseState
from domain.messages import Button
from guide import ladder
from guide.facts import parse_fact, simplified
from guide.turn import Turn

NUMBER_LABEL = "投诉编号"
DATE_LABEL = "提交日期"
_LINE = re.compile(r"^• (投诉编号|提交日期)：(.+)$")


def channel_of(facts: dict[str, str]) -> str:
    """The 12315 channel a confirmation page is about: a report (举报) or a complaint (投诉)."""
    return "report_12315" if facts.get("complaint_type") == "举报" else "complaint_12315"


def offer(turn: Turn, case: CaseState, facts: dict[str, str], heading: str) -> None:
    """Show the number and date read, with one button to record them as a filing."""
    number = facts.get("complaint_no", "")
    if not number:
        turn.say(
            f"{heading}\n没有读到投诉编号。提交后可以发「我在12315投诉了，编号是…」，我帮你记下并按期限提醒。"
        )
        return
    filed = parse_fact("date", facts["date"], turn.at) if facts.get("date") else None
    channel = channel_of(facts)
    label = turn.tracking.channel(channel).label if turn.tracking is not None else "12315"
    lines = [heading, "我从截图里读到：", f"• {NUMBER_LABEL}：{number}"]
    if filed:
        lines.append(f"• {DATE_LABEL}：{filed}")
    lines.append(f"要把它记为一次「{label}」吗？记下后我会按规定的期限提醒你跟进（没确认前什么都不记）。")
    rows = [[Button(f"📮 记下这次{label}", ladder.data("o", case.id, channel))]]
    turn.say("\n".join(lines), rows)


def shown(message_text: str) -> tuple[str, date | None] | None:
    """(number, date filed) read back from an :func:`offer` message, or ``None``."""
    found: dict[str, str] = {}
    for line in simplified(message_text).splitlines():
        match = _LINE.match(line.strip())
        if match:
            found.setdefault(match.group(1), match.group(2).strip())
    number = found.get(NUMBER_LABEL)
    if not number:
        return None
    try:
        filed = date.fromisoformat(found[DATE_LABEL]) if DATE_LABEL in found else None
    except ValueError:
        filed = None
    return number, filed
