"""The statements of an update search by the person's (or case's, or row's) keys: none walks a table
or the pending reminders of everyone, whatever the number of other people in the database."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import ClauseElement, Executable
from sqlalchemy.dialects import sqlite

from storage import outbox, upgrade, views
from storage.statements import statements_for

#: The index only the reminder loop's "everything due" scan should use.
DUE_INDEX = "ix_reminders_status_due_at"


def _update_statements() -> dict[str, ClauseElement]:
    """Every statement an update may run, by name."""
    found = {name: value for name, value in vars(statements_for("sqlite")).items() if value is not None}
    for module in (views, outbox):
        found.update(
            {
                name: value
                for name, value in vars(module).items()
                if isinstance(value, Executable) and isinstance(value, ClauseElement)
            }
        )
    return found


@pytest.mark.parametrize("name", sorted(_update_statements()))
def test_statement_searches_by_key(name: str, tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    upgrade(f"sqlite:///{path}")
    statement = _update_statements()[name]
    # An expanding IN (...) list stands as one placeholder.
    text = re.sub(r"\(__\[POSTCOMPILE_\w+\]\)", "(?)", statement.compile(dialect=sqlite.dialect()).string)
    with sqlite3.connect(path) as connection:
        connection.execute("ANALYZE")  # as after `PRAGMA optimize`: the plan must not depend on luck
        plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {text}", [None] * text.count("?"))]
    for step in plan:
        assert not step.startswith("SCAN"), (name, plan)
        assert DUE_INDEX not in step, (name, plan)
