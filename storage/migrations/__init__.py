"""Alembic migration scripts of the storage schema (run them through :mod:`storage.migrate`)."""
