"""Nothing a workstation does is lost, doubled, or able to wedge sync (issue 12).

Prints travel through the outbox with serials from each workstation's own range; the
"printed, so no undo" rule holds across workstations; a slip says whether the decision
behind it still stands; a journal entry the central store refuses is quarantined while
the rest flows; a workstation restored from an older backup re-aligns its journal; one
uploader at a time; the watcher outlives any error. On a central SQLite file and on
PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.notices.printing import IN_FORCE, UNDONE, init_district_key
from app.review.workflow import DecisionInput, WorkflowError
from app.workbench import Workbench
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import CentralJournalEntry, JournalEntry, NoticePrint, OutboxItem
from tests.integration.sync_fixtures import Workstation, central_world, offline, workstation

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")
MARK = "[sync-reliability]"  # lines that python -m benchmarks.soak_sync collects
SOAK = os.environ.get("REVIEWDESK_SOAK") == "1"


@pytest.fixture
def central_url(db_url: str) -> str:
    return db_url


def _serials(store: Store) -> list[str]:
    with store.read() as s:
        return sorted(s.scalars(select(NoticePrint.serial)))


def test_prints_from_three_offline_workstations_never_share_a_serial(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=3)
    init_district_key(central, "东湖区")
    stations = [workstation(central, tmp_path, f"ws{i}") for i in range(3)]
    people = [world.alice, world.bob, world.sup]
    for ws, actor, case_no in zip(stations, people, world.cases, strict=True):
        ws.sync.sync_once()  # the district's public key comes down with the cases
        desk = Workbench(ws.desk, actor)
        desk.claim(case_no)
        desk.decide(case_no, DecisionInput("approve"))
    for ws, actor, case_no in zip(stations, people, world.cases, strict=True):
        with offline(ws):  # a day at a school: every workstation prints on its own
            Workbench(ws.desk, actor).print_cases([case_no])
    for ws in stations:
        ws.sync.sync_once()
    central_serials = _serials(central)
    print(
        f"\n{MARK} prints from 3 workstations offline: {len(central_serials)} at the central "
        f"store, {len(central_serials) - len(set(central_serials))} duplicate serials "
        f"({', '.join(central_serials)})"
    )
    assert len(central_serials) == 3 == len(set(central_serials))
    # every workstation counted in its own range (…-<station>-000001), all three distinct
    assert {s.rsplit("-", 2)[1] for s in central_serials} == {"001", "002", "003"}
    for ws in stations:
        ws.sync.sync_once()
        assert _serials(ws.local) == central_serials  # the prints came back down to all


def test_undo_of_a_decision_printed_elsewhere_is_refused(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=2)
    init_district_key(central, "东湖区")
    office, laptop = (
        workstation(central, tmp_path, "office"),
        workstation(central, tmp_path, "laptop"),
    )
    case_no = world.cases[0]
    at_office = Workbench(office.desk, world.alice)
    at_office.claim(case_no)
    at_office.decide(case_no, DecisionInput("approve"))
    office.sync.sync_once()
    at_office.print_cases([case_no])  # the print goes up at once
    laptop.sync.sync_once()
    with pytest.raises(WorkflowError) as refused:
        Workbench(laptop.desk, world.alice).undo(case_no)
    assert refused.value.code == "printed"
    print(f"\n{MARK} undo after a print on another workstation: refused ({refused.value.code})")


def test_a_slip_says_whether_its_decision_still_stands(central_url: str, tmp_path: Path) -> None:
    from app.notices.signing import SignatureInvalid

    central, world = central_world(central_url, tmp_path, n_cases=2)
    init_district_key(central, "东湖区")
    laptop, office = (
        workstation(central, tmp_path, "laptop"),
        workstation(central, tmp_path, "office"),
    )
    at_school = Workbench(laptop.desk, world.alice)
    case_no = world.cases[0]
    at_school.claim(case_no)
    at_school.decide(case_no, DecisionInput("approve"))
    payload = _qr_text(at_school.print_cases([case_no]).pdf)  # online: the print goes up
    checked = at_school.verify_slip(payload)
    assert (checked.decision_state, checked.printed) == (IN_FORCE, True)
    assert "central store" in checked.source

    # Second case: printed offline at the school while the office undoes the decision
    # (the central store does not know of the print yet, so it allows the undo).
    other = world.cases[1]
    at_school.claim(other)
    at_school.decide(other, DecisionInput("approve"))
    with offline(laptop):
        late = _qr_text(at_school.print_cases([other]).pdf)
    office.sync.sync_once()
    Workbench(office.desk, world.alice).undo(other)
    pushed, _ = laptop.sync.sync_once()
    # The print is recorded (it happened), and the workstation is told, not silently done.
    assert _serials(central) == sorted(_serials(laptop.local))
    shown = [q for q in laptop.sync.status().quarantined if q[1] == "print"]
    assert len(shown) == 1 and "undone" in shown[0][2], shown
    assert pushed.conflicts >= 1
    assert at_school.verify_slip(late).decision_state == UNDONE
    forged = payload.replace(case_no, other)
    with pytest.raises(SignatureInvalid):
        at_school.verify_slip(forged)


def _qr_text(pdf: bytes) -> str:
    """The slip's QR payload, read back from the printed PDF by a real QR reader."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "slip.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", str(path), str(Path(tmp) / "p")], check=True
        )
        png = sorted(Path(tmp).glob("p*.png"))[0]
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
        )
    return out.stdout.strip().splitlines()[0]


