"""Content-addressed blob storage: files at ``ab/cd/<sha256>``, written temp → fsync → rename."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import text

from reviewdb.errors import EnvironmentProblem


class BlobError(EnvironmentProblem):
    """A blob could not be stored or read, with the reason."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Immutable files named by their sha256 under one directory.

    A file is only ever visible under its final name once its bytes are on disk and
    match the name: writers go through a temporary file, fsync it, and rename it into
    place, then fsync the directory so the rename itself survives a power cut.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise BlobError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, data: bytes, expected_sha256: str | None = None, *, hashed: bool = False) -> str:
        """Store bytes; return their sha256. Already-present blobs are not rewritten.

        ``hashed``: the caller computed ``expected_sha256`` from these very bytes a moment
        ago (intake hashes each file once, as it reads it), so it is not computed again.
        """
        digest = _digest(data, expected_sha256, hashed)
        if expected_sha256 is not None and expected_sha256 != digest:
            raise BlobError(
                f"content does not match its hash: expected {expected_sha256}, got {digest}"
            )
        final = self.path_for(digest)
        if final.is_file():
            return digest
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, final)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(final.parent)
        return digest

    def get(self, sha256: str) -> bytes:
        try:
            return self.path_for(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobError(f"image {sha256[:12]}… is not on this computer yet") from exc

    def verify(self, sha256: str) -> bool:
        """True when the stored file's content still hashes to its name."""
        try:
            return sha256_hex(self.path_for(sha256).read_bytes()) == sha256
        except FileNotFoundError:
            return False


def _digest(data: bytes, expected_sha256: str | None, hashed: bool) -> str:
    if hashed and expected_sha256 is not None:
        return expected_sha256
    return sha256_hex(data)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


CHUNK_BYTES = 1024 * 1024
#: The most chunks one blob may have at the central store (rd_put_blob_chunk refuses more),
#: so the largest image it takes: above the largest attachment a package may hold
#: (app.intake.package.MAX_FILE_BYTES, 30 MiB).
MAX_BLOB_CHUNKS = 32
MAX_BLOB_BYTES = MAX_BLOB_CHUNKS * CHUNK_BYTES


def chunk_count(size: int) -> int:
    """How many chunks a blob of ``size`` bytes has: chunk i is bytes [i, i + 1) MiB."""
    return -(-size // CHUNK_BYTES)


# One advisory lock per blob, the same key the rd_* blob functions take (blobs.sql).
_BLOB_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('rd_blob:' || :s, 0))"
# Whether a blob is present and, when it is not, the digest of each chunk that arrived: one
# row with NULLs when none did.
_PROBE = (
    "SELECT coalesce(b.present, false), c.idx, encode(sha256(c.data), 'hex') "
    "FROM (SELECT CAST(:s AS text) AS sha256) q "
    "LEFT JOIN blobs b ON b.sha256 = q.sha256 "
    "LEFT JOIN blob_chunks c ON c.sha256 = q.sha256 AND NOT coalesce(b.present, false)"
)
_PUT_CHUNK = (
    "INSERT INTO blob_chunks (sha256, idx, data, received_at) "
    "VALUES (:s, :i, :d, clock_timestamp()) "
    "ON CONFLICT (sha256, idx) DO UPDATE SET data = EXCLUDED.data, "
    "received_at = EXCLUDED.received_at"
)


def _piece(data: bytes, idx: int) -> bytes:
    return data[idx * CHUNK_BYTES : (idx + 1) * CHUNK_BYTES]


class PgBlobStore:
    """Blobs inside a PostgreSQL store as 1 MiB chunks (``blob_chunks``).

    Chunk i holds bytes [i, i + 1) MiB of the blob (the layout ``rd_put_blob_chunk`` also
    enforces). Uploads resume by sending every chunk that is missing or whose digest
    differs; a blob is *present* only after the concatenation of its chunks hashed to its
    name. A chunk past the blob's end (a stray) is ignored and dropped on completion, so
    it never blocks an upload. Downloads are verified the same way. The same interface as
    :class:`BlobStore` (put/get/has/verify).
    """

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.root = None

    def has(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return bool(
                conn.execute(
                    text("SELECT present FROM blobs WHERE sha256 = :s"), {"s": sha256}
                ).scalar()
            )

    def chunk_sizes(self, sha256: str) -> dict[int, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT idx, length(data) FROM blob_chunks WHERE sha256 = :s"), {"s": sha256}
            ).all()
        return {int(i): int(n) for i, n in rows}

    def chunk_digests(self, sha256: str) -> dict[int, str]:
        """The sha256 of each chunk that has arrived, by index (PostgreSQL computes them)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT idx, encode(sha256(data), 'hex') FROM blob_chunks WHERE sha256 = :s"),
                {"s": sha256},
            ).all()
        return {int(i): str(d) for i, d in rows}

    def put(
        self,
        data: bytes,
        expected_sha256: str | None = None,
        media_type: str = "application/octet-stream",
        *,
        hashed: bool = False,
    ) -> str:
        """Store bytes as chunks and mark the blob present; ``hashed`` as for
        :meth:`BlobStore.put` (the server still verifies the joined chunks)."""
        digest = _digest(data, expected_sha256, hashed)
        if expected_sha256 is not None and expected_sha256 != digest:
            raise BlobError(
                f"content does not match its hash: expected {expected_sha256}, got {digest}"
            )
        if len(data) > MAX_BLOB_BYTES:
            raise BlobError(
                f"image {digest[:12]}… is {len(data)} bytes, more than the central store "
                f"takes ({MAX_BLOB_BYTES} bytes)"
            )
        n = chunk_count(len(data))
        send: list[int] = []
        verified = False
        with self.engine.begin() as conn:
            # One probe: present already, or which chunks arrived (with their digests, which
            # PostgreSQL computes).
            rows = conn.execute(text(_PROBE), {"s": digest}).all()
            if rows[0][0]:
                return digest
            have = {int(i): str(d) for _, i, d in rows if i is not None}
            # A resumed upload skips chunks that arrived intact; one that arrived with the
            # right size but wrong bytes has another digest and is sent again. Only a chunk
            # that has arrived is hashed here (a new upload hashes nothing but the whole).
            send = [
                idx
                for idx in range(n)
                if idx not in have or have[idx] != sha256_hex(_piece(data, idx))
            ]
            # Each chunk is its own transaction (an interrupted upload keeps what arrived):
            # the first goes with the probe, the last with the check, which then cost no
            # transaction of their own (an image of one chunk is one transaction).
            if send:
                conn.execute(
                    text(_PUT_CHUNK), {"s": digest, "i": send[0], "d": _piece(data, send[0])}
                )
            if len(send) <= 1:
                verified = self._complete(conn, digest, len(data), media_type)
        if len(send) > 1:
            for idx in send[1:-1]:
                self.put_chunk(digest, idx, _piece(data, idx))
            with self.engine.begin() as conn:
                conn.execute(
                    text(_PUT_CHUNK), {"s": digest, "i": send[-1], "d": _piece(data, send[-1])}
                )
                verified = self._complete(conn, digest, len(data), media_type)
        if not verified:
            raise BlobError(f"blob {digest[:12]}… did not verify after upload; upload it again")
        return digest

    def put_chunk(self, sha256: str, idx: int, piece: bytes) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(_PUT_CHUNK), {"s": sha256, "i": idx, "d": piece})

    def complete(self, sha256: str, size: int, media_type: str) -> bool:
        """Mark the blob present if, and only if, its chunks hash to its name.

        Only the chunks the layout calls for are read; any chunk past the end is dropped
        once the blob verified.
        """
        with self.engine.begin() as conn:
            return self._complete(conn, sha256, size, media_type)

    @staticmethod
    def _complete(conn: Any, sha256: str, size: int, media_type: str) -> bool:
        n = chunk_count(size)
        conn.execute(text(_BLOB_LOCK), {"s": sha256})
        # PostgreSQL joins and hashes the chunks itself (as rd_complete_blob does): the
        # check covers the bytes the store holds without sending them back.
        length, stored = conn.execute(
            text(
                "SELECT coalesce(sum(octet_length(data)), 0), "
                "encode(sha256(coalesce(string_agg(data, ''::bytea ORDER BY idx), ''::bytea)), "
                "'hex') FROM blob_chunks WHERE sha256 = :s AND idx < :n"
            ),
            {"s": sha256, "n": n},
        ).one()
        if int(length) != size or stored != sha256:
            return False
        conn.execute(
            text(
                "INSERT INTO blobs (sha256, size, media_type, present, created_at) "
                "VALUES (:s, :n, :m, true, clock_timestamp()) "
                "ON CONFLICT (sha256) DO UPDATE SET present = true"
            ),
            {"s": sha256, "n": size, "m": media_type},
        )
        conn.execute(
            text("DELETE FROM blob_chunks WHERE sha256 = :s AND idx >= :n"),
            {"s": sha256, "n": n},
        )
        return True

    def get(self, sha256: str) -> bytes:
        with self.engine.connect() as conn:
            row = conn.execute(
                text("SELECT present, size FROM blobs WHERE sha256 = :s"), {"s": sha256}
            ).first()
            if row is None:
                # Also what a district login sees of another district's image (RLS).
                raise BlobError(
                    f"image {sha256[:12]}… is not in the central store for this computer's "
                    "districts"
                )
            present, size = bool(row[0]), int(row[1])
            rows = conn.execute(
                text("SELECT data FROM blob_chunks WHERE sha256 = :s AND idx < :n ORDER BY idx"),
                {"s": sha256, "n": chunk_count(size)},
            ).all()
        data = b"".join(bytes(r[0]) for r in rows)
        if not present or sha256_hex(data) != sha256:
            raise BlobError(f"image {sha256[:12]}… is not complete in the central store")
        return data

    def verify(self, sha256: str) -> bool:
        try:
            self.get(sha256)
        except BlobError:
            return False
        return True
