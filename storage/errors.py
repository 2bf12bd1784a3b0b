"""Typed exceptions raised by the storage layer."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every error the storage layer raises on purpose."""


class StorageConfigError(StorageError):
    """The database URL (the ``DATABASE_URL`` setting) is malformed or names an unsupported driver."""


class StorageUnavailable(StorageError):
    """The database could not apply an update right now (locked past the busy timeout, disk full,
    connection lost). Nothing of the update was stored: it may be tried again as it is."""
