"""District signing keys (issue 13): admin-only and journaled, rotation keeps earlier slips
genuine as issued under a retired key, revocation is explicit (exit 3), a key file of one
district never validates another's slip, and a released store's key becomes key 1."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from app.cli import main

# Modules, not names: on a tree without district keys each test fails at its own line.
from app.notices import printing, signing
from app.notices.printing import NoSigningKey, china_today, print_cases
from app.notices.signing import SignatureInvalid, SlipPayload, generate_keypair
from app.policy.districts import ensure_districts
from reviewdb import journal, migrate, models
from reviewdb.engine import Store
from reviewdb.models import District, JournalEntry
from tests.integration.test_cli_notices import run, run_process
from tests.integration.test_printing import decide_all, qr_texts
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-0003.db"
TODAY = china_today().isoformat()


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path) -> World:
    store = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(store)
    return build_world(store, tmp_path, n_cases=5)


def keys(capsys, monkeypatch, url: str, *args: str, user: str | None = "admin"):  # type: ignore[no-untyped-def]
    return run(capsys, monkeypatch, url, "keys", *args, user=user)


def print_slip(world: World, case_no: str, tmp_path: Path, reprint: str | None = None) -> str:
    """Print the case's notice for real and read its QR code back from the PDF."""
    result = print_cases(world.store, world.alice, [case_no], reprint_reason=reprint)
    pdf = tmp_path / f"slip-{len(list(tmp_path.glob('slip-*.pdf')))}.pdf"
    pdf.write_bytes(result.pdf)
    [slip] = qr_texts(pdf, tmp_path)
    return slip


def key_journal(store: Store) -> list[tuple[str, str | None, dict[str, object]]]:
    with store.read() as s:
        rows = s.scalars(
            select(JournalEntry)
            .where(JournalEntry.action.like("keys_%"))
            .order_by(JournalEntry.seq)
        ).all()
        return [(r.action, r.actor, r.payload) for r in rows]


def key_rows(store: Store, code: str = "360102") -> list[models.DistrictKey]:
    with store.read() as s:
        rows = list(
            s.scalars(
                select(models.DistrictKey)
                .where(models.DistrictKey.district_code == code)
                .order_by(models.DistrictKey.key_id)
            )
        )
        s.expunge_all()
        return rows


def district_pem(store: Store, code: str = "360102") -> str | None:
    with store.read() as s:
        d = s.get(District, code)
        assert d is not None
        return d.public_key_pem


# --- creating and rotating need an administrator, and are journaled ----------------


def test_keys_init_needs_an_administrator_and_is_journaled(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, capsys, monkeypatch
) -> None:
    code, out, err = keys(
        capsys, monkeypatch, sqlite_url, "init", "--district", "东湖区", user=None
    )
    assert (code, out) == (1, "") and err == "keys init needs an administrator: give --user ADMIN"
    code, out, err = keys(
        capsys, monkeypatch, sqlite_url, "init", "--district", "东湖区", user="alice"
    )
    assert (code, out) == (1, "")
    assert err == "keys init needs an administrator (alice is a reviewer)"
    assert not printing.key_path("360102").exists() and district_pem(world.store) is None
    assert key_rows(world.store) == [] and key_journal(world.store) == []
    for action in ("rotate", "revoke"):
        extra = ("--key", "1", "--reason", "x") if action == "revoke" else ()
        code, _, err = keys(
            capsys, monkeypatch, sqlite_url, action, "--district", "东湖区", *extra, user=None
        )
        assert code == 1 and err == f"keys {action} needs an administrator: give --user ADMIN"
        code, _, err = keys(
            capsys, monkeypatch, sqlite_url, action, "--district", "东湖区", *extra, user="sup"
        )
        assert code == 1 and err == f"keys {action} needs an administrator (sup is a supervisor)"
    # usage mistakes are exit 2, one line
    code, _, err = keys(
        capsys, monkeypatch, sqlite_url, "revoke", "--district", "东湖区", "--key", "1"
    )
    assert code == 2 and err == "keys revoke: give --key N and --reason TEXT"
    code, _, err = keys(
        capsys, monkeypatch, sqlite_url, "list", "--district", "东湖区", "--overwrite"
    )
    assert code == 2 and err == "keys list: --overwrite goes with init or rotate"

    code, out, err = keys(capsys, monkeypatch, sqlite_url, "init", "--district", "东湖区")
    assert code == 0, err
    assert "key 1 of 东湖区 (360102) is current" in out.splitlines()
    [(action, actor, payload)] = key_journal(world.store)
    [row] = key_rows(world.store)
    assert (action, actor) == ("keys_init", "admin")
    assert payload == {"district": "360102", "key_id": 1, "fingerprint": row.fingerprint}
    assert row.created_by == "admin" and row.retired_at is None and row.revoked_at is None
    assert district_pem(world.store) == row.public_key_pem
    header = signing.read_private_key_file(printing.key_path("360102")).header
    assert (header.district_code, header.key_id) == ("360102", 1)
    assert main(["audit", "verify", "--db", sqlite_url]) == 0


