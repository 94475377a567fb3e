"""Alembic migrations for the ReviewDesk store (SQLite and PostgreSQL)."""
