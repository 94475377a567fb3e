"""Damaging a SQLite file the way a bad disk does (for the tests of a store that never
fails silently)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage_table(db: Path, table: str) -> None:
    """Overwrite the root page of ``table`` (a real corrupted page, as a bad disk leaves it)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))
