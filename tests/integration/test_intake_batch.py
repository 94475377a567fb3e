"""Many packages at once (``import_packages``, what ``reviewdesk import`` runs): on SQLite
a batch shares one write transaction, yet every package stays atomic and idempotent, and
the outcomes, rows and findings are those of importing the packages one at a time."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.intake.intake import import_package, import_packages
from app.intake.package import write_package
from app.policy.districts import ensure_districts
from app.policy.idnumbers import make_id
from reviewdb import blobs, migrate
from reviewdb.engine import Store
from reviewdb.models import Base, FindingRow
from tests.integration.test_intake import files, jpeg, manifest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def ready(store: Store) -> Store:
    with store.write() as s:
        ensure_districts(s)
    return store


def _fresh(tmp_path: Path, name: str) -> Store:
    s = Store(f"sqlite:///{tmp_path / name}.db", tmp_path / f"{name}.blobs")
    migrate.upgrade(s)
    with s.write() as session:
        ensure_districts(session)
    return s


def _good(tmp_path: Path, n: int, *, cert: str | None = None) -> Path:
    m = manifest(
        f"BATCH-{n}",
        student=make_id("360102", dt.date(2019, 10, 1), 300 + 2 * n),
        guardians=(
            make_id("360102", dt.date(1988, 3, 1), 400 + 2 * n),
            make_id("360102", dt.date(1990, 6, 1), 500 + 2 * n),
        ),
        cert=cert or f"赣(2020)南昌市不动产权第{n:07d}号",
    )
    return write_package(tmp_path / f"good-{n}", m, files(), as_zip=False)


def _mixed(tmp_path: Path) -> list[Path]:
    """Good packages with, between them, one refused while read (schema), one refused inside
    the transaction after its student and application were written (a second submission
    for a case under review), one sharing another's property (a finding on both), and one
    the same as an earlier one of the batch ("already")."""
    schema = manifest("BATCH-BAD")
    del schema["student"]["id_number"]
    second = manifest(
        "BATCH-0-AGAIN",
        student=make_id("360102", dt.date(2019, 10, 1), 300),
        guardians=(
            make_id("360102", dt.date(1988, 3, 1), 400),
            make_id("360102", dt.date(1990, 6, 1), 500),
        ),
        cert="赣(2020)南昌市不动产权第0000000号",
    )
    other_bytes = files(**{"img/divorce.jpg": jpeg(color="purple")})
    paths_0 = _good(tmp_path, 0)
    return [
        paths_0,
        write_package(tmp_path / "schema", schema, files(), as_zip=False),
        _good(tmp_path, 1),
        write_package(tmp_path / "second", second, other_bytes, as_zip=False),
        _good(tmp_path, 2, cert="赣(2020)南昌市不动产权第0000001号"),  # package 1's property
        write_package(tmp_path / "good-0.zip", _manifest_of(paths_0), files(), as_zip=True),
        _good(tmp_path, 3),
    ]


def _manifest_of(folder: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return loaded


def _rows(store: Store, *, images: bool = True) -> dict[str, int]:
    """Rows per table; ``images=False`` leaves out the blob tables (PostgreSQL keeps a
    refused package's uploaded image as a row, SQLite as an orphan file)."""
    with store.read() as s:
        return {
            t.name: int(s.execute(select(func.count()).select_from(t)).scalar_one())
            for t in Base.metadata.sorted_tables
            if images or t.name not in ("blobs", "blob_chunks")
        }


def _findings(store: Store) -> list[tuple[str, str]]:
    with store.read() as s:
        rows = s.execute(
            select(FindingRow.code, FindingRow.message).order_by(FindingRow.code, FindingRow.id)
        ).all()
    return [(code, message) for code, message in rows]


def test_a_batch_gives_what_importing_one_at_a_time_gives(ready: Store, tmp_path: Path) -> None:
    paths = _mixed(tmp_path)
    one_by_one = _fresh(tmp_path, "sequential")
    try:
        expected = [
            import_package(one_by_one, p, actor=None, workstation="ws-test").line for p in paths
        ]
        got = [o.line for o in import_packages(ready, paths, actor=None, workstation="ws-test")]
        assert got == expected
        statuses = [line.split()[0] for line in got]
        assert statuses == [
            "imported",
            "rejected",
            "imported",
            "rejected",
            "imported",
            "already",
            "imported",
        ]
        assert "student.id_number: missing" in got[1]
        assert "not returned" in got[3]
        assert _rows(ready, images=False) == _rows(one_by_one, images=False)
        assert _findings(ready) == _findings(one_by_one)
        # Package 2 reuses package 1's property: both cases carry the finding (package 1's
        # was checked again inside the batch's transaction).
        reused = [m for code, m in _findings(ready) if code == "PROPERTY_REUSED"]
        assert len(reused) == 2, _findings(ready)
    finally:
        one_by_one.dispose()


def test_importing_a_batch_again_says_already_and_writes_nothing(
    ready: Store, tmp_path: Path
) -> None:
    paths = [_good(tmp_path, n) for n in range(5)]
    first = list(import_packages(ready, paths, actor=None, workstation="ws-test"))
    assert [o.status for o in first] == ["imported"] * 5
    before = _rows(ready)
    again = list(import_packages(ready, paths, actor=None, workstation="ws-test", batch_size=2))
    assert [o.line for o in again] == [f"already imported {o.case_no}" for o in first]
    assert _rows(ready) == before


def test_small_batches_give_the_same_store(sqlite_url: str, tmp_path: Path) -> None:
    paths = _mixed(tmp_path)
    stores = [_fresh(tmp_path, f"batch-{size}") for size in (1, 2, 50)]
    try:
        lines = [
            [o.line for o in import_packages(s, paths, actor=None, workstation="w", batch_size=n)]
            for s, n in zip(stores, (1, 2, 50), strict=True)
        ]
        assert lines[0] == lines[1] == lines[2]
        assert _rows(stores[0]) == _rows(stores[1]) == _rows(stores[2])
    finally:
        for s in stores:
            s.dispose()


def test_worker_processes_give_the_same_store(sqlite_url: str, tmp_path: Path) -> None:
    """Reading ahead and probing in other processes changes nothing but the speed."""
    paths = _mixed(tmp_path)
    inline, pooled = _fresh(tmp_path, "inline"), _fresh(tmp_path, "pooled")
    try:
        expected = [
            o.line
            for o in import_packages(inline, paths, actor=None, workstation="w", batch_size=3)
        ]
        got = [
            o.line
            for o in import_packages(
                pooled, paths, actor=None, workstation="w", batch_size=3, workers=2
            )
        ]
        assert got == expected
        assert _rows(pooled) == _rows(inline)
        assert _findings(pooled) == _findings(inline)
    finally:
        inline.dispose()
        pooled.dispose()


def test_a_batch_holds_a_bounded_number_of_bytes(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past BATCH_BYTES of files the batch is stored and a new one begins."""
    from app.intake import intake

    store = _fresh(tmp_path, "bounded")
    transactions: list[int] = []
    real = intake._store_batch

    def counting(store_: Store, ready: list[object], *args: object) -> object:
        transactions.append(len(ready))
        return real(store_, ready, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(intake, "_store_batch", counting)
    monkeypatch.setattr(intake, "BATCH_BYTES", 1)  # every package passes it alone
    try:
        paths = [_good(tmp_path, n) for n in range(3)]
        outcomes = list(import_packages(store, paths, actor=None, workstation="w"))
        assert [o.status for o in outcomes] == ["imported"] * 3
        assert transactions == [1, 1, 1]
    finally:
        store.dispose()


def test_each_attachment_is_hashed_once(
    ready: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package reader hashes each file; the blob store trusts that digest."""
    rehashed: list[int] = []
    real = blobs.sha256_hex

    def counting(data: bytes) -> str:
        rehashed.append(len(data))
        return real(data)

    monkeypatch.setattr(blobs, "sha256_hex", counting)
    out = import_package(ready, _good(tmp_path, 0), actor=None, workstation="ws-test")
    assert out.status == "imported", out.line
    if ready.is_sqlite:
        assert rehashed == []  # (PostgreSQL's upload digests its 1 MiB chunks to resume)
    # A caller that did not hash the bytes still has them checked.
    with pytest.raises(blobs.BlobError, match="does not match"):
        ready.blobs.put(b"other bytes", expected_sha256="0" * 64)


_KILLED_MID_BATCH = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from app.intake import intake
    from reviewdb.engine import Store

    real = intake._store_package
    calls = []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            os._exit(3)  # the power goes, mid-package, with two packages of the batch stored
        return real(*args, **kwargs)

    intake._store_package = dying
    store = Store(sys.argv[1], Path(sys.argv[2]))
    paths = [Path(p) for p in sys.argv[3:]]
    for outcome in intake.import_packages(store, paths, actor=None, workstation="ws-test"):
        print(outcome.line, flush=True)
    """
)


def test_a_kill_mid_batch_leaves_no_package_behind(sqlite_url: str, tmp_path: Path) -> None:
    store = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(store)
    with store.write() as s:
        ensure_districts(s)
    paths = [_good(tmp_path, n) for n in range(4)]
    before = _rows(store)
    store.dispose()
    run = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_BATCH, sqlite_url, str(tmp_path / "blobs")]
        + [str(p) for p in paths],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 3, run.stderr
    assert run.stdout == ""  # no line for a package that was not committed
    store = Store(sqlite_url, tmp_path / "blobs")
    try:
        assert _rows(store) == before  # nothing of the batch: no half package either
        outcomes = list(import_packages(store, paths, actor=None, workstation="ws-test"))
        assert [o.status for o in outcomes] == ["imported"] * 4
    finally:
        store.dispose()