def test_rotation_keeps_earlier_slips_genuine_as_issued_under_a_retired_key(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    outcomes = decide_all(world)
    assert keys(capsys, monkeypatch, sqlite_url, "init", "--district", "东湖区")[0] == 0
    old_slip = print_slip(world, outcomes["approval"], tmp_path)
    first_key = printing.key_path("360102").read_bytes()

    code, out, err = keys(capsys, monkeypatch, sqlite_url, "rotate", "--district", "东湖区")
    assert code == 0, err
    assert signing.parse_slip_unverified(old_slip).key_id == 1
    lines = out.splitlines()
    assert lines[0] == f"private key: {printing.key_path('360102')}"
    assert lines[1] == "key 2 of 东湖区 (360102) is current"
    assert lines[3].startswith("retired: key 1 (SHA256:") and "still verify" in lines[3]
    # The retired private key is kept, out of the printing path; the new one is key 2.
    retired_file = printing.retired_keys_dir() / "360102.1.key"
    assert retired_file.read_bytes() == first_key
    assert signing.read_private_key_file(printing.key_path("360102")).header.key_id == 2
    one, two = key_rows(world.store)
    assert one.retired_at is not None and two.retired_at is None
    assert district_pem(world.store) == two.public_key_pem  # kept in step
    assert [(a, u, p.get("retired_key_id")) for a, u, p in key_journal(world.store)] == [
        ("keys_init", "admin", None),
        ("keys_rotate", "admin", 1),
    ]

    code, out, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", old_slip)
    assert code == 0, (out, err)
    lines = out.splitlines()
    assert lines[0] == (
        f"signature ok: genuine, issued under key 1 of district 东湖区 (360102) (retired on {TODAY})"
    )
    assert f"key:      1 (retired on {TODAY})" in lines and "decision: in force" in lines

    new_slip = print_slip(world, outcomes["approval"], tmp_path, reprint="家长遗失")
    assert signing.parse_slip_unverified(new_slip).key_id == 2
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "verify-slip", new_slip)
    assert code == 0
    assert (
        out.splitlines()[0]
        == "signature ok: genuine, issued under key 2 of district 东湖区 (360102)"
    )

    code, out, _ = keys(capsys, monkeypatch, sqlite_url, "list", "--district", "东湖区", user=None)
    assert code == 0
    listed = out.splitlines()
    assert listed[0] == "district 东湖区 (360102): 2 key(s)"
    assert listed[2].split()[0] == "2" and listed[2].endswith("admin         current")
    assert listed[3].split()[0] == "1" and listed[3].endswith(f"retired {TODAY}")
    assert two.fingerprint in listed[2] and one.fingerprint in listed[3]
    # only admins rotate
    code, _, err = keys(
        capsys, monkeypatch, sqlite_url, "rotate", "--district", "东湖区", user="alice"
    )
    assert code == 1 and "needs an administrator" in err and len(key_rows(world.store)) == 2


