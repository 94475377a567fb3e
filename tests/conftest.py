"""Shared fixtures: a fresh store per test on SQLite and on the machine's PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ADMIN_URL = os.environ.get(
    "REVIEWDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    url = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that asks for the PostgreSQL server carries the ``postgres`` mark, so that
    ``-m "not postgres"`` (``make test-fast``) leaves out exactly those."""
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real user data directory or inherits REVIEWDESK_* settings."""
    for var in ("REVIEWDESK_DB", "REVIEWDESK_CENTRAL", "REVIEWDESK_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("REVIEWDESK_DATA", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards.

    There is no skip: when the server is missing these tests fail, so CI cannot pass
    without having exercised PostgreSQL.
    """
    name = f"rd_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = _pg_admin()
    except Exception as exc:  # pragma: no cover - environment
        pytest.fail(f"PostgreSQL is required for this test and is not reachable: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            # Roles are cluster-wide: the central store's workstation group role of this
            # database (reviewdb.central_pg.group_role_name) goes with it.
            admin.execute(f'DROP ROLE IF EXISTS "rdws_{name}"')
            # ... and its persons' own logins and their group (reviewdb.identity).
            digest = hashlib.sha256(name.encode()).hexdigest()[:8]
            persons = admin.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (f"rdp\\_{digest}\\_%",)
            ).fetchall()
            for (role,) in persons:
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')
            admin.execute(f'DROP ROLE IF EXISTS "rdpp_{name}"')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Parametrises a test over both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An initialised, empty store on each backend."""
    from reviewdb import migrate
    from reviewdb.engine import Store

    s = Store(db_url, tmp_path / "blobs")
    migrate.upgrade(s)
    yield s
    s.dispose()
