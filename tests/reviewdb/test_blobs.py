"""Content-addressed blob store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reviewdb.blobs import BlobError, BlobStore


def test_put_get_layout(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    data = b"\xff\xd8 some jpeg bytes"
    digest = blobs.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert blobs.path_for(digest) == tmp_path / digest[:2] / digest[2:4] / digest
    assert blobs.get(digest) == data
    assert blobs.put(data) == digest  # idempotent
    assert not list(tmp_path.rglob(".tmp-*"))
    assert blobs.verify(digest)


def test_mismatch_is_refused(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    with pytest.raises(BlobError, match="does not match"):
        blobs.put(b"abc", expected_sha256="0" * 64)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_missing_and_corrupt(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    digest = blobs.put(b"hello")
    blobs.path_for(digest).write_bytes(b"tampered")
    assert not blobs.verify(digest)
    with pytest.raises(BlobError, match="not on this computer"):
        blobs.get("a" * 64)
    with pytest.raises(BlobError):
        blobs.path_for("../../etc/passwd")