def test_a_revoked_key_s_slips_are_not_valid(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    outcomes = decide_all(world)
    assert keys(capsys, monkeypatch, sqlite_url, "init", "--district", "东湖区")[0] == 0
    slip = print_slip(world, outcomes["approval"], tmp_path)
    # an RD1 slip (no key number) from the same key, as printed before keys were numbered
    legacy = signing.sign_payload(
        signing.parse_payload_unverified(slip),
        signing.load_private_key_file(printing.key_path("360102")),
    )

    # Revoking the current key: its slips stop verifying, nothing prints with it.
    code, out, err = keys(
        capsys, monkeypatch, sqlite_url, "revoke", "--district", "东湖区", "--key", "1",
        "--reason", "电脑被盗",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        f"revoked: key 1 of 东湖区 (360102) on {TODAY}: 电脑被盗; slips signed with it no "
        "longer verify (exit 3)",
        f"kept aside: {printing.key_path('360102')} -> "
        f"{printing.retired_keys_dir() / '360102.1.key'}",
        f"kept aside: {printing.key_path('360102').with_suffix('.pub')} -> "
        f"{printing.retired_keys_dir() / '360102.1.pub'}",
        "district 东湖区 has no signing key now: run reviewdesk keys init --district 东湖区 "
        "--user ADMIN",
    ]
    for text in (slip, legacy):
        code, out, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", text)
        assert code == 3, (out, err)
        assert out.splitlines()[0] == (
            f"signed with key 1, revoked on {TODAY}: 电脑被盗 - this slip is not valid "
            "(district 东湖区, 360102)"
        )
        assert f"key:      1 (REVOKED on {TODAY}: 电脑被盗)" in out
        assert "decision: in force" in out  # the decision stands; the slip does not
    assert not printing.key_path("360102").exists()
    assert district_pem(world.store) is None
    with pytest.raises(NoSigningKey, match="has no signing key"):
        print_cases(world.store, world.alice, [outcomes["missing"]])
    assert key_journal(world.store)[-1] == (
        "keys_revoke",
        "admin",
        {
            "district": "360102",
            "key_id": 1,
            "fingerprint": key_rows(world.store)[0].fingerprint,
            "reason": "电脑被盗",
            "was_current": True,
        },
    )

    # A new key (2), rotated (3): revoking the retired key 2 invalidates its slips only.
    assert keys(capsys, monkeypatch, sqlite_url, "init", "--district", "东湖区")[0] == 0
    second = print_slip(world, outcomes["missing"], tmp_path)
    assert keys(capsys, monkeypatch, sqlite_url, "rotate", "--district", "东湖区")[0] == 0
    third = print_slip(world, outcomes["rejection"], tmp_path)
    code, out, err = keys(
        capsys, monkeypatch, sqlite_url, "revoke", "--district", "360102", "--key", "2",
        "--reason", "私钥外泄",
    )  # fmt: skip
    assert code == 0 and len(out.splitlines()) == 1, (out, err)
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "verify-slip", second)
    assert code == 3 and out.startswith(f"signed with key 2, revoked on {TODAY}: 私钥外泄")
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "verify-slip", third)
    assert code == 0 and "issued under key 3 of district 东湖区" in out
    assert [k.key_id for k in key_rows(world.store) if k.revoked_at is None] == [3]
    assert district_pem(world.store) == key_rows(world.store)[2].public_key_pem

    code, _, err = keys(
        capsys, monkeypatch, sqlite_url, "revoke", "--district", "东湖区", "--key", "2",
        "--reason", "again",
    )  # fmt: skip
    assert code == 1 and err == (
        f"key 2 of district 东湖区 was already revoked on {TODAY}: 私钥外泄"
    )
    code, _, err = keys(
        capsys, monkeypatch, sqlite_url, "export", "--district", "东湖区", "--key", "2"
    )
    assert code == 1 and "was revoked" in err and "not given out" in err


