"""The database schema as typed SQLAlchemy models (the migrations mirror this file)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.coltypes import UTCDateTime

#: Deterministic constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: An auto-incrementing 64-bit key (SQLite needs ``INTEGER PRIMARY KEY`` for its rowid alias).
AutoId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        int: BigInteger(),
    }


class User(Base):
    """One Telegram user: the current case and the small scratch dictionary."""

    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    current_case_id: Mapped[str | None] = mapped_column(String(64))
    pending: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Case(Base):
    """A case; the row is the only copy of its current stage and step."""

    __tablename__ = "cases"
    __table_args__ = (Index(None, "status", "closed_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    issue_type: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    awaiting: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class CaseFact(Base):
    """One confirmed fact of a case (name -> value)."""

    __tablename__ = "case_facts"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Timeline(Base):
    """Something that happened in a case."""

    __tablename__ = "timeline"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)


class Evidence(Base):
    """A screenshot or document attached to a case (the file itself stays with Telegram)."""

    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(Text)
    file_unique_id: Mapped[str] = mapped_column(Text)
    caption: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    # SHA-256 of the file's bytes (hex), "" until the bot downloaded it; the file is never stored.
    sha256: Mapped[str] = mapped_column(String(64), server_default="")


class FilingRow(Base):
    """A complaint filed by the person (channel, date, number, status, answer)."""

    __tablename__ = "filings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    filed_on: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    promised_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReminderRow(Base):
    """A follow-up message due at ``due_at`` (status ``pending``, ``done`` or ``cancelled``)."""

    __tablename__ = "reminders"
    __table_args__ = (Index(None, "status", "due_at"), Index(None, "user_id", "status"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    purpose: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))


class ProcessedUpdate(Base):
    """An update already handled (idempotency key), kept until pruned."""

    __tablename__ = "processed_updates"

    update_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class OutboxRow(Base):
    """A reply decided in a transaction and waiting to be (or already) sent to Telegram.

    Not tied to ``users`` by a foreign key: after ``/delete`` the confirmation must still go out.
    """

    __tablename__ = "outbox"
    # Ids are never reused (SQLite would hand out a deleted top id again, e.g. after /delete),
    # so a sender remembering "entry 7 was sent" can never confuse it with a new reply.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    update_key: Mapped[str | None] = mapped_column(String(128), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)


class ClassificationStat(Base):
    """Aggregated classifier counters per day (no user id, no text)."""

    __tablename__ = "classification_stats"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    clarified_as: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" when not clarified
    needed_clarification: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class UnknownToken(Base):
    """How often a token appeared in messages no intent matched."""

    __tablename__ = "unknown_tokens"

    token: Mapped[str] = mapped_column(String(128), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    last_seen: Mapped[datetime]


class StageStat(Base):
    """Aggregated count of cases entering a stage per day (survives user deletion)."""

    __tablename__ = "stage_stats"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    stage: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


def _table(model: type[Base]) -> Table:
    """The Core table of a model, typed as a :class:`Table` for Core statements."""
    return cast(Table, model.__table__)


USERS = _table(User)
CASES = _table(Case)
CASE_FACTS = _table(CaseFact)
TIMELINE = _table(Timeline)
EVIDENCE = _table(Evidence)
FILINGS = _table(FilingRow)
REMINDERS = _table(ReminderRow)
PROCESSED_UPDATES = _table(ProcessedUpdate)
OUTBOX = _table(OutboxRow)
CLASSIFICATION_STATS = _table(ClassificationStat)
UNKNOWN_TOKENS = _table(UnknownToken)
STAGE_STATS = _table(StageStat)
