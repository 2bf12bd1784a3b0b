"""Screenshots read by OCR become proposed case facts, which the person confirms with buttons.

The bot reads an attached screenshot off the event loop and hands the dialogue a ``reading``
incoming (see :class:`domain.messages.Incoming`). Here the evidence item gets its category from the
kind of screenshot, and the facts it shows are *proposed* in the reply, never stored unconfirmed
(not even as scratch values): the reply's buttons adopt them (:mod:`guide.proposals`). A fact the person already gave is never
overwritten without asking; a value equal to the stored one needs no question.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from domain.case import CaseState, EvidenceItem
from domain.labels import FACT_LABELS
from domain.outcome import UpdateEvidence
from domain.screenshots import KIND_LABELS
from guide import filing_reading
from guide.facts import parse_fact
from guide.proposals import CASE_FACTS, SAME_NOTE, done_rows, proposal_line, proposal_rows
from guide.render import missing_evidence
from guide.turn import Turn, msg

MAX_DATA = 20_000
MAX_VALUE = 300
MAX_EXTRA = 60
_SHA256 = re.compile(r"[0-9a-f]{64}")

#: Screenshot kind -> evidence category (``other`` keeps the category the caption gave).
KIND_CATEGORIES: dict[str, str] = {
    "order": "order",
    "rules": "rules",
    "bargain_progress": "progress",
    "assist_record": "progress",
    "cs_chat": "chat",
    "payment": "payment",
    "logistics": "logistics",
    "complaint": "other",
}

#: Facts read from a screenshot that the case has no place for: shown, never stored.
EXTRA_LABELS: dict[str, str] = {
    "product": "商品",
    "progress": "砍价进度",
    "assist_count": "已助力人数",
    "assist_missing": "还差助力人数",
    "tracking_no": "运单号",
    "transaction_no": "交易单号",
}


@dataclass(frozen=True, slots=True)
class Reading:
    """What the bot read from one screenshot: its kind, the facts it shows, or an error message."""

    file_unique_id: str
    kind: str
    facts: dict[str, str]
    error: str = ""
    sha256: str = ""  # of the downloaded file ("" when it could not be downloaded)
    hash_only: bool = False  # a file that was only hashed, not read (a PDF, or OCR switched off)

    @property
    def is_blank(self) -> bool:
        """True when nothing usable was read (no facts and no recognisable kind)."""
        return not self.facts and self.kind == "other"


def parse_reading(data: str) -> Reading | None:
    """The reading in a ``reading`` incoming's JSON ``data``, or ``None`` when it is malformed."""
    if len(data) > MAX_DATA:
        return None
    try:
        raw = json.loads(data)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    file_unique_id = raw.get("file_unique_id")
    if not isinstance(file_unique_id, str) or not file_unique_id:
        return None
    kind = raw.get("kind")
    raw_facts = raw.get("facts")
    error = raw.get("error")
    facts = {
        name: value[:MAX_VALUE].strip()
        for name, value in (raw_facts.items() if isinstance(raw_facts, dict) else ())
        if isinstance(name, str) and isinstance(value, str) and value.strip()
    }
    digest = raw.get("sha256")
    return Reading(
        file_unique_id=file_unique_id,
        kind=kind if isinstance(kind, str) and kind in KIND_LABELS else "other",
        facts=facts,
        error=" ".join(error.split())[:MAX_VALUE] if isinstance(error, str) else "",
        sha256=digest if isinstance(digest, str) and _SHA256.fullmatch(digest) else "",
        hash_only=raw.get("hash_only") is True,
    )


# --- a reading arrives ---------------------------------------------------------------------


def _evidence_item(turn: Turn, file_unique_id: str) -> tuple[EvidenceItem, CaseState] | None:
    """The evidence item of the read file in an open case (the current case's first)."""
    found: list[tuple[EvidenceItem, CaseState]] = []
    for item in turn.view.evidence:
        case = turn.cases.get(item.case_id)
        if item.file_unique_id == file_unique_id and case is not None and case.status == "open":
            found.append((item, case))
    if not found:
        return None
    found.sort(key=lambda pair: (pair[1].id == turn.current_id, pair[0].received_at))
    return found[-1]


