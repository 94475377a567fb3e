"""Printing notices from real cases on SQLite and PostgreSQL, read back with poppler and zbar.

The tools are required: a missing tool fails the test with a clear message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.notices import BatchCancelled, printing
from app.notices.printing import (
    AlreadyPrinted,
    NoFinalDecision,
    NoSigningKey,
    PrintError,
    china_today,
    init_district_key,
    print_batch,
    print_cases,
    print_onsite_receipt,
)
from app.notices.signing import SignatureInvalid, verify_payload
from app.review.cases import CaseNotFound
from app.review.reasons import reason_map
from app.review.workflow import DecisionInput, Workflow
from reviewdb.engine import Store
from reviewdb.models import Case, District, JournalEntry, NoticePrint, School
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

REJECT_CODES = ("NOT_DIVORCED", "PHOTO_UNCLEAR")
MISSING_CODES = ("divorce_certificate", "hukou_self")
MISSING_LABELS = ("离婚证", "户口簿本人页")
NOTE = "请补交清晰的原件照片。"
TITLES = {
    "approval": "审核通过通知单",
    "rejection": "审核不通过告知书",
    "missing": "补充材料通知书",
    "onsite_receipt": "现场审核回执",
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"required tool {name!r} is not installed (poppler-utils / zbar-tools)")
    return path


def _run(*args: str) -> str:
    proc = subprocess.run(
        [_tool(args[0]), *args[1:]], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, f"{args[0]} failed ({proc.returncode}): {proc.stderr}"
    return proc.stdout


def pdf_text(pdf: Path) -> str:
    return _run("pdftotext", "-layout", str(pdf), "-")


def pdf_pages(pdf: Path) -> int:
    m = re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M)
    assert m, "pdfinfo printed no page count"
    return int(m.group(1))


def page_texts(pdf: Path) -> list[str]:
    """One text per page (pdftotext separates pages with a form feed)."""
    return pdf_text(pdf).split("\f")[: pdf_pages(pdf)]


def qr_texts(pdf: Path, tmp: Path) -> list[str]:
    """Every QR code zbarimg decodes on every page, in page order."""
    prefix = tmp / f"qr-{pdf.stem}"
    _run("pdftoppm", "-r", "150", "-png", str(pdf), str(prefix))
    out: list[str] = []
    for png in sorted(tmp.glob(f"qr-{pdf.stem}-*.png")):
        proc = subprocess.run(
            [_tool("zbarimg"), "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, f"zbarimg found no QR code on {png.name}: {proc.stderr}"
        out.extend(line for line in proc.stdout.splitlines() if line)
    return out


def store_public_key(store: Store, code: str = "360102") -> bytes:
    with store.read() as s:
        d = s.get(District, code)
        assert d is not None and d.public_key_pem
        return d.public_key_pem.encode("ascii")


@pytest.fixture
def world(store: Store, tmp_path: Path) -> World:
    return build_world(store, tmp_path, n_cases=5)


@pytest.fixture
def keyed(world: World) -> World:
    init_district_key(world.store, "东湖区")
    return world


def decide_all(world: World) -> dict[str, str]:
    """cases[0] approved, [1] rejected (four-eyes, confirmed), [2] returned, [3] rejected
    and waiting for confirmation, [4] undecided. Returns outcome -> case number."""
    wf = Workflow(world.store)
    c = world.cases
    wf.claim(world.alice, c[0])
    wf.decide(world.alice, c[0], DecisionInput("approve"))
    wf.claim(world.alice, c[1])
    wf.decide(world.alice, c[1], DecisionInput("reject", reasons=REJECT_CODES))
    wf.confirm(world.sup, c[1])
    wf.claim(world.bob, c[2])
    wf.decide(world.bob, c[2], DecisionInput("return", missing=MISSING_CODES, note_to_parent=NOTE))
    wf.claim(world.alice, c[3])
    wf.decide(world.alice, c[3], DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    return {"approval": c[0], "rejection": c[1], "missing": c[2], "pending": c[3], "none": c[4]}


def full_id(store: Store, case_no: str) -> str:
    with store.read() as s:
        return s.scalars(select(Case.student_id_number).where(Case.case_no == case_no)).one()


def prints(store: Store) -> list[NoticePrint]:
    with store.read() as s:
        rows = list(s.scalars(select(NoticePrint).order_by(NoticePrint.serial)))
        s.expunge_all()  # keep the loaded values past the read's rollback
        return rows


def print_journal(store: Store) -> list[JournalEntry]:
    with store.read() as s:
        entries = list(
            s.scalars(
                select(JournalEntry)
                .where(JournalEntry.action == "print")
                .order_by(JournalEntry.seq)
            )
        )
        s.expunge_all()
        return entries


# --- keys ------------------------------------------------------------------------


def test_key_init_stores_public_key_and_private_file_0600(world: World) -> None:
    made = init_district_key(world.store, "东湖区", actor=world.admin)
    path, public_pem = made.path, made.public_pem
    assert path == printing.key_path("360102") and made.key_id == 1
    assert path.stat().st_mode & 0o777 == 0o600
    assert store_public_key(world.store) == public_pem
    with pytest.raises(printing.KeyExists, match="already has a signing key"):
        init_district_key(world.store, "东湖区", actor=world.admin)
    rotated = printing.rotate_district_key(world.store, "360102", actor=world.admin)
    assert rotated.path == path and rotated.public_pem != public_pem and rotated.key_id == 2
    assert rotated.retired is not None and rotated.retired.key_id == 1
    assert store_public_key(world.store) == rotated.public_pem  # kept in step
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".new-")]
    assert (printing.retired_keys_dir() / "360102.1.key").exists()


def test_no_key_is_a_clear_refusal(world: World) -> None:
    outcomes = decide_all(world)
    with pytest.raises(NoSigningKey) as e:
        print_cases(world.store, world.alice, [outcomes["approval"]])
    assert str(e.value) == (
        "district 东湖区 has no signing key: run reviewdesk keys init --district 东湖区 --user ADMIN"
    )
    assert prints(world.store) == []


def test_a_key_that_does_not_match_the_store_is_refused(keyed: World) -> None:
    outcomes = decide_all(keyed)
    with keyed.store.write() as s:  # another workstation re-keyed the district
        d = s.get(District, "360102")
        assert d is not None
        from app.notices.signing import generate_keypair

        d.public_key_pem = generate_keypair()[1].decode("ascii")
    with pytest.raises(NoSigningKey, match="does not match"):
        print_cases(keyed.store, keyed.alice, [outcomes["approval"]])


# --- refusals ----------------------------------------------------------------------


def test_refused_outside_the_district(keyed: World) -> None:
    outcomes = decide_all(keyed)
    with pytest.raises(CaseNotFound, match=outcomes["approval"]):
        print_cases(keyed.store, keyed.carol, [outcomes["approval"]])
    assert prints(keyed.store) == []


def test_refused_without_a_final_decision(keyed: World) -> None:
    outcomes = decide_all(keyed)
    with pytest.raises(NoFinalDecision) as e:
        print_cases(keyed.store, keyed.alice, [outcomes["none"]])
    assert str(e.value) == f"{outcomes['none']} has no final decision: nothing to print"
    # pending_confirmation is not final
    with pytest.raises(NoFinalDecision, match="has no final decision: nothing to print"):
        print_cases(keyed.store, keyed.alice, [outcomes["pending"]])
    # one bad case refuses the whole job: nothing recorded for the good one
    with pytest.raises(NoFinalDecision, match=outcomes["pending"]):
        print_cases(keyed.store, keyed.alice, [outcomes["approval"], outcomes["pending"]])
    assert prints(keyed.store) == []
    assert print_journal(keyed.store) == []


# --- records, reprints, journal -----------------------------------------------------


def test_first_print_is_copy_one_and_a_reprint_needs_a_reason(keyed: World, tmp_path: Path) -> None:
    outcomes = decide_all(keyed)
    case_no = outcomes["approval"]
    first = print_cases(keyed.store, keyed.alice, [case_no])
    assert first.pages == 1 and len(first.serials) == 1
    today = china_today()
    assert re.fullmatch(rf"360102{today:%y%m%d}-000001", first.serials[0])
    [row] = prints(keyed.store)
    assert (row.serial, row.copy_no, row.template, row.reprint_reason) == (
        first.serials[0],
        1,
        "approval",
        None,
    )
    assert row.printed_by == keyed.alice.user_id and row.decision_id is not None
    assert row.template_version == printing.current_template_version()
    first_pdf = tmp_path / "first.pdf"
    first_pdf.write_bytes(first.pdf)
    assert "补打" not in pdf_text(first_pdf)

    with pytest.raises(AlreadyPrinted, match="give a reprint reason"):
        print_cases(keyed.store, keyed.alice, [case_no])
    with pytest.raises(PrintError, match="reprint reason"):
        print_cases(keyed.store, keyed.alice, [case_no], reprint_reason="   ")
    assert len(prints(keyed.store)) == 1

    second = print_cases(keyed.store, keyed.bob, [case_no], reprint_reason="家长遗失原件")
    assert second.serials[0] != first.serials[0]
    rows = prints(keyed.store)
    assert [(r.copy_no, r.reprint_reason) for r in rows] == [(1, None), (2, "家长遗失原件")]
    second_pdf = tmp_path / "second.pdf"
    second_pdf.write_bytes(second.pdf)
    text = pdf_text(second_pdf)
    assert "补打" in text and "第2份" in text

    entries = print_journal(keyed.store)
    assert [e.actor for e in entries] == ["alice", "bob"]
    assert entries[0].payload["serial"] == first.serials[0]
    assert entries[1].payload == {
        "case_no": case_no,
        "serial": second.serials[0],
        "template": "approval",
        "template_version": printing.current_template_version(),
        "copy_no": 2,
        "round": 1,
        "decision_id": rows[1].decision_id,
        "reprint_reason": "家长遗失原件",
    }
    assert all(e.change_seq is not None for e in entries)
    # the undo guard now sees the printed notice
    assert not Workflow(keyed.store).can_undo(keyed.alice, case_no)


def test_nothing_is_recorded_when_delivery_fails(keyed: World) -> None:
    outcomes = decide_all(keyed)

    def disk_full(_pdf: bytes) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        print_cases(keyed.store, keyed.alice, [outcomes["approval"]], deliver=disk_full)
    assert prints(keyed.store) == []
    assert print_journal(keyed.store) == []


def test_a_print_made_meanwhile_is_seen_before_recording(
    keyed: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another workstation prints between our render and our record: we plan again and
    take the next serial and copy instead of clashing."""
    outcomes = decide_all(keyed)
    case_no = outcomes["approval"]
    real_render = printing.render_batch
    raced: list[printing.PrintResult] = []
    renders: list[int] = []

    def render_then_race(items, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        pdf = real_render(items, progress=progress, cancelled=cancelled)
        renders.append(len(items))
        if len(renders) == 1:  # only during our first render
            raced.append(print_cases(keyed.store, keyed.bob, [outcomes["rejection"]]))
        return pdf

    monkeypatch.setattr(printing, "render_batch", render_then_race)
    ours = print_cases(keyed.store, keyed.alice, [case_no])
    assert raced[0].serials[0].endswith("-000001")
    assert ours.serials[0].endswith("-000002")
    assert len(prints(keyed.store)) == 2
    assert len(renders) == 3  # ours, bob's, ours again with the fresh serial


# --- batches ----------------------------------------------------------------------


def _move_to_school(store: Store, case_no: str, school_name: str) -> None:
    with store.write() as s:
        school = s.scalars(select(School).where(School.name == school_name)).first()
        if school is None:
            school = School(district_code="360102", name=school_name, stage="primary")
            s.add(school)
            s.flush()
        s.execute(update(Case).where(Case.case_no == case_no).values(school_id=school.id))


def test_batch_one_page_per_case_ordered_by_school_then_case(keyed: World, tmp_path: Path) -> None:
    outcomes = decide_all(keyed)
    # approval and missing go to a school whose name sorts first
    _move_to_school(keyed.store, outcomes["missing"], "南昌市东湖区邮政路小学")
    _move_to_school(keyed.store, outcomes["approval"], "南昌市东湖区邮政路小学")
    result = print_batch(keyed.store, keyed.alice, decided_on=china_today())
    expected = sorted(
        [
            ("南昌市东湖区育新学校", outcomes["rejection"]),
            ("南昌市东湖区邮政路小学", outcomes["approval"]),
            ("南昌市东湖区邮政路小学", outcomes["missing"]),
        ]
    )
    assert list(result.case_nos) == [c for _school, c in expected]
    assert result.pages == 3
    pdf = tmp_path / "batch.pdf"
    pdf.write_bytes(result.pdf)
    assert pdf_pages(pdf) == 3
    texts = page_texts(pdf)
    for text, (_school, case_no) in zip(texts, expected, strict=True):
        assert case_no in text
    # a second batch skips what is printed; with a reason it reprints as copy 2
    with pytest.raises(printing.NothingToPrint, match="already printed"):
        print_batch(keyed.store, keyed.alice, decided_on=china_today())
    again = print_batch(
        keyed.store, keyed.alice, decided_on=china_today(), outcome="approve", reprint_reason="卡纸"
    )
    assert again.case_nos == (outcomes["approval"],)
    assert [r.copy_no for r in prints(keyed.store) if r.reprint_reason == "卡纸"] == [2]


def test_batch_filters_and_scope(keyed: World) -> None:
    outcomes = decide_all(keyed)
    today = china_today()
    only = print_batch(keyed.store, keyed.alice, decided_on=today, outcome="return")
    assert only.case_nos == (outcomes["missing"],)
    with pytest.raises(printing.NothingToPrint, match="no final decisions"):
        print_batch(keyed.store, keyed.carol, decided_on=today)  # 西湖区: none of these
    with pytest.raises(printing.NothingToPrint):
        print_batch(keyed.store, keyed.alice, decided_on=today.replace(year=today.year - 1))
    with pytest.raises(printing.NothingToPrint):
        print_batch(keyed.store, keyed.alice, decided_on=today, kind="kinship")


def test_cancelled_batch_records_nothing(keyed: World) -> None:
    decide_all(keyed)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    with pytest.raises(BatchCancelled):
        print_batch(
            keyed.store,
            keyed.alice,
            decided_on=china_today(),
            progress=progress,
            cancelled=lambda: len(seen) >= 1,
        )
    assert seen == [(1, 3)]
    assert prints(keyed.store) == []


# --- every template, read back ------------------------------------------------------


@pytest.fixture
def every_template(keyed: World, tmp_path: Path) -> tuple[World, dict[str, str], dict[str, Path]]:
    outcomes = decide_all(keyed)
    pdfs: dict[str, Path] = {}
    for template in ("approval", "rejection", "missing"):
        result = print_cases(keyed.store, keyed.alice, [outcomes[template]])
        pdfs[template] = tmp_path / f"{template}.pdf"
        pdfs[template].write_bytes(result.pdf)
    receipt = print_onsite_receipt(
        keyed.store, keyed.alice, outcomes["none"], ["离婚证原件", "户口簿原件（首页、本人页）"]
    )
    pdfs["onsite_receipt"] = tmp_path / "onsite_receipt.pdf"
    pdfs["onsite_receipt"].write_bytes(receipt.pdf)
    outcomes["onsite_receipt"] = outcomes["none"]
    return keyed, outcomes, pdfs


def test_every_template_reads_back(
    every_template: tuple[World, dict[str, str], dict[str, Path]], tmp_path: Path
) -> None:
    world, outcomes, pdfs = every_template
    public_key = store_public_key(world.store)
    for template, pdf in pdfs.items():
        case_no = outcomes[template]
        assert pdf_pages(pdf) == 1, template
        # embedded, subset CJK font and nothing else unembedded
        fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert fonts, f"{template}: pdffonts lists no fonts"
        cjk = [line for line in fonts if "WenQuanYi" in line]
        assert cjk, f"{template}: no CJK font"
        for line in fonts:
            cols = line.split()
            assert cols[-5] == "yes", f"{template}: font not embedded: {line}"
        assert all(line.split()[-4] == "yes" for line in cjk), f"{template}: not subset"
        # the words
        text = pdf_text(pdf)
        flat = re.sub(r"\s+", "", text)
        assert TITLES[template] in flat, template
        ident = full_id(world.store, case_no)
        assert ident[:6] + "********" + ident[-4:] in text
        assert ident not in flat, f"{template}: the full ID is printed"
        assert case_no in text
        # the QR code, decoded from pixels, verifies with the district key from the store
        [slip] = qr_texts(pdf, tmp_path)
        payload = verify_payload(slip, public_key)
        assert payload.case_no == case_no
        assert payload.district_code == "360102"
        assert payload.date == china_today().isoformat()
        # one changed byte is refused
        i = slip.index(case_no) + len(case_no) - 1
        altered = slip[:i] + ("1" if slip[i] != "1" else "2") + slip[i + 1 :]
        with pytest.raises(SignatureInvalid):
            verify_payload(altered, public_key)
        sig_changed = slip[:-1] + ("A" if slip[-1] != "A" else "B")
        with pytest.raises(SignatureInvalid):
            verify_payload(sig_changed, public_key)

    rejection = re.sub(r"\s+", "", pdf_text(pdfs["rejection"]))
    library = reason_map("guardianship")
    for code in REJECT_CODES:
        wording = re.sub(r"\s+", "", library[code].parent_text)
        assert wording in rejection, code
    missing = re.sub(r"\s+", "", pdf_text(pdfs["missing"]))
    for label in MISSING_LABELS:
        assert label in missing
    assert NOTE in missing
    receipt = re.sub(r"\s+", "", pdf_text(pdfs["onsite_receipt"]))
    assert "离婚证原件" in receipt and "户口簿原件（首页、本人页）" in receipt


def test_records_match_what_was_printed(
    every_template: tuple[World, dict[str, str], dict[str, Path]],
) -> None:
    world, outcomes, _pdfs = every_template
    rows = prints(world.store)
    assert sorted(r.template for r in rows) == sorted(TITLES)
    receipt = next(r for r in rows if r.template == "onsite_receipt")
    assert receipt.decision_id is None and receipt.copy_no == 1
    entries = print_journal(world.store)
    assert {e.payload["serial"] for e in entries} == {r.serial for r in rows}
    onsite_entry = next(e for e in entries if e.payload["template"] == "onsite_receipt")
    assert onsite_entry.payload["checked"] == ["离婚证原件", "户口簿原件（首页、本人页）"]
    # the return's deadline: decision day + the policy's return_deadline_days (5 in 2026)
    import datetime as dt

    from app.policy.loader import policy_for

    days = policy_for("南昌市", 2026).return_deadline_days
    deadline = china_today() + dt.timedelta(days=days)
    missing_text = re.sub(r"\s+", "", pdf_text(_pdfs["missing"]))
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in missing_text
    assert outcomes["missing"] in missing_text


def test_a_reprint_reason_with_a_nul_character_is_refused(keyed: World) -> None:
    """PostgreSQL refuses NUL in text: the reason is refused where typed, nothing recorded."""
    outcomes = decide_all(keyed)
    case_no = outcomes["approval"]
    first = print_cases(keyed.store, keyed.alice, [case_no])
    message = "the reprint reason contains a NUL character; retype it"
    for reason in ("家长遗失\x00原件", "\x00", "  卡纸\x00  "):
        with pytest.raises(PrintError) as info:
            print_cases(keyed.store, keyed.alice, [case_no], reprint_reason=reason)
        assert str(info.value) == message
        assert "\x00" not in str(info.value)
        with pytest.raises(PrintError, match="contains a NUL character; retype it"):
            print_batch(keyed.store, keyed.alice, decided_on=china_today(), reprint_reason=reason)
    assert [(r.serial, r.copy_no) for r in prints(keyed.store)] == [(first.serials[0], 1)]
    assert len(print_journal(keyed.store)) == 1
    # Retyped, it is printed and stored.
    again = print_cases(keyed.store, keyed.alice, [case_no], reprint_reason="家长遗失原件")
    assert [(r.copy_no, r.reprint_reason) for r in prints(keyed.store)] == [
        (1, None),
        (2, "家长遗失原件"),
    ]
    assert again.serials[0] != first.serials[0]