def test_a_key_file_of_one_district_never_validates_another_s_slip(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    outcomes = decide_all(world)
    for district in ("东湖区", "青山湖区"):
        assert keys(capsys, monkeypatch, sqlite_url, "init", "--district", district)[0] == 0
    slip = print_slip(world, outcomes["approval"], tmp_path)
    other_pub = tmp_path / "青山湖区.pub"
    other_pub.write_bytes(printing.export_public_key(world.store, "青山湖区")[1])

    # Someone holding 青山湖区's private key makes a slip that says 东湖区.
    payload = signing.parse_payload_unverified(slip)
    other_key = signing.load_private_key_file(printing.key_path("360111"))
    forged = signing.sign_payload(payload, other_key)
    for text in (forged, slip):
        proc = run_process("verify-slip", text, "--key", str(other_pub))
        assert proc.returncode == 2, proc.stdout
        assert proc.stdout == "" and "signed by" not in proc.stderr
        assert proc.stderr.strip() == (
            f"the key file {other_pub} is district 360111 青山湖区's key but this slip names "
            "district 360102: a key of one district never validates another's slips; check it "
            "with district 360102's public key (reviewdesk keys export --district 360102)"
        )
    keyed_forgery = signing.sign_payload(payload, other_key, key_id=1)
    proc = run_process("verify-slip", keyed_forgery, "--key", str(other_pub))
    assert proc.returncode == 2 and proc.stderr.startswith(f"the key file {other_pub} is district")
    # Against the store a forgery is a forgery.
    for text in (forged, keyed_forgery):
        code, _, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", text)
        assert code == 1 and err.startswith("signature invalid"), err
    # A plain PEM (no header) is accepted, but the output says the district is not checked.
    plain = tmp_path / "plain.pem"
    text = other_pub.read_text(encoding="utf-8")
    plain.write_text(text[text.index("-----BEGIN") :], encoding="ascii")
    proc = run_process("verify-slip", forged, "--key", str(plain))
    assert proc.returncode == 0, proc.stderr
    assert "district 东湖区" not in proc.stdout and "issued under" not in proc.stdout
    assert proc.stdout.splitlines()[0] == "signature ok: matches the public key in plain.pem"
    assert (
        "district: NOT CHECKED - plain.pem is a plain PEM that does not say whose key it is: "
        "make sure it is district 360102's"
    ) in proc.stdout

    # Another key of the same district: the slip names its key, the file says which it holds.
    assert keys(capsys, monkeypatch, sqlite_url, "rotate", "--district", "东湖区")[0] == 0
    current = tmp_path / "东湖区.pub"
    current.write_bytes(printing.export_public_key(world.store, "东湖区")[1])
    proc = run_process("verify-slip", slip, "--key", str(current))
    assert proc.returncode == 2 and "signed with key 1 of district 360102" in proc.stderr
    assert "--district 360102 --key 1" in proc.stderr
    earlier = tmp_path / "东湖区-1.pub"
    earlier.write_bytes(printing.export_public_key(world.store, "东湖区", 1)[1])
    proc = run_process("verify-slip", slip, "--key", str(earlier))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        "signature ok: genuine, issued under key 1 of district 东湖区 (360102)"
    )
    # The key file is read boundedly, like standard input.
    big = tmp_path / "big.pub"
    big.write_bytes(b"#" * 100_000)
    code, _, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", slip, "--key", str(big))
    assert code == 2 and err.startswith(f"cannot read the public key {big}: longer than")


