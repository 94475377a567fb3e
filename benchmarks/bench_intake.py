"""Intake speed: 1,000 packages imported, against copying the same bytes + the same rows raw.

The floor, measured in the same run: for each package, read its files and write them to
a directory (temp → fsync → rename, as the blob store does), then insert as many rows
as intake wrote for it with sqlite3 in one transaction (one commit per package, as the
floor always did: intake now commits packages in batches, each package atomic in a
savepoint of its own, and the floor was left as it was). Images come from the demo generator's pool at a small size, so the figure is
about intake's own work (validation, probing, checks, rows), not JPEG decoding of 12 MP.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from app.demo.generator import generate
from app.intake.intake import import_packages
from app.intake.package import write_package
from app.policy.districts import ensure_districts
from benchmarks.common import Result
from reviewdb import migrate
from reviewdb.engine import Store
from reviewdb.models import Base


def _row_count(store: Store) -> int:
    total = 0
    with store.read() as s:
        for table in Base.metadata.sorted_tables:
            total += int(s.execute(select(func.count()).select_from(table)).scalar_one())
    return total


def run(quick: bool) -> list[Result]:
    n = 100 if quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = []
        for pkg in generate(n, seed=5, image_pool=4, image_size=(800, 600)):
            paths.append(
                write_package(root / "pkgs" / pkg.name, pkg.manifest, pkg.files, as_zip=False)
            )
        store = Store(f"sqlite:///{root / 'intake.db'}", root / "blobs")
        migrate.upgrade(store)
        with store.write() as s:
            ensure_districts(s)
        before = _row_count(store)
        t0 = time.perf_counter()
        # What `reviewdesk import` runs for many packages (app.cli.intake).
        outcomes = list(import_packages(store, paths, actor=None, workstation="bench"))
        app_seconds = time.perf_counter() - t0
        imported = sum(o.status == "imported" for o in outcomes)
        rows_per_package = max(1, (_row_count(store) - before) // max(1, imported))
        store.dispose()

        con = sqlite3.connect(root / "floor.db", isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute(
            "CREATE TABLE rows (id INTEGER PRIMARY KEY, package TEXT, k INTEGER, body TEXT)"
        )
        out_dir = root / "floor-blobs"
        out_dir.mkdir()
        t0 = time.perf_counter()
        for i, p in enumerate(paths):
            for f in sorted(p.rglob("*")):
                if f.is_file():
                    data = f.read_bytes()
                    tmp_file = out_dir / f".tmp-{i}"
                    with open(tmp_file, "wb") as h:
                        h.write(data)
                        h.flush()
                        os.fsync(h.fileno())
                    os.replace(tmp_file, out_dir / f"{i}-{f.name}")
            con.execute("BEGIN IMMEDIATE")
            con.executemany(
                "INSERT INTO rows (package, k, body) VALUES (?, ?, ?)",
                [(p.name, k, "x" * 200) for k in range(rows_per_package)],
            )
            con.execute("COMMIT")
        floor_seconds = time.perf_counter() - t0
        con.close()
    return [
        Result(
            f"intake {n} packages (sqlite)",
            imported / app_seconds,
            "packages/s",
            n / floor_seconds,
            True,
            note=f"{imported} imported, {rows_per_package} rows each",
        )
    ]


if __name__ == "__main__":
    for r in run(quick=False):
        print(r.line())
