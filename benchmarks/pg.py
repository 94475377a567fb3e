"""A throwaway PostgreSQL database for one benchmark run."""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg

from reviewdb.central_pg import group_role_name, people_role_name

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def temp_database(prefix: str = "rd_bench") -> Iterator[str]:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            drop_roles(admin, name)


def drop_roles(admin: psycopg.Connection[Any], dbname: str) -> None:
    """The cluster-wide roles a central store made for database ``dbname``
    (``central_pg.install``: the workstations' group, the persons' group; each person's
    own login, ``reviewdb.identity.person_role_name``), once the database is gone."""
    digest = hashlib.sha256(dbname.encode()).hexdigest()[:8]
    persons = admin.execute(
        "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (f"rdp\\_{digest}\\_%",)
    ).fetchall()
    for role in [*(str(r[0]) for r in persons), group_role_name(dbname), people_role_name(dbname)]:
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')
