"""The outbox: replies stored in the update's transaction, sent (and marked) afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from domain.messages import Reply
from storage.models import OUTBOX
from storage.rows import PAYLOAD_VERSION, reply_from_payload, reply_to_payload

#: What a sent entry keeps of its reply: nothing. The text (drafts with names and phone numbers,
#: exports) must not outlive its delivery; redelivery only ever reads unsent rows, and the
#: idempotency of an update lives in ``processed_updates`` and the row's ``update_key``.
SENT_PAYLOAD: dict[str, Any] = {"v": PAYLOAD_VERSION, "sent": True}


@dataclass(frozen=True)
class OutboxEntry:
    """A reply waiting to be sent: ``id`` is what :meth:`Storage.mark_sent` takes."""

    id: int
    chat_id: int
    user_id: int
    reply: Reply


@dataclass(frozen=True)
class HandleResult:
    """What :meth:`Storage.handle` produced: entries to send, and whether the update was a repeat."""

    entries: list[OutboxEntry]
    duplicate: bool


_ENTRY_COLUMNS = (OUTBOX.c.id, OUTBOX.c.chat_id, OUTBOX.c.user_id, OUTBOX.c.payload, OUTBOX.c.document)
_INSERT = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)
_UNSENT_OF_UPDATE = (
    select(*_ENTRY_COLUMNS)
    .where(OUTBOX.c.update_key == bindparam("update_key"), OUTBOX.c.sent_at.is_(None))
    .order_by(OUTBOX.c.seq, OUTBOX.c.id)
)


def entry_from_row(row: Any) -> OutboxEntry:
    """An :class:`OutboxEntry` from a row with id, chat_id, user_id, payload and document."""
    return OutboxEntry(
        id=row.id,
        chat_id=row.chat_id,
        user_id=row.user_id,
        reply=reply_from_payload(row.payload, row.document),
    )


def add_replies(
    connection: Connection,
    *,
    update_key: str | None,
    user_id: int,
    chat_id: int,
    replies: tuple[Reply, ...],
    now: datetime,
) -> list[OutboxEntry]:
    """Insert ``replies`` (in order) into the outbox and return them as entries."""
    if not replies:
        return []
    rows = []
    for seq, reply in enumerate(replies):
        payload, document = reply_to_payload(reply)
        rows.append(
            {
                "update_key": update_key,
                "user_id": user_id,
                "chat_id": chat_id,
                "seq": seq,
                "payload": payload,
                "document": document,
                "created_at": now,
                "sent_at": None,
                "telegram_message_id": None,
            }
        )
    # One statement for all of them (one round trip on PostgreSQL), ids in the order of the rows.
    ids = connection.execute(_INSERT, rows).scalars().all()
    return [
        OutboxEntry(id=entry_id, chat_id=chat_id, user_id=user_id, reply=reply)
        for entry_id, reply in zip(ids, replies, strict=True)
    ]


def unsent_of_update(connection: Connection, update_key: str) -> list[OutboxEntry]:
    """The entries of one update that were not sent yet, in reply order."""
    return [entry_from_row(row) for row in connection.execute(_UNSENT_OF_UPDATE, {"update_key": update_key})]


def entry_columns() -> tuple[Any, ...]:
    """The columns :func:`entry_from_row` needs, for building other selects."""
    return _ENTRY_COLUMNS


_MARK_SENT = (
    update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id")).values(payload=SENT_PAYLOAD, document=None)
)


def mark_sent(connection: Connection, entry_id: int, telegram_message_id: int | None, now: datetime) -> None:
    """Record that entry ``entry_id`` was sent, erasing its reply (see :data:`SENT_PAYLOAD`)."""
    params = {"b_id": entry_id, "sent_at": now, "telegram_message_id": telegram_message_id}
    connection.execute(_MARK_SENT, params)