def _local_entries(ws: Workstation) -> int:
    with ws.local.read() as s:
        return int(s.scalar(select(func.count()).select_from(JournalEntry)) or 0)


def _central_chain(central: Store, ws: Workstation) -> tuple[int, journal.VerifyResult]:
    from app.sync.engine import store_id

    with ws.local.write() as s:
        chain = store_id(s)
    with central.read() as cs:
        n = int(
            cs.scalar(
                select(func.count())
                .select_from(CentralJournalEntry)
                # An entry withheld (its content refused) holds its position, not its content.
                .where(CentralJournalEntry.chain == chain, CentralJournalEntry.withheld.is_(None))
            )
            or 0
        )
        return n, journal.verify_chain(cs, chain)


def test_a_refused_journal_entry_is_quarantined_and_the_rest_arrive(
    pg_url: str, tmp_path: Path
) -> None:
    # PostgreSQL refuses a NUL in JSON text: an entry written by an older version that let
    # one through must not stop the journal (nor decisions) for good.
    central, world = central_world(pg_url, tmp_path, n_cases=3)
    ws = workstation(central, tmp_path)
    others = 999 if SOAK else 99
    with ws.local.write() as s:
        journal.append(s, action="view", actor="alice", workstation="ws", payload={"x": "a\x00b"})
        for i in range(others - 6):  # with the 3 claims and 3 decisions: `others` in all
            journal.append(s, action="view", actor="alice", workstation="ws", payload={"i": i})
    desk = Workbench(ws.desk, world.alice)
    for case_no in world.cases:
        desk.claim(case_no)
        desk.decide(case_no, DecisionInput("approve"))
    ws.sync.sync_once()
    status = ws.sync.status()
    journal_items = [q for q in status.quarantined if q[1] == "journal"]
    assert len(journal_items) == 1 and "refused" in journal_items[0][2]
    arrived, verdict = _central_chain(central, ws)
    assert arrived == _local_entries(ws) - 1  # everything but the poisoned entry
    # whose position went up withheld (its hash and key mark), so the chain stays whole
    assert verdict.ok and verdict.withheld == 1, verdict
    print(
        f"\n{MARK} poisoned journal entry: 1 quarantined, {arrived} other entries and "
        "3 decisions arrived"
    )
    with central.read() as cs:
        from reviewdb.models import Decision

        assert cs.scalar(select(func.count()).select_from(Decision)) == 3
    ws.sync.sync_once()  # and it stays quarantined once, not once per round
    assert len([q for q in ws.sync.status().quarantined if q[1] == "journal"]) == 1


