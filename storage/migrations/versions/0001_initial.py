"""Initial schema: users, cases and everything hanging off them, outbox, idempotency and statistics.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTO_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    """A timezone-aware timestamp column."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "users",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("current_case_id", sa.String(64), nullable=True),
        sa.Column("pending", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("user_id", name="pk_users"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("issue_type", sa.String(64), nullable=True),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("awaiting", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        _ts("closed_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_cases_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_user_id", "cases", ["user_id"])
    op.create_index("ix_cases_status_closed_at", "cases", ["status", "closed_at"])
    op.create_table(
        "case_facts",
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_facts_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "name", name="pk_case_facts"),
    )
    op.create_table(
        "timeline",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        _ts("at"),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_timeline_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_timeline"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_timeline_case_id", "timeline", ["case_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_id", sa.Text(), nullable=False),
        sa.Column("file_unique_id", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        _ts("received_at"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_evidence_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
    )
    op.create_index("ix_evidence_case_id", "evidence", ["case_id"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        _ts("due_at"),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_reminders_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_reminders_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
    )
    op.create_index("ix_reminders_case_id", "reminders", ["case_id"])
    op.create_index("ix_reminders_status_due_at", "reminders", ["status", "due_at"])
    op.create_index("ix_reminders_user_id_status", "reminders", ["user_id", "status"])
    op.create_table(
        "processed_updates",
        sa.Column("update_key", sa.String(128), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        _ts("processed_at"),
        sa.PrimaryKeyConstraint("update_key", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_user_id", "processed_updates", ["user_id"])
    op.create_index("ix_processed_updates_processed_at", "processed_updates", ["processed_at"])
    op.create_table(
        "outbox",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("update_key", sa.String(128), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        _ts("created_at"),
        _ts("sent_at", nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_update_key", "outbox", ["update_key"])
    op.create_index("ix_outbox_user_id", "outbox", ["user_id"])
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.create_table(
        "classification_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("intent", sa.String(64), nullable=False),
        sa.Column("clarified_as", sa.String(64), nullable=False),
        sa.Column("needed_clarification", sa.Boolean(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "intent", "clarified_as", "needed_clarification", name="pk_classification_stats"
        ),
    )
    op.create_table(
        "unknown_tokens",
        sa.Column("token", sa.String(128), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _ts("last_seen"),
        sa.PrimaryKeyConstraint("token", name="pk_unknown_tokens"),
    )
    op.create_table(
        "stage_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "stage", name="pk_stage_stats"),
    )


def downgrade() -> None:
    """Drop every table (children first)."""
    for table in (
        "stage_stats",
        "unknown_tokens",
        "classification_stats",
        "outbox",
        "processed_updates",
        "reminders",
        "evidence",
        "timeline",
        "case_facts",
        "cases",
        "users",
    ):
        op.drop_table(table)