def _categorise(turn: Turn, item: EvidenceItem, kind: str) -> str:
    """Give the evidence item the category of its screenshot kind; returns the category."""
    category = KIND_CATEGORIES.get(kind) or item.category or "other"
    if category != item.category:
        turn.emit(UpdateEvidence(replace(item, category=category)))
    return category


def receive(turn: Turn) -> None:
    """Handle a ``reading`` incoming: categorise the evidence and propose the facts read."""
    reading = parse_reading(turn.incoming.data)
    if reading is None:
        return
    found = _evidence_item(turn, reading.file_unique_id)
    if found is None:  # stale: the file, its case or the person's data is gone
        return
    item, case = found
    if reading.sha256 and reading.sha256 != item.sha256:
        item = replace(item, sha256=reading.sha256)
        turn.emit(UpdateEvidence(item))
    if reading.hash_only:  # nothing was read: nothing to say
        return
    if reading.error:
        note = "" if "保存" in reading.error else "\n" + msg(turn, "reading_kept")
        turn.say(reading.error + note)
        return
    if reading.is_blank:
        turn.say(msg(turn, "reading_blank"))
        return
    category = _categorise(turn, item, reading.kind)
    lines: list[str] = []
    labels = {spec.category: spec.label for spec in turn.content.evidence}
    if reading.kind != "other":
        kind, label = KIND_LABELS[reading.kind], labels.get(category, "其他材料")
        lines.append(msg(turn, "reading_kind", kind=kind, category=label))
    if reading.kind == "complaint":  # a filing to record, not facts of the case
        filing_reading.offer(turn, case, reading.facts, "\n".join(lines))
        return
    new, same = _proposals(turn, case, reading.facts)
    extras = [
        f"• {label}：{reading.facts[name][:MAX_EXTRA]}（仅供参考，不会记录）"
        for name, label in EXTRA_LABELS.items()
        if reading.facts.get(name)
    ]
    if new or same or extras:
        lines.append(msg(turn, "reading_found"))
        lines += [proposal_line(case, name, value) for name, value in new.items()]
        lines += [f"• {FACT_LABELS[name]}：{value}{SAME_NOTE}" for name, value in same.items()]
        lines += extras
    else:
        lines.append(msg(turn, "reading_no_facts"))
    if new:  # proposed in this message only: nothing read is stored before the person confirms it
        lines.append(msg(turn, "reading_confirm"))
    missing = _missing(turn, case, item, category)
    if missing:
        lines.append(missing)
    rows = proposal_rows(case, new, with_all=True) if new else done_rows(case)
    turn.say("\n".join(lines), rows)


def _proposals(turn: Turn, case: CaseState, facts: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(facts to ask about, facts equal to what the case already has), in the dialogue's format."""
    new: dict[str, str] = {}
    same: dict[str, str] = {}
    for name in CASE_FACTS:
        raw = facts.get(name)
        value = parse_fact(name, raw, turn.at) if raw else None
        if value is None:
            continue
        if case.facts.get(name) == value:
            same[name] = value
        else:
            new[name] = value
    return new, same


def _missing(turn: Turn, case: CaseState, item: EvidenceItem, category: str) -> str:
    """``证据还缺：…`` for a typed case (with the item as now categorised), else ``""``."""
    if case.issue_type is None:
        return ""
    evidence = [replace(e, category=category) if e.id == item.id else e for e in turn.view.evidence]
    missing = missing_evidence(turn.content, case, evidence)
    if not missing:
        return msg(turn, "reading_evidence_complete")
    return msg(turn, "reading_evidence_missing", missing="、".join(spec.label for spec in missing))
