"""Issue 13 at the central PostgreSQL store, tried as the district logins themselves.

Each test imports real packages as the owner (intake), then connects as district logins
made with ``central_pg.create_login`` and replays what the adversarial test did: read
another district's images, send chunks of any name and size, plant a stray chunk, read a
family's certificate, owner, ID and address through a package naming it, rewrite another
district's student through a package carrying the child's ID, and continue another
district's returned case. Each attempt is refused cleanly or finds nothing. The migration
that keys students and properties by district is checked with data on both backends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError

from app.cli import main as cli_main
from app.intake.intake import ImportOutcome, import_package
from app.intake.package import MAX_FILE_BYTES, write_package
from app.policy.districts import ensure_districts
from app.policy.idnumbers import mask_id
from reviewdb import central_pg, migrate
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.blobs import CHUNK_BYTES, MAX_BLOB_BYTES, BlobError, PgBlobStore, sha256_hex
from reviewdb.central_pg import PgArbiter
from reviewdb.engine import Store, make_engine
from tests.app.intake.test_district_isolation_intake import (
    CERT,
    DONGHU,
    JINGKAI,
    QSH,
    QSH_MUM,
    donghu,
    images,
    other_district,
)
from tests.integration.test_intake import MOTHER, STUDENT

T = TypeVar("T")


@dataclass
class World:
    store: Store
    url: str
    tmp: Path
    logins: dict[str, str] = field(default_factory=dict)  # district -> login role
    engines: dict[str, Engine] = field(default_factory=dict)  # district -> its login's engine

    def imp(self, m: dict[str, Any], shade: int, **override: bytes) -> ImportOutcome:
        files = {**images(shade), **override}
        path = write_package(self.tmp / str(m["submission_id"]), m, files, as_zip=False)
        out = import_package(self.store, path, actor=None, workstation="ws-owner")
        assert out.status == "imported", out.line
        return out

    def rows(self, district: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.engines[district].connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]

    def owner_rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]

    def call(self, district: str, fn: Callable[[PgArbiter], T]) -> T:
        with self.engines[district].begin() as conn:
            return fn(PgArbiter(conn))

    def refused(self, district: str, fn: Callable[[PgArbiter], Any]) -> ArbiterRefusal:
        with pytest.raises(ArbiterRefusal) as info:
            self.call(district, fn)
        return info.value

    def shas(self, case_id: str | None) -> list[str]:
        rows = self.owner_rows(
            "SELECT DISTINCT a.sha256 FROM attachments a JOIN case_rounds r ON r.id = a.round_id "
            "WHERE r.case_id = :c ORDER BY 1",
            c=case_id,
        )
        return [r[0] for r in rows]


@pytest.fixture
def world(pg_url: str, tmp_path: Path) -> Iterator[World]:
    store = Store(pg_url, tmp_path / "blobs")
    migrate.upgrade(store)
    with store.write() as s:
        ensure_districts(s)
    central_pg.install(store.engine)
    w = World(store=store, url=pg_url, tmp=tmp_path)
    try:
        for district in (DONGHU, QSH, JINGKAI):
            login = f"rdl_{uuid.uuid4().hex[:12]}"
            central_pg.create_login(store.engine, login, [district])
            w.logins[district] = login
            w.engines[district] = make_engine(make_url(pg_url).set(username=login))
        yield w
    finally:
        for engine in w.engines.values():
            engine.dispose()
        for login in w.logins.values():
            central_pg.drop_login(store.engine, login)
        central_pg.uninstall(store.engine)
        store.dispose()


def _not_present(w: World, sha: str) -> None:
    """As if the image had not been uploaded yet: its row says absent, no chunks."""
    with w.store.engine.begin() as conn:
        conn.execute(text("UPDATE blobs SET present = false WHERE sha256 = :s"), {"s": sha})
        conn.execute(text("DELETE FROM blob_chunks WHERE sha256 = :s"), {"s": sha})


# -- images ---------------------------------------------------------------------------


def test_a_login_reads_only_its_own_districts_images(world: World) -> None:
    dh = world.imp(donghu(), 0)
    qsh = world.imp(other_district("QSH-1", "青山湖区"), 1)
    dh_shas, qsh_shas = world.shas(dh.case_id), world.shas(qsh.case_id)
    assert len(dh_shas) == 4 and not set(dh_shas) & set(qsh_shas)
    total = world.owner_rows("SELECT count(*) FROM blob_chunks")[0][0]
    assert total == 8  # every image one chunk, all readable by the owner
    for district, mine in ((DONGHU, dh_shas), (QSH, qsh_shas), (JINGKAI, [])):
        chunks = world.rows(district, "SELECT DISTINCT sha256 FROM blob_chunks ORDER BY 1")
        blobs = world.rows(district, "SELECT sha256 FROM blobs ORDER BY 1")
        assert [r[0] for r in chunks] == mine, district
        assert [r[0] for r in blobs] == mine, district
    # The download path of a workstation: its own image verifies, another's is not there.
    own = PgBlobStore(world.engines[DONGHU])
    assert sha256_hex(own.get(dh_shas[0])) == dh_shas[0]
    assert not own.has(qsh_shas[0])
    with pytest.raises(BlobError, match="not in the central store for this computer"):
        own.get(qsh_shas[0])
    assert world.rows(QSH, "SELECT count(*) FROM blob_chunks WHERE sha256 = :s", s=dh_shas[0]) == [
        (0,)
    ]


def test_chunks_only_for_an_attachment_of_ones_own_district_and_its_exact_layout(
    world: World,
) -> None:
    big = b"\xff\xd8" + os.urandom(2 * CHUNK_BYTES + 1000)  # 3 chunks; an unreadable "photo"
    dh = world.imp(donghu(), 0, **{"img/judgment.jpg": big})
    sha = sha256_hex(big)
    assert sha in world.shas(dh.case_id)
    _not_present(world, sha)
    parts = [big[i : i + CHUNK_BYTES] for i in range(0, len(big), CHUNK_BYTES)]
    assert [len(p) for p in parts] == [CHUNK_BYTES, CHUNK_BYTES, 1002]

    # Another district's login: not its image, whatever it sends.
    for attempt in (
        lambda a: a.put_blob_chunk(sha, 0, parts[0]),
        lambda a: a.complete_blob(sha, len(big), "image/jpeg"),
        lambda a: a.put_blob_chunk(hashlib.sha256(b"anything").hexdigest(), 0, b"x"),
    ):
        assert world.refused(QSH, attempt).code == "not_in_district"
    # Oversized chunks are refused before anything else (the old limit was 16 MiB).
    huge = world.refused(QSH, lambda a: a.put_blob_chunk(sha, 0, b"\0" * (CHUNK_BYTES + 1)))
    assert huge.code == "invalid"
    assert world.refused(DONGHU, lambda a: a.put_blob_chunk(sha, 32, b"x")).code == "invalid"
    # Its own district: only the chunks the attachment's size calls for, byte for byte.
    short = world.refused(DONGHU, lambda a: a.put_blob_chunk(sha, 0, parts[0][:-1]))
    assert short.code == "invalid" and str(CHUNK_BYTES) in str(short)
    assert world.refused(DONGHU, lambda a: a.put_blob_chunk(sha, 2, parts[2] + b"x")).code == (
        "invalid"
    )
    past = world.refused(DONGHU, lambda a: a.put_blob_chunk(sha, 3, b"x"))
    assert past.code == "invalid" and "no chunk 3" in str(past)
    assert world.owner_rows("SELECT count(*) FROM blob_chunks WHERE sha256 = :s", s=sha) == [(0,)]

    world.call(DONGHU, lambda a: a.put_blob_chunk(sha, 0, parts[0]))
    world.call(DONGHU, lambda a: a.put_blob_chunk(sha, 1, parts[1]))
    assert world.call(DONGHU, lambda a: a.complete_blob(sha, len(big), "image/jpeg")) is False
    world.call(DONGHU, lambda a: a.put_blob_chunk(sha, 2, parts[2]))
    # Not the attachment's size: not complete.
    assert world.call(DONGHU, lambda a: a.complete_blob(sha, len(big) - 1, "image/jpeg")) is False
    assert world.call(DONGHU, lambda a: a.complete_blob(sha, len(big), "image/jpeg")) is True
    assert PgBlobStore(world.store.engine).get(sha) == big
    # Verified, immutable: a late chunk changes nothing.
    world.call(DONGHU, lambda a: a.put_blob_chunk(sha, 1, b"\0" * CHUNK_BYTES))
    assert PgBlobStore(world.engines[DONGHU]).get(sha) == big
    assert world.owner_rows(
        "SELECT count(*), sum(length(data)) FROM blob_chunks WHERE sha256 = :s", s=sha
    ) == [(3, len(big))]


def test_what_one_blob_may_hold_is_bounded(world: World) -> None:
    """At most 32 chunks of 1 MiB: above the largest attachment a package may hold."""
    assert central_pg.MAX_CHUNK_BYTES == CHUNK_BYTES
    assert MAX_BLOB_BYTES == 32 * CHUNK_BYTES >= MAX_FILE_BYTES
    sha = hashlib.sha256(b"owner upload").hexdigest()
    with world.store.engine.begin() as conn:  # even the owner's calls are bounded
        owner = PgArbiter(conn)
        owner.put_blob_chunk(sha, 31, b"x")
        with pytest.raises(ArbiterRefusal) as info:
            owner.put_blob_chunk(sha, 32, b"x")
        assert info.value.code == "invalid"
    with pytest.raises(BlobError, match="more than the central store takes"):
        PgBlobStore(world.store.engine).put(b"\0" * (MAX_BLOB_BYTES + 1))


def test_a_stray_chunk_never_blocks_an_upload_or_an_import(world: World) -> None:
    # Strays left by earlier versions (any name, any index, up to 16 MiB) for the very
    # images the next package holds: one past the end, one of the wrong length.
    files = images(0)
    shas = [sha256_hex(d) for d in files.values()]
    with world.store.engine.begin() as conn:
        for sha in shas:
            conn.execute(
                text("INSERT INTO blob_chunks (sha256, idx, data) VALUES (:s, 5, :d), (:s, 0, :e)"),
                {"s": sha, "d": b"\0" * 1000, "e": b"junk"},
            )
    dh = world.imp(donghu(), 0)
    assert dh.status == "imported"
    for sha, data in zip(shas, files.values(), strict=True):
        assert PgBlobStore(world.engines[DONGHU]).get(sha) == data
        # Completion dropped the stray past the end; the junk chunk was overwritten.
        assert world.owner_rows(
            "SELECT idx, length(data) FROM blob_chunks WHERE sha256 = :s", s=sha
        ) == [(0, len(data))]


def test_an_image_the_store_refuses_is_a_clear_rejection_not_a_traceback(world: World) -> None:
    """A district login may not write images: importing with it is refused in one line."""
    as_login = Store(world.url.replace("postgres@", f"{world.logins[DONGHU]}@"))
    try:
        path = write_package(world.tmp / "as-login", donghu(), images(0), as_zip=False)
        out = import_package(as_login, path, actor=None, workstation="ws")
    finally:
        as_login.dispose()
    assert out.status == "rejected", out.line
    assert "may not write images" in (out.reason or "") and "owner" in (out.reason or "")
    assert "Traceback" not in out.line
    assert world.owner_rows("SELECT count(*) FROM cases") == [(0,)]


# -- clean-up ---------------------------------------------------------------------------


def test_gc_chunks_drops_what_nothing_needs(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    dh = world.imp(donghu(), 0)
    shas = world.shas(dh.case_id)
    kept_sha, stale_sha, pending_sha = shas[0], shas[1], shas[2]
    _not_present(world, stale_sha)
    _not_present(world, pending_sha)
    orphan_old = hashlib.sha256(b"orphan old").hexdigest()
    orphan_new = hashlib.sha256(b"orphan new").hexdigest()
    old, week = dt.timedelta(hours=2), dt.timedelta(days=8)
    with world.store.engine.begin() as conn:
        put = text(
            "INSERT INTO blob_chunks (sha256, idx, data, received_at) "
            "VALUES (:s, :i, :d, clock_timestamp() - CAST(:age AS interval))"
        )
        conn.execute(put, {"s": kept_sha, "i": 9, "d": b"past the end", "age": "0 s"})
        conn.execute(put, {"s": stale_sha, "i": 0, "d": b"a", "age": f"{week.days} days"})
        conn.execute(put, {"s": pending_sha, "i": 0, "d": b"b", "age": "1 hour"})
        conn.execute(put, {"s": orphan_old, "i": 0, "d": b"cc", "age": f"{old.seconds} s"})
        conn.execute(put, {"s": orphan_old, "i": 1, "d": b"dd", "age": "3 hours"})
        conn.execute(put, {"s": orphan_new, "i": 0, "d": b"ee", "age": "1 minute"})
    before = dict(world.owner_rows("SELECT sha256, count(*) FROM blob_chunks GROUP BY 1"))

    assert cli_main(["central", "gc-chunks", world.url]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("dropped image chunks: "), line
    assert "1 past the end of a verified image (1 images)" in line
    assert "2 of uploads no case has (1 images)" in line
    assert "1 of uploads untouched for 7 days (1 images)" in line

    after = dict(world.owner_rows("SELECT sha256, count(*) FROM blob_chunks GROUP BY 1"))
    assert after[kept_sha] == before[kept_sha] - 1  # its own chunk stays: it is the image
    assert stale_sha not in after and orphan_old not in after
    assert after[pending_sha] == 1 and after[orphan_new] == 1  # uploads still under way
    assert sha256_hex(PgBlobStore(world.store.engine).get(kept_sha)) == kept_sha
    # Again: nothing left to do.
    assert cli_main(["central", "gc-chunks", world.url]) == 0
    assert capsys.readouterr().out.strip() == "no stray image chunks: nothing to clean"
    # A district login may not run it.
    login_url = world.url.replace("postgres@", f"{world.logins[DONGHU]}@")
    assert cli_main(["central", "gc-chunks", login_url]) == 1
    err = capsys.readouterr().err
    assert "only the central store's owner may clean up image chunks" in err, err
    assert "Traceback" not in err


# -- shared rows ------------------------------------------------------------------------


def test_a_package_naming_another_districts_certificate_reveals_nothing(world: World) -> None:
    dh = world.imp(donghu(), 0)
    qsh = world.imp(other_district("QSH-1", "青山湖区"), 1)
    rows = world.rows(QSH, "SELECT owner_name, owner_id_number, address FROM properties")
    assert rows == [("钱二", QSH_MUM, "青山湖区某路8号")]
    assert world.rows(
        QSH, "SELECT count(*) FROM properties WHERE owner_id_number = :m", m=MOTHER
    ) == [(0,)]
    assert world.rows(QSH, "SELECT DISTINCT case_id FROM property_uses") == [(qsh.case_id,)]
    # Its findings say the certificate is used elsewhere, and nothing about whom.
    messages = [
        r[0] for r in world.rows(QSH, "SELECT message FROM findings WHERE code = 'PROPERTY_REUSED'")
    ]
    assert len(messages) == 1 and "该证号在另一区县 2026 年的案件中使用" in messages[0]
    every = "\n".join(r[0] for r in world.rows(QSH, "SELECT message FROM findings"))
    for secret in ("李美丽", "王大明", "东湖区豫章路1号2栋301", dh.case_no or "?"):
        assert secret not in every, secret
    assert MOTHER not in every and mask_id(MOTHER) not in every
    # 东湖区 still sees its own certificate as its package stated it.
    assert world.rows(DONGHU, "SELECT owner_name, address FROM properties") == [
        ("李美丽", "东湖区豫章路1号2栋301")
    ]
    assert world.rows(DONGHU, "SELECT cert_number FROM properties") == [(CERT,)]


def test_a_package_with_another_districts_child_rewrites_nothing_of_theirs(world: World) -> None:
    dh = world.imp(donghu(), 0)
    before = world.rows(
        DONGHU,
        "SELECT s.id, s.name, s.hukou_address, a.residence_basis FROM students s "
        "JOIN applications a ON a.student_id = s.id",
    )
    assert [r[1:] for r in before] == [("王小明", None, "父母房产")]
    qsh = world.imp(other_district("QSH-1", "青山湖区", student=STUDENT), 1)
    after = world.rows(
        DONGHU,
        "SELECT s.id, s.name, s.hukou_address, a.residence_basis FROM students s "
        "JOIN applications a ON a.student_id = s.id",
    )
    assert after == before
    theirs = world.rows(
        QSH,
        "SELECT s.id, s.name, s.hukou_address, a.residence_basis FROM students s "
        "JOIN applications a ON a.student_id = s.id",
    )
    assert [r[1:] for r in theirs] == [("赵小六", "南昌市青山湖区某街道1号", "租房")]
    assert theirs[0][0] != before[0][0]
    assert world.rows(QSH, "SELECT id FROM cases") == [(qsh.case_id,)]
    assert world.rows(DONGHU, "SELECT id FROM cases") == [(dh.case_id,)]
    # The case list's copy of the name is each district's own.
    assert world.owner_rows(
        "SELECT district_code, student_name FROM cases ORDER BY district_code"
    ) == [(DONGHU, "王小明"), (QSH, "赵小六")]


def test_a_returned_case_is_continued_only_from_its_own_district(world: World) -> None:
    dh = world.imp(donghu("DH-1"), 0)
    with world.store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET status = 'returned' WHERE id = :c"), {"c": dh.case_id})
    school = world.owner_rows("SELECT school_id FROM cases WHERE id = :c", c=dh.case_id)
    jk = world.imp(other_district("JK-1", "经开区", student=STUDENT), 2)
    assert jk.case_id != dh.case_id and jk.round_no == 1
    assert world.rows(DONGHU, "SELECT status, current_round, school_id FROM cases") == [
        ("returned", 1, school[0][0])
    ]
    assert world.rows(DONGHU, "SELECT count(*) FROM case_rounds") == [(1,)]
    assert world.rows(JINGKAI, "SELECT id, status, current_round FROM cases") == [
        (jk.case_id, "pending", 1)
    ]


# -- the migration, with data, on both backends -------------------------------------------


def _old_rows(store: Store, cases: list[tuple[str, str, str]]) -> None:
    """At revision 0006: one student with one application whose cases are ``cases``
    (case id, district, submitted_at), all using one certificate; an unused certificate;
    a chunk."""
    with store.write() as s:
        ensure_districts(s)
    with store.engine.begin() as conn:
        x = conn.execute
        x(
            text(
                "INSERT INTO schools (id, district_code, name) VALUES (1, '360102', 'a'), "
                "(2, '360111', 'b')"
            )
        )
        x(
            text(
                "INSERT INTO students (id, id_number, name, hukou_address) VALUES "
                "('s1', :n, '王小明', '东湖区'), ('s2', 'OTHER', '无案件', NULL)"
            ),
            {"n": STUDENT},
        )
        x(
            text(
                "INSERT INTO applications (id, student_id, city, admission_year, stage, "
                "residence_basis) VALUES ('a1', 's1', '南昌市', 2026, 'primary', '父母房产')"
            )
        )
        x(
            text(
                "INSERT INTO properties (id, cert_type, cert_number, nature, owner_name, "
                "owner_id_number, address, non_direct_co_owner) VALUES "
                "(1, '不动产权证', :c, '住宅', '李美丽', :m, '东湖区豫章路1号', false), "
                "(2, '不动产权证', 'UNUSED', '住宅', '无人', NULL, '无', false)"
            ),
            {"c": CERT, "m": MOTHER},
        )
        for n, (case_id, district, when) in enumerate(cases):
            x(
                text(
                    "INSERT INTO cases (id, case_no, application_id, kind, district_code, "
                    "school_id, status, current_round, submitted_at, student_name, "
                    "student_id_number, worst_severity, finding_count, updated_at) VALUES "
                    "(:id, :no, 'a1', 'guardianship', :d, :school, 'pending', 1, :t, '王小明', "
                    ":n, 0, 0, :t)"
                ),
                {
                    "id": case_id,
                    "no": f"C{n}",
                    "d": district,
                    "t": when,
                    "n": STUDENT,
                    "school": 1 if district == DONGHU else 2,
                },
            )
            x(
                text(
                    "INSERT INTO case_rounds (id, case_id, round_no, submission_id, "
                    "content_hash, submitted_at, imported_at, manifest) VALUES "
                    "(:r, :c, 1, :sub, 'h', :t, :t, '{}')"
                ),
                {"r": f"r-{case_id}", "c": case_id, "sub": f"sub-{case_id}", "t": when},
            )
            x(
                text(
                    "INSERT INTO property_uses (property_id, round_id, case_id, admission_year, "
                    "student_id_number, guardian_id_numbers) VALUES (1, :r, :c, 2026, :n, '')"
                ),
                {"r": f"r-{case_id}", "c": case_id, "n": STUDENT},
            )
        x(
            text("INSERT INTO blob_chunks (sha256, idx, data) VALUES (:s, 0, :d)"),
            {"s": "ab" * 32, "d": b"x"},
        )


def _facts(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:

        def q(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in conn.execute(text(sql))]

        return {
            "cases": q(
                "SELECT c.id, c.district_code, a.id, s.id, s.district_code, s.name "
                "FROM cases c JOIN applications a ON a.id = c.application_id "
                "JOIN students s ON s.id = a.student_id ORDER BY c.id"
            ),
            "uses": q(
                "SELECT pu.case_id, p.id, p.district_code, p.owner_name FROM property_uses pu "
                "JOIN properties p ON p.id = pu.property_id ORDER BY pu.case_id"
            ),
            "students": q("SELECT id, id_number FROM students ORDER BY id_number, id"),
            "properties": q("SELECT cert_number FROM properties ORDER BY cert_number, id"),
        }


def test_the_migration_keys_existing_rows_by_district_and_back(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url, tmp_path / "blobs")
    migrate.upgrade(store, "0006")
    early, late = "2026-06-01 08:00:00+00:00", "2026-06-02 08:00:00+00:00"
    _old_rows(store, [("c-dh", DONGHU, early), ("c-qsh", QSH, late)])
    migrate.upgrade(store)
    got = _facts(store)
    (dh, qsh) = got["cases"]
    # Each district's case reaches its own application and its own student row.
    assert dh[1] == dh[4] == DONGHU and qsh[1] == qsh[4] == QSH
    assert dh[2] != qsh[2] and dh[3] != qsh[3] and dh[5] == qsh[5] == "王小明"
    assert got["students"] == sorted(
        [("s2", "OTHER"), (dh[3], STUDENT), (qsh[3], STUDENT)], key=lambda r: (r[1], r[0])
    )
    # The certificate: 东湖区 (first use) keeps row 1, 青山湖区 has a copy; the unused one went.
    assert got["uses"][0] == ("c-dh", 1, DONGHU, "李美丽")
    assert got["uses"][1][0] == "c-qsh" and got["uses"][1][1] != 1
    assert got["uses"][1][2:] == (QSH, "李美丽")
    assert got["properties"] == [(CERT,), (CERT,)]
    with store.engine.connect() as conn:
        received = conn.execute(text("SELECT received_at FROM blob_chunks")).scalar_one()
        assert received is not None

    # A store holding only 青山湖区's case names its rows the same (a workstation's copy).
    other = Store(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path / "ws-blobs")
    migrate.upgrade(other, "0006")
    _old_rows(other, [("c-qsh", QSH, late)])
    migrate.upgrade(other)
    assert _facts(other)["cases"] == [qsh]
    other.dispose()

    migrate.downgrade(store, "0006")
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.id, a.id, s.id FROM cases c JOIN applications a "
                "ON a.id = c.application_id JOIN students s ON s.id = a.student_id ORDER BY c.id"
            )
        ).all()
        assert len(rows) == 2 and rows[0][1:] == rows[1][1:]  # one application, one student
        assert conn.execute(text("SELECT count(*) FROM students")).scalar_one() == 2
        assert conn.execute(text("SELECT count(*) FROM applications")).scalar_one() == 1
        uses = conn.execute(text("SELECT DISTINCT property_id FROM property_uses")).all()
        assert uses == [(1,)]
        assert conn.execute(text("SELECT count(*) FROM properties")).scalar_one() == 1
    migrate.upgrade(store)
    again = _facts(store)["cases"]
    assert [(c[1], c[4]) for c in again] == [(DONGHU, DONGHU), (QSH, QSH)]
    assert again[0][2] != again[1][2] and again[0][3] != again[1][3]
    store.dispose()


def test_sqlite_and_postgresql_unique_keys_allow_one_row_per_district(
    db_url: str, tmp_path: Path
) -> None:
    """The unique keys are per district: a second district may hold the same child and
    certificate, the same district may not."""
    store = Store(db_url, tmp_path / "blobs")
    migrate.upgrade(store)
    with store.write() as s:
        ensure_districts(s)
    insert = "INSERT INTO students (id, district_code, id_number, name) VALUES (:i, :d, :n, 'x')"
    with store.engine.begin() as conn:
        conn.execute(text(insert), {"i": "1", "d": DONGHU, "n": STUDENT})
        conn.execute(text(insert), {"i": "2", "d": QSH, "n": STUDENT})
    with pytest.raises(DBAPIError), store.engine.begin() as conn:
        conn.execute(text(insert), {"i": "3", "d": DONGHU, "n": STUDENT})
    store.dispose()


def test_the_migration_carries_a_real_store_over(tmp_path: Path) -> None:
    """The release-0003 fixture store (demo cases, images, decisions): after the upgrade every
    case still reaches its application and student, now of its own district, every property
    use a property of its case's district; and back down and up again."""
    from tests.fixture_store import FIXTURE

    db = tmp_path / "store.db"
    db.write_bytes(FIXTURE.read_bytes())
    store = Store(f"sqlite:///{db}", tmp_path / "blobs")

    def census() -> dict[str, Any]:
        with store.engine.connect() as conn:

            def one(sql: str) -> Any:
                return conn.execute(text(sql)).scalar_one()

            return {
                "cases": one("SELECT count(*) FROM cases"),
                "reached": one(
                    "SELECT count(*) FROM cases c JOIN applications a ON a.id = c.application_id "
                    "JOIN students s ON s.id = a.student_id"
                ),
                "uses": one(
                    "SELECT count(*) FROM property_uses pu "
                    "JOIN properties p ON p.id = pu.property_id JOIN cases c ON c.id = pu.case_id"
                ),
                "names": one(
                    "SELECT count(*) FROM cases c JOIN applications a ON a.id = c.application_id "
                    "JOIN students s ON s.id = a.student_id WHERE s.id_number = c.student_id_number"
                ),
            }

    before = census()
    assert before["cases"] > 0 and before["reached"] == before["cases"]
    migrate.upgrade(store)
    assert census() == before
    with store.engine.connect() as conn:
        wrong = conn.execute(
            text(
                "SELECT count(*) FROM cases c JOIN applications a ON a.id = c.application_id "
                "JOIN students s ON s.id = a.student_id "
                "WHERE s.district_code IS NOT c.district_code"
            )
        ).scalar_one()
        assert wrong == 0
        wrong = conn.execute(
            text(
                "SELECT count(*) FROM property_uses pu JOIN properties p ON p.id = pu.property_id "
                "JOIN cases c ON c.id = pu.case_id WHERE p.district_code <> c.district_code"
            )
        ).scalar_one()
        assert wrong == 0
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    migrate.downgrade(store, "0006")
    assert census() == before
    migrate.upgrade(store)
    assert census() == before
    store.dispose()
