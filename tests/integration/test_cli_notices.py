"""`reviewdesk keys|print|verify-slip` end to end: files on disk, real exit codes, real QR."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import ProgressBar, main
from app.notices import printing
from app.notices.signing import load_public_key
from reviewdb import migrate
from reviewdb.engine import Store
from reviewdb.models import NoticePrint
from tests.integration.test_printing import decide_all, pdf_pages, pdf_text, qr_texts
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path) -> World:
    store = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(store)
    return build_world(store, tmp_path, n_cases=5)


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    *args: str,
    user: str | None = None,
) -> tuple[int, str, str]:
    if user:
        monkeypatch.setenv("REVIEWDESK_PASSWORD", f"{user}-pass-1")
        args = (*args, "--user", user)
    code = main([*args, "--db", url])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.strip(), err.strip()


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The real program in a child process (its own exit code, no shared state)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env=env,
    )


def keys_init(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str) -> int:
    return run(capsys, monkeypatch, url, "keys", "init", "--district", "东湖区", user="admin")[0]


def print_count(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(NoticePrint)) or 0)


def test_keys_init_and_export(world: World, sqlite_url: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        capsys, monkeypatch, sqlite_url, "keys", "init", "--district", "东湖区", user="admin"
    )
    assert code == 0, err
    key_line, current_line, fp_line, *_rest = out.splitlines()
    assert key_line == f"private key: {printing.key_path('360102')}"
    assert current_line == "key 1 of 东湖区 (360102) is current"
    assert re.fullmatch(r"public key fingerprint: SHA256:([0-9a-f]{4}:){7}[0-9a-f]{4}", fp_line)
    assert printing.key_path("360102").stat().st_mode & 0o777 == 0o600

    code, pem, _ = run(capsys, monkeypatch, sqlite_url, "keys", "export", "--district", "360102")
    assert code == 0
    # The file says whose key it is, before the PEM block (which any PEM reader takes).
    head, block = pem.split("-----BEGIN PUBLIC KEY-----")
    assert "District: 360102 东湖区" in head.splitlines() and "Key: 1" in head.splitlines()
    load_public_key(("-----BEGIN PUBLIC KEY-----" + block).encode())  # a real Ed25519 key
    assert fp_line.endswith(printing.key_fingerprint(pem.encode()))
    assert f"Fingerprint: {fp_line.split(': ')[1]}" in head.splitlines()

    code, _, err = run(
        capsys, monkeypatch, sqlite_url, "keys", "init", "--district", "东湖区", user="admin"
    )
    assert code == 1 and "already has a signing key (key 1" in err and "keys rotate" in err
    code, pem2, _ = run(capsys, monkeypatch, sqlite_url, "keys", "export", "--district", "东湖区")
    assert pem2 == pem  # nothing changed
    code, _, err = run(capsys, monkeypatch, sqlite_url, "keys", "export", "--district", "西湖区")
    assert code == 1 and err == (
        "district 西湖区 has no signing key: run reviewdesk keys init --district 西湖区 --user ADMIN"
    )


def test_print_and_verify_slip(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    outcomes = decide_all(world)
    out_pdf = tmp_path / "out" / "notice.pdf"
    out_pdf.parent.mkdir()

    # no key yet: one line, non-zero, no file
    code, _, err = run(
        capsys, monkeypatch, sqlite_url, "print", outcomes["approval"], "--out", str(out_pdf),
        user="alice",
    )  # fmt: skip
    assert code == 1 and err == (
        "refused: district 东湖区 has no signing key: "
        "run reviewdesk keys init --district 东湖区 --user ADMIN"
    )
    assert list(out_pdf.parent.iterdir()) == []

    assert keys_init(capsys, monkeypatch, sqlite_url) == 0
    code, out, err = run(
        capsys, monkeypatch, sqlite_url, "print", outcomes["approval"], outcomes["missing"],
        "--out", str(out_pdf), user="alice",
    )  # fmt: skip
    assert code == 0, err
    m = re.fullmatch(
        rf"printed 2 notices to {re.escape(str(out_pdf))} \(serials (\S+)\.\.(\S+)\)", out
    )
    assert m, out
    assert err == ""  # not a terminal: no progress bar
    assert pdf_pages(out_pdf) == 2
    assert [p.name for p in out_pdf.parent.iterdir()] == ["notice.pdf"]  # no temp file left
    assert print_count(world.store) == 2

    # refusals: already printed, no final decision, outside the district
    for case_no, user, expected in (
        (outcomes["approval"], "alice", "give a reprint reason"),
        (outcomes["pending"], "alice", "has no final decision: nothing to print"),
        (outcomes["approval"], "carol", f"no case {outcomes['approval']} in your districts"),
    ):
        code, out, err = run(
            capsys, monkeypatch, sqlite_url, "print", case_no, "--out", str(tmp_path / "r.pdf"),
            user=user,
        )  # fmt: skip
        assert code == 1 and expected in err and len(err.splitlines()) == 1, err
        assert not (tmp_path / "r.pdf").exists()
    assert print_count(world.store) == 2

    # reprint with a reason: 补打, copy 2
    again = tmp_path / "again.pdf"
    code, out, err = run(
        capsys, monkeypatch, sqlite_url, "print", outcomes["approval"], "--out", str(again),
        "--reprint-reason", "家长遗失", user="alice",
    )  # fmt: skip
    assert code == 0, err
    assert "补打" in pdf_text(again)

    # the slip verifies from the store and with the exported key file; altered ones do not
    [slip] = qr_texts(again, tmp_path)
    code, out, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", slip)
    assert code == 0, err
    assert slip.startswith("RD2*") and slip.split("*")[8] == "1"  # the slip names key 1
    assert (
        out.splitlines()[0]
        == "signature ok: genuine, issued under key 1 of district 东湖区 (360102)"
    )
    assert "key:      1 (current)" in out.splitlines()
    assert f"case:     {outcomes['approval']}" in out
    assert "审核通过 / approved" in out and "round:    1" in out
    assert "reviewer: R0002" in out  # alice
    assert f"date:     {printing.china_today().isoformat()}" in out
    assert "recorded: copy 2" in out and "家长遗失" in out
    assert "decision: in force" in out and "checked:  against this store" in out

    pem = tmp_path / "360102.pub"
    assert run(capsys, monkeypatch, sqlite_url, "keys", "export", "--district", "东湖区")[0] == 0
    # (export printed to the captured stdout above; write it again for a file)
    pem.write_bytes(printing.export_public_key(world.store, "东湖区")[1])
    proc = run_process("verify-slip", slip, "--key", str(pem))
    assert proc.returncode == 0, proc.stderr
    assert "signature ok" in proc.stdout and outcomes["approval"] in proc.stdout
    assert "issued under key 1 of district 东湖区 (360102)" in proc.stdout
    assert "decision: state not checked (offline" in proc.stdout

    altered = slip.replace("*A*", "*J*", 1)  # approval → rejection
    assert altered != slip
    proc = run_process("verify-slip", altered, "--key", str(pem))
    assert proc.returncode == 1
    assert proc.stderr.startswith("signature invalid") and proc.stdout == ""
    sig_changed = slip[:-2] + ("B" if slip[-2] == "A" else "A") + slip[-1]
    code, _, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", sig_changed)
    assert code == 1 and err.startswith("signature invalid")

    # The decision behind the slip no longer stands (an administrator's repair in the
    # store): the slip is genuine but not in force, exit 3 — not 0, and not "forged" (1).
    from sqlalchemy import update

    from reviewdb.models import Decision

    with world.store.write() as s:
        s.execute(update(Decision).values(state="undone", effective=False))
    code, out, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", slip)
    assert code == 3, (out, err)
    assert "signature ok" in out and "decision: UNDONE - this slip is no longer valid" in out


def test_print_batch_by_day(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    outcomes = decide_all(world)
    assert keys_init(capsys, monkeypatch, sqlite_url) == 0
    out_pdf = tmp_path / "day.pdf"
    day = printing.china_today().isoformat()
    code, out, err = run(
        capsys, monkeypatch, sqlite_url, "print", "--decided-on", day, "--out", str(out_pdf),
        user="alice",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"printed 3 notices to {out_pdf} (serials ")
    assert pdf_pages(out_pdf) == 3
    code, out, err = run(
        capsys, monkeypatch, sqlite_url, "print", "--decided-on", day, "--outcome", "reject",
        "--out", str(tmp_path / "x.pdf"), user="alice",
    )  # fmt: skip
    assert code == 1 and "already printed" in err
    code, out, err = run(
        capsys, monkeypatch, sqlite_url, "print", "--decided-on", day, "--outcome", "reject",
        "--reprint-reason", "卡纸", "--out", str(tmp_path / "x.pdf"), user="alice",
    )  # fmt: skip
    assert code == 0 and out.startswith("printed 1 notice to")
    assert outcomes["rejection"] in pdf_text(tmp_path / "x.pdf")
    # usage mistakes
    code, _, err = run(
        capsys, monkeypatch, sqlite_url, "print", outcomes["approval"], "--decided-on", day,
        "--out", str(out_pdf), user="alice",
    )  # fmt: skip
    assert code == 2 and "not both" in err
    code, _, err = run(
        capsys, monkeypatch, sqlite_url, "print", "--decided-on", day, "--out",
        str(tmp_path / "nope" / "x.pdf"), user="alice",
    )  # fmt: skip
    assert code == 1 and "no folder" in err


def test_progress_bar_format() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(37, 100)
    bar(100, 100)
    bar.end()
    text = stream.getvalue()
    assert text.startswith("\r[" + "#" * 11 + " " * 19 + "] 37/100")
    assert text.endswith("\r[" + "#" * 30 + "] 100/100\n")
