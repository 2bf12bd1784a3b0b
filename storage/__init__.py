"""Persistence of the bot: the only package importing SQLAlchemy.

Build a :class:`Storage` with ``await Storage.connect(url)``; each update is decided and stored
in one transaction by :meth:`Storage.handle`, whose replies wait in the outbox until sent.
"""

from __future__ import annotations

from storage.engine import create_engine
from storage.errors import StorageConfigError, StorageError, StorageUnavailable
from storage.migrate import downgrade, downgrade_async, upgrade, upgrade_async
from storage.outbox import HandleResult, OutboxEntry
from storage.store import Storage

__all__ = [
    "HandleResult",
    "OutboxEntry",
    "Storage",
    "StorageConfigError",
    "StorageError",
    "StorageUnavailable",
    "create_engine",
    "downgrade",
    "downgrade_async",
    "upgrade",
    "upgrade_async",
]
