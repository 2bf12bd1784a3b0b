"""Tests of the storage package (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set)."""
