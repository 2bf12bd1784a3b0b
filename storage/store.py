"""The :class:`Storage` facade the bot uses: one transaction per update, plus outbox and housekeeping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from domain.case import Reminder, UserView
from domain.outcome import Outcome
from storage import maintenance, outbox, reports
from storage.coltypes import utcnow
from storage.effects import EffectApplier
from storage.errors import StorageUnavailable
from storage.locks import KeyedLock
from storage.migrate import migrate_units
from storage.models import OUTBOX, PROCESSED_UPDATES, REMINDERS
from storage.outbox import (
    HandleResult,
    OutboxEntry,
    add_replies,
    entry_columns,
    entry_from_row,
    unsent_of_update,
)
from storage.rows import reminder_from_row
from storage.statements import statements_for
from storage.units import EngineUnits, SqliteThreadUnits, open_units
from storage.views import load_view

logger = logging.getLogger(__name__)

T = TypeVar("T")
Decide = Callable[[UserView], Outcome]


class Storage:
    """Persistence for the bot: build it with :meth:`connect`, release it with :meth:`close`.

    A unit of work (a plain function taking a sync ``Connection``) runs in one transaction
    (:mod:`storage.units`). SQLite has one writer at a time: in this process writers queue on
    an :class:`asyncio.Lock` (rather than in SQLite's busy-wait sleeps); across processes
    ``BEGIN IMMEDIATE`` and the busy timeout serialise them.
    """

    def __init__(
        self, units: EngineUnits | SqliteThreadUnits, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._units = units
        self._clock = clock
        self._user_locks = KeyedLock()
        sqlite = units.dialect.name == "sqlite"
        self._write_lock: AbstractAsyncContextManager[Any] = asyncio.Lock() if sqlite else nullcontext()
        # In-memory aiosqlite has one shared connection: reads queue behind writes as well.
        self._read_lock = self._write_lock if units.one_connection else nullcontext()

    @classmethod
    async def connect(
        cls, url: str, *, migrate: bool = True, clock: Callable[[], datetime] = utcnow
    ) -> Storage:
        """Create the engine for ``url`` and, when ``migrate``, upgrade the schema to the latest revision."""
        units = open_units(url)
        try:
            if migrate:
                await migrate_units(units, url, "upgrade", "head")
        except BaseException:
            await units.close()
            raise
        return cls(units, clock=clock)

    @property
    def dialect_name(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._units.dialect.name

    @property
    def driver(self) -> str:
        """The DBAPI driver units run on, the URL's: ``"pysqlite"``, ``"aiosqlite"`` or ``"asyncpg"``."""
        return self._units.dialect.driver

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._units.close()

    # --- units of work --------------------------------------------------------------------

    async def _write(
        self, work: Callable[[Connection], T], user_id: int | None = None, *, one_statement: bool = False
    ) -> T:
        """Run ``work`` in one write transaction (committed when it returns).

        A person's updates also queue on an in-process lock, so they reach the database one
        at a time and in arrival order without each holding a pooled connection while waiting
        (across processes, SQLite's BEGIN IMMEDIATE and PostgreSQL's advisory lock serialise).
        """
        async with self._user_locks.hold(user_id) if user_id is not None else nullcontext(), self._write_lock:
            return await self._units.run(work, one_statement=one_statement)

    async def _read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one read-only transaction (DEFERRED on SQLite: it never blocks a writer)."""
        async with self._read_lock:
            return await self._units.run(work, read_only=True)

    # --- the update ---------------------------------------------------------------------------

    async def handle(
        self, user_id: int, chat_id: int, update_key: str | None, decide: Decide, *, timeline: bool = True
    ) -> HandleResult:
        """Decide and persist one update in one transaction; a repeated ``update_key`` is not decided again.

        ``timeline=False``: ``decide`` does not read :attr:`UserView.timeline`, so it is not loaded.
        """

        def work(connection: Connection) -> HandleResult:
            return self._handle_in_transaction(connection, user_id, chat_id, update_key, decide, timeline)

        try:
            return await self._write(work, user_id)
        except (OperationalError, InterfaceError) as error:  # locked, disk full, connection lost
            raise StorageUnavailable(f"update not applied: {type(error.orig).__name__}") from error
        except IntegrityError:
            # Only a concurrent twin of this very update may end here: report it as the duplicate.
            if update_key is None or not await self._read(lambda c: _is_processed(c, update_key)):
                raise
            logger.info("update for user %s was processed concurrently", user_id)
            return HandleResult(
                entries=await self._read(lambda c: unsent_of_update(c, update_key)), duplicate=True
            )

    def _handle_in_transaction(
        self,
        connection: Connection,
        user_id: int,
        chat_id: int,
        update_key: str | None,
        decide: Decide,
        timeline: bool,
    ) -> HandleResult:
        """The body of :meth:`handle`, inside the transaction."""
        sql = statements_for(connection.dialect.name)
        if update_key is None and sql.lock_user is not None:
            connection.execute(sql.lock_user, {"user_id": user_id})  # else the claim takes the lock
        now = self._clock()
        if update_key is not None:
            claim = {"update_key": update_key, "user_id": user_id, "processed_at": now}
            if connection.execute(sql.claim_update, claim).first() is None:
                logger.info("duplicate update for user %s", user_id)
                return HandleResult(entries=unsent_of_update(connection, update_key), duplicate=True)
        view, user_exists = load_view(connection, user_id, timeline=timeline)
        outcome = decide(view)
        if not user_exists and not outcome.effects and not outcome.replies:
            # Nothing to keep about someone unknown (e.g. a screenshot read after /delete):
            # leave no update record behind either.
            if update_key is not None:
                connection.execute(
                    delete(PROCESSED_UPDATES).where(PROCESSED_UPDATES.c.update_key == update_key)
                )
            return HandleResult(entries=[], duplicate=False)
        # A new person's row is written by the applier, once, with the values the effects leave.
        EffectApplier(connection, view, user_exists=user_exists, now=now, update_key=update_key).apply(
            outcome.effects
        )
        entries = add_replies(
            connection,
            update_key=update_key,
            user_id=user_id,
            chat_id=chat_id,
            replies=outcome.replies,
            now=now,
        )
        return HandleResult(entries=entries, duplicate=False)

    # --- outbox -----------------------------------------------------------------------------

    async def mark_sent(self, entry_id: int, telegram_message_id: int | None = None) -> None:
        """Record that an outbox entry reached Telegram, in a transaction of its own; returns once committed.

        If the process dies between the send and this commit, the reply is sent again after the restart.
        """
        now = self._clock()
        try:
            await self._write(
                lambda c: outbox.mark_sent(c, entry_id, telegram_message_id, now), one_statement=True
            )
        except (OperationalError, InterfaceError) as error:  # locked, disk full, connection lost
            raise StorageUnavailable(f"sent mark not written: {type(error.orig).__name__}") from error

    async def unsent(self, *, older_than: timedelta = timedelta(0), limit: int = 100) -> list[OutboxEntry]:
        """Entries not sent yet and created at least ``older_than`` ago, oldest first (for redelivery)."""
        cutoff = self._clock() - older_than
        stmt = (
            select(*entry_columns())
            .where(OUTBOX.c.sent_at.is_(None), OUTBOX.c.created_at <= cutoff)
            .order_by(OUTBOX.c.id)
            .limit(limit)
        )
        return await self._read(lambda connection: [entry_from_row(row) for row in connection.execute(stmt)])

    # --- reads ------------------------------------------------------------------------------

    async def load_view(self, user_id: int) -> UserView:
        """The person's view as :meth:`handle` would pass it to ``decide`` (read-only; creates nothing)."""
        return await self._read(lambda connection: load_view(connection, user_id)[0])

    async def due_reminders(self, now: datetime, limit: int = 100) -> list[tuple[int, Reminder]]:
        """Pending reminders due at ``now`` or earlier, oldest first, with their user id."""
        stmt = (
            select(REMINDERS)
            .where(REMINDERS.c.status == "pending", REMINDERS.c.due_at <= now)
            .order_by(REMINDERS.c.due_at, REMINDERS.c.id)
            .limit(limit)
        )
        return await self._read(
            lambda connection: [
                (int(row.user_id), reminder_from_row(row)) for row in connection.execute(stmt)
            ]
        )

    async def stats(self) -> dict[str, object]:
        """Anonymous counters: cases by type/stage/status, stages reached, classifications, unknowns."""
        return await self._read(reports.collect_stats)

    async def unknown_tokens(self, limit: int = 30) -> list[tuple[str, int]]:
        """The most frequent tokens of messages no intent matched, with their counts."""
        return await self._read(lambda connection: reports.top_unknown_tokens(connection, limit))

    async def user_row_counts(self, user_id: int) -> dict[str, int]:
        """Rows per table that belong to ``user_id`` (to check that a deletion was complete)."""
        return await self._read(lambda connection: maintenance.user_row_counts(connection, user_id))

    async def is_processed(self, update_key: str) -> bool:
        """True when an update with ``update_key`` was applied (and its key not yet pruned)."""
        return await self._read(lambda connection: _is_processed(connection, update_key))

    # --- housekeeping ---------------------------------------------------------------------------

    async def purge_closed(self, older_than: datetime) -> int:
        """Delete closed cases (and everything hanging off them) closed before ``older_than``."""
        return await self._write(lambda connection: maintenance.purge_closed(connection, older_than))

    async def prune_processed(self, older_than: datetime) -> int:
        """Forget processed update keys and sent outbox rows older than ``older_than``."""
        return await self._write(lambda connection: maintenance.prune_processed(connection, older_than))

    async def prune_unknown_tokens(self, older_than: datetime) -> int:
        """Forget the words of unmatched messages last seen before ``older_than``."""
        return await self._write(lambda connection: maintenance.prune_unknown_tokens(connection, older_than))


def _is_processed(connection: Connection, update_key: str) -> bool:
    """True when ``update_key`` is recorded as processed."""
    stmt = select(PROCESSED_UPDATES.c.update_key).where(PROCESSED_UPDATES.c.update_key == update_key)
    return connection.execute(stmt).first() is not None
