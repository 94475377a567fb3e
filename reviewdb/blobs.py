"""Content-addressed blob storage: files at ``ab/cd/<sha256>``, written temp → fsync → rename."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


class BlobError(Exception):
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

    def put(self, data: bytes, expected_sha256: str | None = None) -> str:
        """Store bytes; return their sha256. Already-present blobs are not rewritten."""
        digest = sha256_hex(data)
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