def test_a_released_store_s_key_becomes_key_1_and_its_slips_still_verify(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """The 0003 fixture with a key for 西湖区 (as `keys init` of that release left it: a
    plain PEM file, the public key in districts) and a slip printed then (RD1)."""
    db = tmp_path / "store.db"
    shutil.copyfile(FIXTURE, db)
    shutil.copytree(FIXTURE.with_name("store-0003.blobs"), tmp_path / "store.blobs")
    url = f"sqlite:///{db}"
    private_pem, public_pem = generate_keypair()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE districts SET public_key_pem = ? WHERE code = '360103'",
            (public_pem.decode("ascii"),),
        )
    conn.close()
    printing.keys_dir().mkdir(parents=True)
    printing.key_path("360103").write_bytes(private_pem)
    released = signing.sign_payload(
        SlipPayload(
            case_no="202636010300001",  # approved by li.na (R0003) on 2026-12-07
            round=1,
            outcome="approve",
            date="2026-12-07",
            reviewer_code="R0003",
            serial="360103261207-000001",
            district_code="360103",
        ),
        private_pem,
    )
    assert released.startswith("RD1*")

    assert main(["init", "--db", url]) == 0
    assert "database ready" in capsys.readouterr().out
    code, out, err = keys(capsys, monkeypatch, url, "list", "--district", "西湖区", user=None)
    assert code == 0, err
    [title, _head, row] = out.splitlines()
    assert title == "district 西湖区 (360103): 1 key(s)"
    assert row.split()[:2] == ["1", signing.key_fingerprint(public_pem)] and row.endswith("current")
    code, out, err = keys(capsys, monkeypatch, url, "list", "--district", "东湖区", user=None)
    assert code == 1 and "has no signing key" in err

    code, out, err = run(capsys, monkeypatch, url, "verify-slip", released)
    assert code == 0, (out, err)
    assert (
        out.splitlines()[0]
        == "signature ok: genuine, issued under key 1 of district 西湖区 (360103)"
    )
    assert "not named on the slip (printed before keys were numbered)" in out
    assert "decision: in force" in out

    monkeypatch.setenv("REVIEWDESK_PASSWORD", "demo-admin-2026")
    assert main(["keys", "rotate", "--district", "西湖区", "--user", "admin", "--db", url]) == 0
    assert "key 2 of 西湖区 (360103) is current" in capsys.readouterr().out
    assert (printing.retired_keys_dir() / "360103.1.key").read_bytes() == private_pem
    code, out, err = run(capsys, monkeypatch, url, "verify-slip", released)
    assert code == 0, (out, err)
    assert out.splitlines()[0] == (
        f"signature ok: genuine, issued under key 1 of district 西湖区 (360103) (retired on {TODAY})"
    )
    assert main(["audit", "verify", "--db", url]) == 0
    # 28 + the admin's login + keys_rotate
    assert capsys.readouterr().out.strip() == "journal intact: 30 entries"


# --- the store: migration 0004, and a store that has the current key only --------------


def test_migration_0004_copies_each_district_key_as_key_1(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url, tmp_path / "blobs")
    migrate.upgrade(store, "0003")
    made_by_boss, made_unknown = generate_keypair()[1], generate_keypair()[1]
    with store.write() as s:
        ensure_districts(s)
        s.flush()
        for code, pem in (("360102", made_by_boss), ("360103", made_unknown)):
            d = s.get(District, code)
            assert d is not None
            d.public_key_pem = pem.decode("ascii")
        # Written as the version at 0003 wrote it (its journal had no key marks yet).
        now = journal.store_now(s)
        entry = JournalEntry(
            seq=1,
            entry_id="00000000-0000-4000-8000-000000000001",
            actor="boss",
            workstation="ws-old",
            device_time=now,
            store_time=now,
            action="keys_init",
            case_id=None,
            payload={"district": "360102", "fingerprint": signing.key_fingerprint(made_by_boss)},
            prev_hash=journal.GENESIS,
            hash="",
        )
        entry.hash = journal.entry_hash(entry)
        old_columns = [c for c in JournalEntry.__table__.columns if c.key not in ("mac",)]
        s.execute(
            JournalEntry.__table__.insert().values({c: getattr(entry, c.key) for c in old_columns})
        )
    with store.read() as s:
        entry_time = s.scalars(select(JournalEntry.store_time)).one()
    migrate.upgrade(store)
    boss, unknown = key_rows(store, "360102"), key_rows(store, "360103")
    assert [(r.key_id, r.fingerprint, r.created_by, r.created_at) for r in boss] == [
        (1, signing.key_fingerprint(made_by_boss), "boss", entry_time)
    ]
    assert [(r.key_id, r.fingerprint, r.created_by) for r in unknown] == [
        (1, signing.key_fingerprint(made_unknown), None)
    ]
    assert unknown[0].public_key_pem == made_unknown.decode("ascii")
    assert key_rows(store, "360104") == []
    assert district_pem(store, "360102") == made_by_boss.decode("ascii")  # still in step
    migrate.downgrade(store, "0003")
    assert district_pem(store, "360102") == made_by_boss.decode("ascii")
    store.dispose()


