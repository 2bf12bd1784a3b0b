"""Filings (complaints the person filed, issue 15) and the SHA-256 of each evidence file.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 06:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    """A timezone-aware timestamp column."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Add the filings table and the evidence hash column (existing evidence gets "")."""
    op.create_table(
        "filings",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        _ts("promised_until", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_filings_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_filings"),
    )
    op.create_index("ix_filings_case_id", "filings", ["case_id"])
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("sha256", sa.String(64), server_default="", nullable=False))


def downgrade() -> None:
    """Drop the evidence hash column and the filings table."""
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("sha256")
    op.drop_index("ix_filings_case_id", table_name="filings")
    op.drop_table("filings")