def _copy_sqlite(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def test_a_workstation_restored_from_an_older_backup_realigns_its_journal(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=4)
    ws = workstation(central, tmp_path)
    desk = Workbench(ws.desk, world.alice)
    desk.claim(world.cases[0])
    ws.sync.sync_once()
    db = Path(str(ws.local.url.database))
    _copy_sqlite(db, tmp_path / "backup.db")  # last night's backup
    desk.claim(world.cases[1])
    desk.release(world.cases[1])
    ws.sync.sync_once()
    before_restore, _ = _central_chain(central, ws)
    # The disk dies; the workstation comes back from last night's backup.
    ws.local.dispose()
    shutil.copyfile(tmp_path / "backup.db", db)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    restored = Store(f"sqlite:///{db}", tmp_path / "ws1-blobs")
    from app import runtime
    from app.review.arbitration import CentralArbitration
    from app.review.workflow import Workflow
    from app.sync.engine import SyncEngine

    engine = SyncEngine(restored, ws.sync.central)
    again = Workstation(restored, engine, Workflow(restored, CentralArbitration(restored, engine)))
    Workbench(runtime.Workstation(restored, again.workflow, engine), world.alice).claim(
        world.cases[2]
    )
    again.sync.sync_once()  # must not fail ("position already taken") and must not lose work
    again.sync.sync_once()
    after, verdict = _central_chain(central, again)
    assert verdict.ok, verdict
    assert after == before_restore + 1  # the one claim made after the restore arrived too
    with restored.read() as s:
        assert journal.verify(s).ok
    assert _local_entries(again) == after
    assert not [q for q in again.sync.status().quarantined if q[1] == "journal"]
    print(
        f"\n{MARK} restored from backup: central chain {after} entries intact, local journal "
        f"{_local_entries(again)} entries intact, 0 quarantined"
    )


@pytest.mark.slow
def test_one_uploader_at_a_time_and_marks_only_move_forward(tmp_path: Path) -> None:
    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=2)
    ws = workstation(central, tmp_path)
    sent_seqs: list[int] = []
    real = ws.sync._append_central

    def counting(chain: str, entries: list[JournalEntry]) -> None:
        real(chain, entries)
        sent_seqs.extend(e.seq for e in entries)

    ws.sync._append_central = counting  # type: ignore[method-assign]
    marks: list[int] = []
    stop = threading.Event()

    def watch_marks() -> None:
        from app.sync.engine import _setting

        while not stop.is_set():
            with ws.local.read() as s:
                marks.append(int(_setting(s, "sync.journal_sent_seq", "0") or 0))

    def rounds() -> None:
        for _ in range(1000):
            ws.sync.sync_once()

    def uploads() -> None:
        for i in range(1000):
            with ws.local.write() as s:  # new work between uploads, as a reviewer makes it
                journal.append(s, action="view", actor="alice", workstation="ws", payload={"i": i})
            ws.sync.push()

    threads = [threading.Thread(target=f) for f in (rounds, uploads, watch_marks)]
    for t in threads:
        t.start()
    for t in threads[:2]:
        t.join()
    stop.set()
    threads[2].join()
    ws.sync.push()
    print(
        f"\n{MARK} one uploader: 1,000 rounds racing 1,000 uploads, {len(sent_seqs)} entries "
        f"sent, {len(sent_seqs) - len(set(sent_seqs))} twice, mark read {len(marks)} times, "
        f"{sum(b < a for a, b in zip(marks, marks[1:], strict=False))} times backwards"
    )
    assert len(sent_seqs) == len(set(sent_seqs)) == _local_entries(ws)  # none sent twice
    assert marks == sorted(marks)  # journal_sent_seq never moved back


def test_the_watcher_outlives_any_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=1)
    ws = workstation(central, tmp_path)
    calls = {"n": 0}
    real = ws.sync.sync_once
    stop = threading.Event()

    def flaky() -> object:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise RuntimeError("a bug in one round")
        stop.set()
        return real()

    ws.sync.sync_once = flaky  # type: ignore[method-assign]
    import app.sync.engine as engine_module

    old_base = engine_module.BACKOFF_BASE
    engine_module.BACKOFF_BASE = 0.01
    try:
        thread = threading.Thread(target=ws.sync.watch, args=(0.01, stop))
        thread.start()
        thread.join(timeout=30)
    finally:
        engine_module.BACKOFF_BASE = old_base
    assert not thread.is_alive() and calls["n"] == 3
    assert "sync round failed" in caplog.text


def test_a_nul_in_a_decision_comment_is_refused_where_it_is_typed(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=1)
    ws = workstation(central, tmp_path)
    desk = Workbench(ws.desk, world.alice)
    desk.claim(world.cases[0])
    with pytest.raises(WorkflowError):
        desk.decide(world.cases[0], DecisionInput("approve", comment="ok\x00"))
    with ws.local.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxItem)) == 0


def test_a_conflict_shows_as_a_conflict_after_sync(central_url: str, tmp_path: Path) -> None:
    # alice decides under a token a supervisor's takeover has made stale; the central store
    # keeps her decision as a conflict and the case did not change there, so no pull would
    # bring it: the workstation must still show the conflict, not alice's hoped-for outcome.
    central, world = central_world(central_url, tmp_path, n_cases=1)
    laptop, office = (
        workstation(central, tmp_path, "laptop"),
        workstation(central, tmp_path, "office"),
    )
    case_no = world.cases[0]
    alice = Workbench(laptop.desk, world.alice)
    alice.claim(case_no)
    office.sync.sync_once()
    Workbench(office.desk, world.sup).takeover(case_no, "alice is called away")
    with offline(laptop):  # her local lease still looks valid here
        result = alice.decide(case_no, DecisionInput("return", missing=("hukou_home",)))
    assert result.case_status == "returned"
    pushed, _ = laptop.sync.sync_once()
    assert pushed.conflicts == 1
    detail = alice.peek_case(case_no)
    assert detail.status == "pending"  # the central store's, not the local intent
    conflict = detail.open_conflict
    assert conflict is not None and conflict[0].outcome == "return"
    assert alice.queue_counts()["conflict"] == 1
    assert [c.case_no for c in Workbench(laptop.desk, world.sup).conflicts()] == [case_no]


def test_a_nul_in_a_takeover_reason_or_confirmation_comment_is_refused(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=1)
    ws = workstation(central, tmp_path)
    sup = Workbench(ws.desk, world.sup)
    with pytest.raises(WorkflowError) as refused:
        sup.takeover(world.cases[0], "ill\x00")
    assert refused.value.code == "text"
    with pytest.raises(WorkflowError) as refused:
        sup.confirm(world.cases[0], comment="fine\x00")
    assert refused.value.code == "text"