def test_a_store_with_the_current_key_only_verifies_what_it_can(  # type: ignore[no-untyped-def]
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    """A workstation of a central store pulls districts (the current key), not the key
    list: slips of the current key verify, earlier ones are sent to the central store."""
    outcomes = decide_all(world)
    printing.init_district_key(world.store, "东湖区", actor=world.admin)
    old = print_slip(world, outcomes["approval"], tmp_path)
    printing.rotate_district_key(world.store, "东湖区", actor=world.admin)
    new = print_slip(world, outcomes["missing"], tmp_path)
    assert printing.verify_slip(world.store, old).key_state == printing.KEY_RETIRED
    with world.store.write() as s:
        s.execute(delete(models.DistrictKey))
    checked = printing.verify_slip(world.store, new)
    assert (checked.key_id, checked.key_list_known, checked.in_force) == (2, False, True)
    with pytest.raises(printing.NotCheckableHere, match="this store has the current key only"):
        printing.verify_slip(world.store, old)
    assert issubclass(printing.NotCheckableHere, SignatureInvalid)  # never taken as genuine
    code, out, err = run(capsys, monkeypatch, sqlite_url, "verify-slip", old)
    assert (code, out) == (2, "") and err.startswith(
        "cannot check this slip here: it does not match district 东湖区's current key "
        "(the slip names key 1), and this store has the current key only: check it against "
        "the central store"
    )
    # and printing there names the key from the key file's header
    assert (
        signing.parse_slip_unverified(print_slip(world, outcomes["rejection"], tmp_path)).key_id
        == 2
    )


def test_revoking_needs_a_reason_and_an_existing_key(world: World) -> None:
    printing.init_district_key(world.store, "东湖区", actor=world.admin)
    with pytest.raises(printing.PrintError, match="needs a reason"):
        printing.revoke_district_key(world.store, "东湖区", 1, reason="  ", actor=world.admin)
    with pytest.raises(printing.PrintError, match=r"has no key 7 \(its keys: 1\)"):
        printing.revoke_district_key(world.store, "东湖区", 7, reason="x", actor=world.admin)
    with pytest.raises(printing.PrintError, match="needs an administrator"):
        printing.revoke_district_key(world.store, "东湖区", 1, reason="x", actor=world.alice)
    assert [r.revoked_at for r in key_rows(world.store)] == [None]


def test_init_rotate_revoke_and_verify_on_both_backends(store: Store, tmp_path: Path) -> None:
    world = build_world(store, tmp_path, n_cases=1)
    printing.init_district_key(store, "东湖区", actor=world.admin)
    payload = SlipPayload(
        case_no=world.cases[0],
        round=1,
        outcome="approve",
        date=TODAY,
        reviewer_code="R0002",
        serial="360102261207-000001",
        district_code="360102",
    )
    with store.read() as s:
        d = s.get(District, "360102")
        assert d is not None
        signer = printing.district_signer(s, d)
    assert signer.key_id == 1
    first = signing.sign_payload(payload, signer.key, key_id=signer.key_id)
    rotated = printing.rotate_district_key(store, "360102", actor=world.admin)
    assert rotated.key_id == 2 and rotated.retired is not None
    checked = printing.verify_slip(store, first)
    assert (checked.key_id, checked.key_state) == (1, printing.KEY_RETIRED)
    assert checked.key_retired_on == china_today() and not checked.dated_after_retirement
    revoked = printing.revoke_district_key(store, "东湖区", 1, reason="泄露", actor=world.admin)
    assert not revoked.was_current and revoked.key.state == printing.KEY_REVOKED
    checked = printing.verify_slip(store, first)
    assert checked.key_revoked and not checked.in_force and checked.key_revoked_reason == "泄露"
    name, listed = printing.list_district_keys(store, "东湖区")
    assert name == "东湖区" and [(k.key_id, k.state) for k in listed] == [
        (2, printing.KEY_CURRENT),
        (1, printing.KEY_REVOKED),
    ]
    exported = signing.parse_public_key_file(printing.export_public_key(store, "东湖区")[1])
    assert (exported.header.district_code, exported.header.key_id) == ("360102", 2)
    assert district_pem(store) == rotated.public_pem.decode("ascii")
    assert [a for a, _u, _p in key_journal(store)] == ["keys_init", "keys_rotate", "keys_revoke"]
