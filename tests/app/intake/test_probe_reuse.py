"""Intake reuses what an earlier import probed of the same bytes (``_known_probes``).

Issue 16's season run: the demo's pool images are shared by thousands of packages, and
reading every attachment row of a shared blob made each import slower than the one before
(at 1,500 packages, 495 rows for the 3 blobs of one package). One row per blob is read now;
these tests hold what it must still answer, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.intake import imaging
from app.intake.intake import _known_probes, import_package
from app.intake.package import write_package
from app.policy.districts import ensure_districts
from app.policy.idnumbers import make_id
from reviewdb.blobs import sha256_hex
from reviewdb.engine import Store
from reviewdb.models import Attachment
from tests.app.intake.test_pdf_probe import make_pdf
from tests.integration.test_intake import files, manifest

PACKAGES = 6


@pytest.fixture
def ready(store: Store) -> Store:
    with store.write() as s:
        ensure_districts(s)
    return store


def _shared_files() -> dict[str, bytes]:
    """Three photos and a PDF, the same bytes in every package."""
    out = files(**{"judgment.pdf": make_pdf(2)})
    del out["img/judgment.jpg"]
    return out


def _import(store: Store, tmp_path: Path, shared: dict[str, bytes]) -> None:
    for i in range(PACKAGES):
        day = dt.timedelta(days=i)
        m = manifest(
            f"SHARED-{i}",
            student=make_id("360102", dt.date(2019, 10, 1) - day, 100 + i),
            guardians=(
                make_id("360102", dt.date(1988, 3, 1) + day, 200 + i),
                make_id("360102", dt.date(1990, 6, 1) + day, 300 + i),
            ),
            cert=f"赣(2020)南昌市不动产权第{i:07d}号",
        )
        m["attachments"][1]["path"] = "judgment.pdf"
        path = write_package(tmp_path / f"p{i}", m, shared, as_zip=False)
        out = import_package(store, path, actor=None, workstation="ws-test")
        assert out.status == "imported", out.line


def test_bytes_many_packages_share_are_probed_once(
    ready: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _shared_files()
    probed: list[str] = []
    real_probe = imaging.probe

    def counting_probe(data: bytes) -> imaging.ProbeResult:
        probed.append(sha256_hex(data))
        return real_probe(data)

    monkeypatch.setattr(imaging, "probe", counting_probe)
    _import(ready, tmp_path, shared)

    shas = {sha256_hex(d): d for d in shared.values()}
    assert sorted(probed) == sorted(shas)  # the first package only
    known = _known_probes(ready, [*shas, *shas])  # asked twice: answered once each
    assert set(known) == set(shas)
    for sha, data in shas.items():
        assert known[sha] == real_probe(data)
    assert known[sha256_hex(shared["judgment.pdf"])].page_count == 2


def test_a_pdf_recorded_without_its_page_count_is_probed_again(
    ready: Store, tmp_path: Path
) -> None:
    shared = _shared_files()
    _import(ready, tmp_path, shared)
    pdf = sha256_hex(shared["judgment.pdf"])
    photo = sha256_hex(shared["img/divorce.jpg"])
    with ready.read() as s:
        pdf_rows = sorted(s.scalars(select(Attachment.id).where(Attachment.sha256 == pdf)))
    assert len(pdf_rows) == PACKAGES

    # Some rows of the PDF were recorded before PDFs could be read: another row answers.
    with ready.write() as s:
        s.execute(
            update(Attachment).where(Attachment.id.in_(pdf_rows[:-1])).values(page_count=None)
        )
    assert _known_probes(ready, [pdf, photo])[pdf].page_count == 2

    # All of them: the PDF is probed again; the photo is still known.
    with ready.write() as s:
        s.execute(update(Attachment).where(Attachment.sha256 == pdf).values(page_count=None))
    assert set(_known_probes(ready, [pdf, photo])) == {photo}
    assert _known_probes(ready, ["0" * 64]) == {}
    assert _known_probes(ready, []) == {}
