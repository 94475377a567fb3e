"""Findings that intake adds to earlier cases reach workstations (issue 12).

Importing a package recomputes findings on earlier cases that share its property
certificate or its student; those cases must be stamped with the import's change number,
or a workstation's pull (which follows the cases' ``change_seq``) never sees the new
findings. Central store on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.intake.intake import ImportOutcome, import_package
from app.intake.package import write_package
from app.policy.idnumbers import make_id
from reviewdb.engine import Store
from reviewdb.models import Case, CaseRound, Claim, FindingRow, JournalEntry
from tests.integration.sync_fixtures import central_world, workstation
from tests.integration.test_intake import files, manifest

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

# build_world's case W-0: its student and its property certificate.
W0_STUDENT = make_id("360102", dt.date(2019, 10, 1), 100)
W0_CERT = f"赣(2020)南昌市不动产权第{0:07d}号"
STRANGER_CHILD = make_id("360104", dt.date(2019, 12, 1), 501)
STRANGER_DAD = make_id("360104", dt.date(1985, 5, 5), 502)
STRANGER_MUM = make_id("360104", dt.date(1986, 6, 6), 503)


@pytest.fixture
def central_url(db_url: str) -> str:
    return db_url


def _codes(store: Store, case_no: str) -> set[str]:
    with store.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.case_no == case_no)).one()
        return set(s.scalars(select(FindingRow.code).where(FindingRow.case_id == case_id)))


def _badge(store: Store, case_no: str) -> tuple[int, int]:
    with store.read() as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        return case.worst_severity, case.finding_count


def _shares_property(tmp_path: Path) -> Path:
    m = manifest("LATE-PROP", student=STRANGER_CHILD, guardians=(STRANGER_DAD, STRANGER_MUM))
    m["properties"][0]["cert_number"] = W0_CERT
    return write_package(tmp_path / "late-prop", m, files(), as_zip=False)


def _shares_student(tmp_path: Path) -> Path:
    # The same child under another kind: a second open case for the student.
    m = manifest(
        "LATE-KIN", student=W0_STUDENT, kind="kinship", cert="赣(2019)南昌市不动产权第0099999号"
    )
    del m["custody"]
    m["grandparents"] = [
        {
            "name": "王建国",
            "id_number": make_id("360102", dt.date(1958, 1, 1), 33),
            "relation": "祖父",
        }
    ]
    return write_package(tmp_path / "late-kin", m, files(), as_zip=False)


def _third_case_of_the_student(tmp_path: Path) -> Path:
    # The same child under a third kind: the earlier case's DUPLICATE_STUDENT finding now
    # names two other cases; its count and severity (the queue badge) stay the same.
    m = manifest(
        "LATE-RURAL",
        student=W0_STUDENT,
        kind="rural_house",
        cert="赣(2018)南昌市不动产权第0088888号",
    )
    del m["custody"]
    m["residence_basis"] = "农房"
    m["rural_house"] = {
        "owner_name": "王建国",
        "owner_id_number": make_id("360102", dt.date(1958, 1, 1), 33),
        "owner_relation": "祖父",
        "address": "新建区某村12号",
        "house_type": "农房",
    }
    return write_package(tmp_path / "late-rural", m, files(), as_zip=False)


def _finding(store: Store, case_no: str, code: str) -> str:
    with store.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.case_no == case_no)).one()
        return s.scalars(
            select(FindingRow.message).where(FindingRow.case_id == case_id, FindingRow.code == code)
        ).one()


@pytest.mark.parametrize(
    ("package", "code"),
    [(_shares_property, "PROPERTY_REUSED"), (_shares_student, "DUPLICATE_STUDENT")],
    ids=["property", "student"],
)
def test_finding_added_to_an_earlier_case_reaches_the_workstation(
    central_url: str, tmp_path: Path, package: object, code: str
) -> None:
    central, world = central_world(central_url, tmp_path)
    ws = workstation(central, tmp_path)  # synced once: W-0 is local, without the finding
    earlier = world.cases[0]
    assert code not in _codes(ws.local, earlier)

    out = import_package(central, package(tmp_path), actor=None, workstation="intake")  # type: ignore[operator]
    assert out.status == "imported", out.line
    assert code in _codes(central, earlier)  # intake did recompute the earlier case

    ws.sync.sync_once()
    assert code in _codes(ws.local, earlier), f"{code} of {earlier} did not reach the workstation"
    assert _codes(ws.local, earlier) == _codes(central, earlier)
    assert _badge(ws.local, earlier) == _badge(central, earlier)
    assert code in _codes(ws.local, out.case_no or "")
    print(f"\n[sync-reliability] intake-changed finding {code} of the earlier case pulled: yes")

    # One import, one change number: the new case, its round and claim, the earlier case
    # and the journal entry all carry it.
    with central.read() as cs:
        entry = cs.scalars(
            select(JournalEntry).where(
                JournalEntry.action == "import", JournalEntry.case_id == out.case_id
            )
        ).one()
        seq = entry.change_seq
        assert seq is not None
        assert cs.scalars(select(Case.change_seq).where(Case.case_no == earlier)).one() == seq
        assert cs.scalars(select(Case.change_seq).where(Case.id == out.case_id)).one() == seq
        assert (
            cs.scalars(select(CaseRound.change_seq).where(CaseRound.case_id == out.case_id)).one()
            == seq
        )
        assert cs.get(Claim, out.case_id).change_seq == seq  # type: ignore[union-attr]


def test_cases_whose_findings_did_not_change_are_not_stamped(
    central_url: str, tmp_path: Path
) -> None:
    """A case sharing nothing with the import keeps its change number (no needless re-pull)."""
    central, world = central_world(central_url, tmp_path)
    with central.read() as cs:
        before = dict(cs.execute(select(Case.case_no, Case.change_seq)).all())
    out = import_package(central, _shares_property(tmp_path), actor=None, workstation="intake")
    assert out.status == "imported", out.line
    with central.read() as cs:
        after = dict(cs.execute(select(Case.case_no, Case.change_seq)).all())
    assert after[world.cases[0]] > before[world.cases[0]]
    for case_no in world.cases[1:]:
        assert after[case_no] == before[case_no]


def test_a_changed_finding_with_the_same_badge_reaches_the_workstation(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path)
    earlier = world.cases[0]
    second = import_package(central, _shares_student(tmp_path), actor=None, workstation="i")
    assert second.status == "imported", second.line
    ws = workstation(central, tmp_path)
    before = _finding(ws.local, earlier, "DUPLICATE_STUDENT")
    badge = _badge(ws.local, earlier)
    third = import_package(
        central, _third_case_of_the_student(tmp_path), actor=None, workstation="i"
    )
    assert third.status == "imported", third.line
    central_message = _finding(central, earlier, "DUPLICATE_STUDENT")
    assert central_message != before and _badge(central, earlier) == badge
    ws.sync.sync_once()
    assert _finding(ws.local, earlier, "DUPLICATE_STUDENT") == central_message
    assert second.case_no in central_message and third.case_no in central_message


def test_intake_locks_earlier_cases_before_the_change_counter(pg_url: str, tmp_path: Path) -> None:
    """Lock order (docs/architecture.md): rows, then the change counter, then the journal.

    Another writer holds the earlier case's row (as a decision does) while intake imports a
    package whose re-check changes that case's findings but not its badge (so nothing but
    the stamp would write the case row). Intake must wait for the row *before* taking the
    counter: then the other writer can take the counter and commit. Had intake stamped the
    earlier case after taking the counter, the two would deadlock."""
    central, world = central_world(pg_url, tmp_path)
    second = import_package(central, _shares_student(tmp_path), actor=None, workstation="i")
    assert second.status == "imported", second.line
    with central.read() as cs:
        earlier_id = cs.scalars(select(Case.id).where(Case.case_no == world.cases[0])).one()
    before = _finding(central, world.cases[0], "DUPLICATE_STUDENT")
    pkg = _third_case_of_the_student(tmp_path)
    outcome: list[object] = []

    def run_import() -> None:
        try:
            outcome.append(import_package(central, pkg, actor=None, workstation="intake"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome.append(exc)

    def intake_waits_for_a_lock() -> bool:
        with central.engine.connect() as probe:
            waiting = probe.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        return bool(waiting)

    worker = threading.Thread(target=run_import, daemon=True)
    with central.engine.begin() as holder:
        holder.execute(text("SET LOCAL lock_timeout = '20s'"))
        # A plain UPDATE (as the arbiter's decision makes): a row lock that intake's foreign
        # keys do not wait for, so only an explicit lock stops intake before the counter.
        holder.execute(
            text("UPDATE cases SET updated_at = updated_at WHERE id = :id"), {"id": earlier_id}
        )
        worker.start()
        deadline = time.monotonic() + 30
        while not intake_waits_for_a_lock():
            assert worker.is_alive(), f"intake did not wait for the earlier case: {outcome}"
            assert time.monotonic() < deadline, "intake never waited for the earlier case's row"
            time.sleep(0.05)
        # What a decision does next: the change counter. Intake must not be holding it.
        holder.execute(text("UPDATE change_counter SET value = value + 1 WHERE id = 1"))
    worker.join(60)
    assert not worker.is_alive()
    [out] = outcome
    assert isinstance(out, ImportOutcome) and out.status == "imported", out
    assert _finding(central, world.cases[0], "DUPLICATE_STUDENT") != before
