"""The commit-ordered change counter (SYNC.md lesson 4).

A writing transaction calls :func:`stamp` as its last statement: it raises the single
counter row (which holds that row's lock until commit, so counter values are handed out
in commit order) and writes the new value into every replicated row it touched. A pull
that asks for ``change_seq > cursor`` can then never skip a slow transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

_NEXT = text("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")


def next_value(session: Session) -> int:
    """Take the next counter value; the counter row stays locked until commit."""
    return int(session.connection().execute(_NEXT).scalar_one())


def stamp(session: Session, rows: Iterable[Any]) -> int:
    """Take the next counter value and give it to ``rows``, then flush; returns the value.

    The counter row is updated after all the transaction's work has been decided (pending
    rows are written by the one flush that follows, with their ``change_seq`` included)
    and stays locked until commit, so values follow commit order.
    """
    value = next_value(session)
    for row in rows:
        row.change_seq = value
    session.flush()
    return value
