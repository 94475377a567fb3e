"""The upgrade-path fixture store (tests/fixtures/store-0003.db), for tests that need a real
store with data at the *current* schema: upgraded once per test process, then copied."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from reviewdb import migrate
from reviewdb.engine import Store

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "store-0003.db"


@functools.cache
def _at_head() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-fixture-"))
    db = folder / "store.db"
    shutil.copyfile(FIXTURE, db)
    shutil.copytree(FIXTURE.with_name("store-0003.blobs"), folder / "store.blobs")
    store = Store(f"sqlite:///{db}", folder / "store.blobs")
    migrate.upgrade(store)
    store.dispose()
    return db


def copy_fixture_store(db: Path, blobs: Path) -> Path:
    """A copy of the fixture store at the current schema as ``db``, its images in ``blobs``."""
    source = _at_head()
    shutil.copyfile(source, db)
    shutil.copytree(source.with_name("store.blobs"), blobs)
    return db


def local_fixture_store(tmp_path: Path, monkeypatch: object) -> Path:
    """A copy of the fixture store (6 cases, 3 decisions, 28 journal entries, 14 images) as
    this test's REVIEWDESK_DB, at ``tmp_path/ws/local.db``."""
    from app import config

    db = tmp_path / "ws" / "local.db"
    db.parent.mkdir()
    copy_fixture_store(db, db.with_name("local.blobs"))
    monkeypatch.setenv(config.ENV_DB, f"sqlite:///{db}")  # type: ignore[attr-defined]
    return db
