"""Uploads to the central store's PostgreSQL blobs: one transaction per chunk, the check
done by PostgreSQL (no image bytes come back), resumes that send only what is missing."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from reviewdb import migrate
from reviewdb.blobs import CHUNK_BYTES, BlobError, PgBlobStore, sha256_hex
from reviewdb.engine import Store


@pytest.fixture
def central(pg_url: str, tmp_path: Path) -> Iterator[Store]:
    store = Store(pg_url, tmp_path / "b")
    migrate.upgrade(store)
    yield store
    store.dispose()


class _Wire:
    """What an upload sends: statements, commits, and how many bytes come back."""

    def __init__(self, engine: Any) -> None:
        self.statements: list[str] = []
        self.commits = 0
        self.bytes_back = 0
        event.listen(engine, "before_cursor_execute", self._stmt)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "after_cursor_execute", self._after)

    def _stmt(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    def _commit(self, conn: Any) -> None:
        self.commits += 1

    def _after(self, conn: Any, cursor: Any, *args: Any) -> None:
        pgresult = getattr(cursor, "pgresult", None)
        if pgresult is not None:
            for row in range(pgresult.ntuples):
                for col in range(pgresult.nfields):
                    value = pgresult.get_value(row, col)
                    self.bytes_back += len(value or b"")

    def inserts(self) -> int:
        return sum(s.startswith("INSERT INTO blob_chunks") for s in self.statements)


def _chunks(central: Store, sha: str) -> list[bytes]:
    with central.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT data FROM blob_chunks WHERE sha256 = :s ORDER BY idx"), {"s": sha}
        ).all()
    return [bytes(r[0]) for r in rows]


def test_an_upload_is_one_transaction_per_chunk_and_nothing_comes_back(central: Store) -> None:
    blobs = central.blobs
    assert isinstance(blobs, PgBlobStore)
    data = random.Random(1).randbytes(3 * CHUNK_BYTES + 99)
    wire = _Wire(central.engine)
    sha = blobs.put(data, media_type="image/jpeg")
    assert sha == sha256_hex(data)
    # Four chunks, four commits: the probe rides with the first, the check with the last.
    assert (wire.inserts(), wire.commits) == (4, 4)
    assert wire.bytes_back < 1000  # PostgreSQL hashed the chunks; they were not read back
    assert b"".join(_chunks(central, sha)) == data
    assert blobs.has(sha) and blobs.get(sha) == data
    # Again: present, one probe and nothing sent.
    wire.statements.clear()
    assert blobs.put(data) == sha
    assert wire.inserts() == 0 and len(wire.statements) == 1


def test_a_one_chunk_image_is_one_transaction(central: Store) -> None:
    blobs = central.blobs
    assert isinstance(blobs, PgBlobStore)
    wire = _Wire(central.engine)
    for size in (1, 1000, CHUNK_BYTES):
        data = random.Random(size).randbytes(size)
        wire.commits = 0
        sha = blobs.put(data, media_type="image/png")
        assert wire.commits == 1 and blobs.get(sha) == data
    wire.commits = 0
    empty = blobs.put(b"")
    assert wire.commits == 1 and blobs.get(empty) == b""


def test_a_resumed_upload_sends_only_the_missing_and_the_wrong_chunks(central: Store) -> None:
    blobs = central.blobs
    assert isinstance(blobs, PgBlobStore)
    data = random.Random(2).randbytes(4 * CHUNK_BYTES + 5)
    sha = sha256_hex(data)
    pieces = [data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)]
    for idx in (0, 1, 3):  # an interrupted upload: chunk 2 and 4 never arrived
        blobs.put_chunk(sha, idx, pieces[idx])
    # Chunk 1 arrived with the right length and the wrong bytes.
    blobs.put_chunk(sha, 1, bytes([pieces[1][0] ^ 1]) + pieces[1][1:])
    assert not blobs.complete(sha, len(data), "image/jpeg")
    assert not blobs.has(sha)
    wire = _Wire(central.engine)
    assert blobs.put(data, media_type="image/jpeg") == sha
    sent = [s for s in wire.statements if s.startswith("INSERT INTO blob_chunks")]
    assert len(sent) == 3 and wire.commits == 3
    assert blobs.has(sha) and b"".join(_chunks(central, sha)) == data


def test_a_chunk_corrupted_at_the_store_is_never_present(central: Store) -> None:
    blobs = central.blobs
    assert isinstance(blobs, PgBlobStore)
    data = random.Random(3).randbytes(2 * CHUNK_BYTES + 7)
    sha = sha256_hex(data)
    pieces = [data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)]
    for idx, piece in enumerate(pieces):
        blobs.put_chunk(sha, idx, piece)
    with central.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE blob_chunks SET data = set_byte(data, 5, 255 - get_byte(data, 5)) "
                "WHERE sha256 = :s AND idx = 2"
            ),
            {"s": sha},
        )
    assert not blobs.complete(sha, len(data), "image/jpeg")
    assert not blobs.complete(sha, len(data) - 1, "image/jpeg")
    assert not blobs.has(sha)
    with pytest.raises(BlobError):
        blobs.get(sha)
    # A stray past the end does not block the repair, and is dropped by it.
    blobs.put_chunk(sha, 7, b"stray")
    assert blobs.put(data) == sha
    assert b"".join(_chunks(central, sha)) == data
    assert blobs.chunk_sizes(sha) == {0: CHUNK_BYTES, 1: CHUNK_BYTES, 2: 7}
