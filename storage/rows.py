"""Conversions between stored rows and the dialogue's data types (domain/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from domain.case import (
    CaseOutcome,
    CaseState,
    CaseStatus,
    EvidenceItem,
    Filing,
    FilingChannel,
    FilingStatus,
    Reminder,
)
from domain.messages import Button, Document, Reply

#: Payload format version stored with each outbox row, so old rows stay readable.
PAYLOAD_VERSION = 1


def reply_to_payload(reply: Reply) -> tuple[dict[str, Any], bytes | None]:
    """The JSON payload of a reply and, separately, the document bytes (stored as a blob)."""
    payload: dict[str, Any] = {
        "v": PAYLOAD_VERSION,
        "text": reply.text,
        "buttons": [[[button.label, button.data] for button in row] for row in reply.buttons],
    }
    content: bytes | None = None
    if reply.document is not None:
        payload["document"] = {"filename": reply.document.filename, "caption": reply.document.caption}
        content = reply.document.content
    return payload, content


def reply_from_payload(payload: Mapping[str, Any], content: bytes | None) -> Reply:
    """Rebuild the :class:`Reply` stored by :func:`reply_to_payload`."""
    buttons = tuple(
        tuple(Button(label=str(label), data=str(data)) for label, data in row)
        for row in payload.get("buttons", ())
    )
    document: Document | None = None
    stored_document = payload.get("document")
    if stored_document is not None:
        document = Document(
            filename=str(stored_document["filename"]),
            content=bytes(content or b""),
            caption=str(stored_document.get("caption", "")),
        )
    return Reply(text=str(payload.get("text", "")), buttons=buttons, document=document)


def case_columns(case: CaseState) -> dict[str, Any]:
    """The ``cases`` row values of a case (facts live in ``case_facts``)."""
    return {
        "id": case.id,
        "user_id": case.user_id,
        "issue_type": case.issue_type,
        "stage": case.stage,
        "step": case.step,
        "status": case.status,
        "awaiting": case.awaiting,
        "outcome": case.outcome,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
    }


def case_from_row(row: Any, facts: dict[str, str]) -> CaseState:
    """A :class:`CaseState` from a ``cases`` row (attribute access) and its facts."""
    return CaseState(
        id=row.id,
        user_id=row.user_id,
        issue_type=row.issue_type,
        stage=row.stage,
        step=row.step,
        status=cast(CaseStatus, row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        facts=facts,
        awaiting=row.awaiting,
        outcome=cast(CaseOutcome | None, row.outcome),
        closed_at=row.closed_at,
    )


def evidence_columns(item: EvidenceItem) -> dict[str, Any]:
    """The ``evidence`` row values of an item."""
    return {
        "id": item.id,
        "case_id": item.case_id,
        "kind": item.kind,
        "file_id": item.file_id,
        "file_unique_id": item.file_unique_id,
        "caption": item.caption,
        "category": item.category,
        "file_name": item.file_name,
        "received_at": item.received_at,
        "sha256": item.sha256,
    }


def evidence_from_row(row: Any) -> EvidenceItem:
    """An :class:`EvidenceItem` from an ``evidence`` row."""
    return EvidenceItem(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        file_id=row.file_id,
        caption=row.caption,
        received_at=row.received_at,
        category=row.category,
        file_unique_id=row.file_unique_id,
        file_name=row.file_name,
        sha256=row.sha256,
    )


def filing_columns(filing: Filing) -> dict[str, Any]:
    """The ``filings`` row values of a filing."""
    return {
        "id": filing.id,
        "case_id": filing.case_id,
        "channel": filing.channel,
        "filed_on": filing.filed_on,
        "number": filing.number,
        "status": filing.status,
        "answer": filing.answer,
        "accepted_on": filing.accepted_on,
        "promised_until": filing.promised_until,
        "created_at": filing.created_at,
        "updated_at": filing.updated_at,
    }


def filing_from_row(row: Any) -> Filing:
    """A :class:`Filing` from a ``filings`` row."""
    return Filing(
        id=row.id,
        case_id=row.case_id,
        channel=cast(FilingChannel, row.channel),
        filed_on=row.filed_on,
        created_at=row.created_at,
        updated_at=row.updated_at,
        number=row.number,
        status=cast(FilingStatus, row.status),
        answer=row.answer,
        accepted_on=row.accepted_on,
        promised_until=row.promised_until,
    )


def reminder_from_row(row: Any) -> Reminder:
    """A :class:`Reminder` from a ``reminders`` row."""
    return Reminder(id=row.id, case_id=row.case_id, due_at=row.due_at, purpose=row.purpose)
