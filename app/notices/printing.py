"""Issuing printed notices: district signing keys, notice data from final decisions, print records.

Qt-free. The flow of one print job (see docs/printing.md):

1. *plan* in a read transaction: which cases, their final decisions, the copy number of
   each notice and its serial, and the signed notice data;
2. *render* the PDF with no transaction open (rendering takes ~13 ms a page: holding the
   SQLite write lock that long would stall every other writer);
3. *record* in ONE write transaction: plan again under the print lock, and only if the
   fresh plan is identical (same serials, same copy numbers, same data) insert one
   :class:`~reviewdb.models.NoticePrint` row and one ``print`` journal entry per notice,
   stamp them and commit. If another workstation printed in between, the plan differs
   and the job is planned and rendered again. The PDF is handed out only after the
   commit, so a failed commit never leaves an unrecorded notice in anyone's hands.

Serials are ``<district code><yymmdd>-<6 digits>`` (the print day in China time),
allocated per district and day without gaps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from app import config
from app.auth import Actor
from app.domain import CaseKind, Stage
from app.notices import (
    NoticeData,
    NoticeError,
    TemplateName,
    current_template_version,
    render_batch,
)
from app.notices.signing import (
    PrivateKeyFile,
    SignatureInvalid,
    SignedSlip,
    SlipPayload,
    generate_keypair,
    parse_slip_unverified,
    public_key_file_text,
    public_pem_of,
    read_private_key_file,
    save_keypair,
    sign_payload,
    verify_slip_text,
)
from app.notices.signing import key_fingerprint as key_fingerprint  # re-exported
from app.policy.loader import policy_for
from app.review.cases import CaseNotFound, resolve_case_id
from app.review.reasons import reason_map
from reviewdb import changes, journal
from reviewdb.engine import Store
from reviewdb.errors import Refusal
from reviewdb.models import (
    Application,
    Case,
    Decision,
    District,
    DistrictKey,
    NoticePrint,
    School,
    User,
)

# China has one time zone and no daylight saving: dates on notices are Beijing dates.
CHINA_TZ: Final = dt.timezone(dt.timedelta(hours=8), "CST")
FINAL_STATES: Final = ("accepted", "confirmed")
OUTCOME_TEMPLATES: Final[dict[str, TemplateName]] = {
    "approve": "approval",
    "reject": "rejection",
    "return": "missing",
}
# What a slip's outcome says, in Chinese and English (verify-slip prints both).
OUTCOME_WORDS: Final[dict[str, tuple[str, str]]] = {
    "approve": ("审核通过", "approved"),
    "reject": ("审核不通过", "rejected"),
    "return": ("退回补充材料", "returned: documents missing"),
    "onsite": ("现场审核回执", "on-site verification receipt"),
}
PLAN_ATTEMPTS: Final = 3
MAX_DPI: Final = 600.0
# Serialises serial allocation on PostgreSQL (SQLite writers are serialised already).
_PG_PRINT_LOCK: Final = 0x52445F5052494E54  # "RD_PRINT"

Progress = Callable[[int, int], None]  # (notices rendered, notices in the job)
Cancelled = Callable[[], bool]
Deliver = Callable[[bytes], None]


# --------------------------------------------------------------------------- errors


class PrintError(Refusal):
    """A print request refused or impossible, explained in one line for people."""


class NoSigningKey(PrintError):
    """The district has no key pair on this workstation (or in the store)."""


class NoFinalDecision(PrintError):
    """The case's current round has no final decision (accepted or confirmed)."""


class AlreadyPrinted(PrintError):
    """The notice for this decision was printed before; a reprint needs a reason."""

    def __init__(self, case_no: str, serial: str, copies: int) -> None:
        super().__init__(
            f"{case_no} was already printed (serial {serial}, copy {copies}): "
            f"give a reprint reason to print copy {copies + 1} (补打)"
        )
        self.case_no = case_no
        self.serial = serial
        self.copies = copies


class NothingToPrint(PrintError):
    """A batch selected no notice."""


class NotCheckableHere(SignatureInvalid):
    """The slip does not match the district's current key, and this store (a workstation's
    copy) does not keep the district's earlier keys: only the central store can tell a
    slip of a retired or revoked key from a forgery."""


class KeyExists(PrintError):
    """``keys init`` for a district that has a current key (a rotation replaces it), or a
    private key file on this computer that is none of the store's keys."""


# ----------------------------------------------------------------------------- keys

# What a district key is now (DistrictKey rows; see docs/printing.md "District keys").
KEY_CURRENT, KEY_RETIRED, KEY_REVOKED = "current", "retired", "revoked"
MAX_REVOKE_REASON: Final = 200


def keys_dir() -> Path:
    """Where this workstation keeps district private keys."""
    return config.data_dir() / "keys"


def key_path(district_code: str) -> Path:
    """The district's current private key file: the only one printing signs with."""
    return keys_dir() / f"{district_code}.key"


def retired_keys_dir() -> Path:
    """Where the private key files of retired and revoked keys are kept (never deleted,
    never used to print)."""
    return keys_dir() / "retired"


def _district(session: Session, ref: str, *, for_update: bool = False) -> District:
    found = session.get(District, ref, with_for_update=for_update)
    if found is None:
        code = session.scalars(select(District.code).where(District.name == ref)).first()
        if code is not None:
            found = session.get(District, code, with_for_update=for_update)
    if found is None:
        raise PrintError(f"unknown district {ref} (give its code or name)")
    return found


@dataclass(frozen=True)
class KeyInfo:
    """One key of a district as ``keys list`` shows it."""

    district_code: str
    district_name: str
    key_id: int
    fingerprint: str
    created_at: dt.datetime
    created_by: str | None
    retired_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_reason: str | None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return KEY_REVOKED
        return KEY_RETIRED if self.retired_at is not None else KEY_CURRENT

    @classmethod
    def of(cls, row: DistrictKey, district_name: str) -> KeyInfo:
        return cls(
            row.district_code,
            district_name,
            row.key_id,
            row.fingerprint,
            row.created_at,
            row.created_by,
            row.retired_at,
            row.revoked_at,
            row.revoked_reason,
        )


@dataclass(frozen=True)
class NewKey:
    """A key made by ``keys init`` or ``keys rotate``."""

    path: Path  # the private key file (this computer)
    public_pem: bytes
    key_id: int
    district_code: str
    district_name: str
    retired: KeyInfo | None = None  # the key a rotation retired
    set_aside: tuple[tuple[Path, Path], ...] = ()  # key files moved out of the way (from, to)

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_pem)


@dataclass(frozen=True)
class RevokedKey:
    """A key ``keys revoke`` revoked."""

    key: KeyInfo
    was_current: bool
    set_aside: tuple[tuple[Path, Path], ...] = ()


def china_day(when: dt.datetime) -> dt.date:
    """The Beijing date of a stored (UTC) time."""
    return when.astimezone(CHINA_TZ).date()


def _keys_of(session: Session, code: str) -> list[DistrictKey]:
    """The district's keys, newest first."""
    return list(
        session.scalars(
            select(DistrictKey)
            .where(DistrictKey.district_code == code)
            .order_by(DistrictKey.key_id.desc())
        )
    )


def _current(rows: Sequence[DistrictKey]) -> DistrictKey | None:
    """The current key: the newest neither retired nor revoked."""
    return next((r for r in rows if r.retired_at is None and r.revoked_at is None), None)


def _keep_in_step(district: District, rows: Sequence[DistrictKey]) -> None:
    """``districts.public_key_pem`` is the current key's (what workstations pull and what
    printing checks the private key file against), or NULL without one."""
    current = _current(rows)
    district.public_key_pem = current.public_key_pem if current is not None else None


def _require_admin(actor: Actor | None, what: str) -> None:
    if actor is None:
        raise PrintError(f"{what} needs an administrator: give --user ADMIN")
    if actor.role != "admin":
        raise PrintError(f"{what} needs an administrator ({actor.username} is a {actor.role})")


def _journal_key_change(
    session: Session, actor: Actor | None, action: str, payload: dict[str, object]
) -> None:
    value = changes.next_value(session)  # the counter before the journal (lock order)
    journal.append(
        session,
        action=action,
        actor=actor.username if actor else None,
        workstation=actor.workstation if actor else config.workstation_id(),
        payload=payload,
        change_seq=value,
    )


def _file_fingerprint(path: Path) -> str | None:
    """The fingerprint of the private key in ``path`` (None: unreadable, not a key)."""
    try:
        return key_fingerprint(public_pem_of(read_private_key_file(path).key))
    except (OSError, ValueError, TypeError):
        return None


def _aside_name(code: str, rows: Sequence[DistrictKey], path: Path) -> tuple[Path, bool]:
    """Where the private key file ``path`` goes when it stops being the district's current
    key, and whether it is one of the store's keys: ``retired/<code>.<N>.key`` for key N,
    ``retired/<code>.replaced-<time>.key`` for a file the store does not know."""
    fingerprint = _file_fingerprint(path)
    known = next((r for r in rows if r.fingerprint == fingerprint), None)
    stem = (
        f"{code}.{known.key_id}"
        if known is not None
        else f"{code}.replaced-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}"
    )
    target = retired_keys_dir() / f"{stem}.key"
    while target.exists():  # never overwrite a kept key file
        target = target.with_name(f"{stem}-{uuid.uuid4().hex[:6]}.key")
    return target, known is not None


def _plan_set_aside(
    district: District, rows: Sequence[DistrictKey], *, overwrite: bool, only: str | None = None
) -> list[tuple[Path, Path]]:
    """The moves that take this computer's ``<code>.key``/``.pub`` out of the way.

    A file that is one of the store's keys goes to ``retired/`` under its number; one the
    store does not know is refused unless ``overwrite`` (then kept as ``replaced-…``).
    With ``only`` (a fingerprint) only a file holding that key is moved.
    """
    path = key_path(district.code)
    if not path.exists():
        return []
    if only is not None and _file_fingerprint(path) != only:
        return []
    target, known = _aside_name(district.code, rows, path)
    if not known and not overwrite:
        raise KeyExists(
            f"{path} holds a private key that is none of district {district.name}'s keys in "
            "this store (copied from another store?): move it away, or give --overwrite to "
            f"keep it as {target.name} in {target.parent}"
        )
    moves = [(path, target)]
    public = path.with_suffix(".pub")
    if public.exists():
        moves.append((public, target.with_suffix(".pub")))
    return moves


def _move_files(moves: Iterable[tuple[Path, Path]]) -> None:
    for source, target in moves:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(target.parent, 0o700)
        os.replace(source, target)


def _make_key(
    store: Store,
    district: str,
    *,
    actor: Actor | None,
    rotate: bool,
    overwrite: bool,
) -> NewKey:
    """``keys init`` and ``keys rotate``: one write transaction makes the new key current
    (retiring the old one when rotating), keeps ``districts.public_key_pem`` in step and
    journals it; the key files are written to a staging folder inside it and moved into
    place only after the commit, so a failure leaves neither half without the other."""
    private_pem, public_pem = generate_keypair()
    fingerprint = key_fingerprint(public_pem)
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    staging = directory / f".new-{uuid.uuid4().hex}"
    try:
        with store.write() as s:
            d = _district(s, district, for_update=True)
            rows = _keys_of(s, d.code)
            current = _current(rows)
            if not rows and d.public_key_pem:
                # Only a workstation of a central store has a public key but no key list.
                raise PrintError(
                    f"this store has district {d.name}'s current public key but not its key "
                    "list: make and rotate keys at the central store (--db CENTRAL_URL)"
                )
            if rotate and current is None:
                raise NoSigningKey(
                    f"district {d.name} has no current signing key to rotate: "
                    f"run reviewdesk keys init --district {d.name} --user ADMIN"
                )
            if not rotate and current is not None:
                raise KeyExists(
                    f"district {d.name} already has a signing key (key {current.key_id}, "
                    f"{current.fingerprint}): to replace it, rotate it with reviewdesk keys "
                    f"rotate --district {d.name} --user ADMIN (slips it signed keep verifying)"
                )
            moves = _plan_set_aside(d, rows, overwrite=overwrite)
            key_id = max((r.key_id for r in rows), default=0) + 1
            new_key, new_pub = save_keypair(
                private_pem, public_pem, staging, d.code, key_id=key_id, district_name=d.name
            )
            now = journal.store_now(s)
            retired = None
            if current is not None:
                current.retired_at = now
                retired = KeyInfo.of(current, d.name)
            row = DistrictKey(
                district_code=d.code,
                key_id=key_id,
                public_key_pem=public_pem.decode("ascii"),
                fingerprint=fingerprint,
                created_at=now,
                created_by=actor.username if actor else None,
            )
            s.add(row)
            _keep_in_step(d, [row, *rows])
            payload: dict[str, object] = {
                "district": d.code,
                "key_id": key_id,
                "fingerprint": fingerprint,
            }
            if retired is not None:
                payload["retired_key_id"] = retired.key_id
                payload["retired_fingerprint"] = retired.fingerprint
            if moves:
                payload["set_aside"] = [target.name for _source, target in moves]
            _journal_key_change(s, actor, "keys_rotate" if rotate else "keys_init", payload)
            code, name = d.code, d.name
        _move_files(moves)
        final = key_path(code)
        os.replace(new_key, final)
        os.replace(new_pub, final.with_suffix(".pub"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return NewKey(final, public_pem, key_id, code, name, retired, tuple(moves))


def init_district_key(
    store: Store, district: str, *, actor: Actor | None = None, overwrite: bool = False
) -> NewKey:
    """Make the district's first key (or a new one after its current key was revoked):
    private key file (0600) here, public key in the store as key N, journaled.

    Refuses while the district has a current key (:class:`KeyExists`: a rotation replaces
    it) and when ``actor`` is not an administrator. ``actor=None`` is for set-up code
    and tests (journaled without an actor); the command line always names an admin.
    ``overwrite`` sets aside (keeps, as ``retired/<code>.replaced-<time>.key``) a private
    key file on this computer that is none of the store's keys; without it that is
    refused.
    """
    if actor is not None:
        _require_admin(actor, "keys init")
    return _make_key(store, district, actor=actor, rotate=False, overwrite=overwrite)


def rotate_district_key(
    store: Store, district: str, *, actor: Actor, overwrite: bool = False
) -> NewKey:
    """A new current key for the district; the old one is retired (its slips still verify
    as issued under a retired key) and its private key file here moves to
    ``retired/<code>.<N>.key``, so nothing prints with it. Needs an administrator."""
    _require_admin(actor, "keys rotate")
    return _make_key(store, district, actor=actor, rotate=True, overwrite=overwrite)


def _clean_revoke_reason(reason: str) -> str:
    text_ = " ".join(reason.split())
    if not text_:
        raise PrintError("a revocation needs a reason (--reason TEXT)")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text_):
        raise PrintError("the revocation reason contains control characters; retype it")
    if len(text_) > MAX_REVOKE_REASON:
        raise PrintError(f"the revocation reason is longer than {MAX_REVOKE_REASON} characters")
    return text_


def revoke_district_key(
    store: Store, district: str, key_id: int, *, reason: str, actor: Actor
) -> RevokedKey:
    """Revoke key ``key_id`` of the district: slips it signed no longer verify (they say
    so, exit 3). Revoking the current key leaves the district without one until an admin
    runs ``keys init``; its private key file here moves to ``retired/``. Needs an
    administrator; journaled."""
    _require_admin(actor, "keys revoke")
    why = _clean_revoke_reason(reason)
    with store.write() as s:
        d = _district(s, district, for_update=True)
        rows = _keys_of(s, d.code)
        row = next((r for r in rows if r.key_id == key_id), None)
        if row is None:
            known = ", ".join(str(r.key_id) for r in reversed(rows)) or "none"
            raise PrintError(f"district {d.name} has no key {key_id} (its keys: {known})")
        if row.revoked_at is not None:
            raise PrintError(
                f"key {key_id} of district {d.name} was already revoked on "
                f"{china_day(row.revoked_at):%Y-%m-%d}: {row.revoked_reason}"
            )
        was_current = _current(rows) is row
        moves = _plan_set_aside(d, rows, overwrite=False, only=row.fingerprint)
        row.revoked_at = journal.store_now(s)
        row.revoked_reason = why
        _keep_in_step(d, rows)
        _journal_key_change(
            s,
            actor,
            "keys_revoke",
            {
                "district": d.code,
                "key_id": key_id,
                "fingerprint": row.fingerprint,
                "reason": why,
                "was_current": was_current,
            },
        )
        info = KeyInfo.of(row, d.name)
    _move_files(moves)
    return RevokedKey(info, was_current, tuple(moves))


def list_district_keys(store: Store, district: str) -> tuple[str, list[KeyInfo]]:
    """The district's name and keys, newest first."""
    with store.read() as s:
        d = _district(s, district)
        rows = _keys_of(s, d.code)
        if not rows:
            if d.public_key_pem:
                raise PrintError(
                    f"this store has district {d.name}'s current public key "
                    f"({key_fingerprint(d.public_key_pem)}) but not its key list: "
                    "list the keys at the central store (--db CENTRAL_URL)"
                )
            raise NoSigningKey(_no_key_message(d.name))
        return d.name, [KeyInfo.of(r, d.name) for r in rows]


def export_public_key(store: Store, district: str, key_id: int | None = None) -> tuple[str, bytes]:
    """A public key file for schools (default: the district's current key) and the
    district's name. The file's header names district, key number and fingerprint, so
    ``verify-slip --key`` refuses it for another district's slips. A revoked key is not
    exported: nothing it signed is valid."""
    with store.read() as s:
        d = _district(s, district)
        rows = _keys_of(s, d.code)
        if key_id is None:
            row = _current(rows)
            if row is None:
                if not rows and d.public_key_pem:  # a workstation: the current key only
                    text_ = public_key_file_text(
                        d.public_key_pem.encode("ascii"), district_code=d.code, district_name=d.name
                    )
                    return d.name, text_
                raise NoSigningKey(_no_key_message(d.name))
        else:
            row = next((r for r in rows if r.key_id == key_id), None)
            if row is None:
                raise PrintError(f"district {d.name} has no key {key_id}")
            if row.revoked_at is not None:
                raise PrintError(
                    f"key {key_id} of district {d.name} was revoked on "
                    f"{china_day(row.revoked_at):%Y-%m-%d} ({row.revoked_reason}): "
                    "slips it signed are not valid, so it is not given out"
                )
        return d.name, public_key_file_text(
            row.public_key_pem.encode("ascii"),
            district_code=d.code,
            district_name=d.name,
            key_id=row.key_id,
        )


def _no_key_message(name: str) -> str:
    return (
        f"district {name} has no signing key: "
        f"run reviewdesk keys init --district {name} --user ADMIN"
    )


def _signing_file(district: District) -> PrivateKeyFile:
    """The district's private key file here, checked against the store's current key."""
    path = key_path(district.code)
    if not district.public_key_pem or not path.exists():
        raise NoSigningKey(_no_key_message(district.name))
    try:
        found = read_private_key_file(path)
    except (OSError, ValueError, TypeError) as exc:
        raise NoSigningKey(f"cannot read the signing key {path}: {exc}") from exc
    named = found.header.district_code
    if named is not None and named != district.code:
        raise NoSigningKey(
            f"the signing key {path} is district {named}'s key, not {district.name}'s: "
            f"copy district {district.name}'s current key file to this workstation"
        )
    if public_pem_of(found.key).decode("ascii").strip() != district.public_key_pem.strip():
        raise NoSigningKey(
            f"the signing key {path} does not match district {district.name}'s current public "
            f"key in the store ({key_fingerprint(district.public_key_pem)}): copy the "
            "district's current key file to this workstation (a rotation made a new one)"
        )
    return found


def signing_key(district: District) -> Ed25519PrivateKey:
    """The district's private key on this workstation, checked against the store's public key."""
    return _signing_file(district).key


@dataclass(frozen=True)
class Signer:
    """A district's current private key and its number (None: not known here, and the
    slips are printed in the RD1 form, which verifies by trying the district's keys)."""

    key: Ed25519PrivateKey
    key_id: int | None

    def sign(self, data: NoticeData) -> NoticeData:
        """A copy of ``data`` carrying its signed QR text, naming this key."""
        return dataclasses.replace(
            data, qr_text=sign_payload(data.slip_payload(), self.key, key_id=self.key_id)
        )


def district_signer(session: Session, district: District) -> Signer:
    """The key printing signs with: the store's key list names its number; a workstation
    of a central store (which has the district's current public key only) takes the
    number from the key file's header."""
    found = _signing_file(district)
    assert district.public_key_pem is not None
    fingerprint = key_fingerprint(district.public_key_pem)
    row = session.scalars(
        select(DistrictKey).where(
            DistrictKey.district_code == district.code, DistrictKey.fingerprint == fingerprint
        )
    ).first()
    if row is not None:
        if row.revoked_at is not None or row.retired_at is not None:
            state = "revoked" if row.revoked_at is not None else "retired"
            raise NoSigningKey(
                f"key {row.key_id} of district {district.name} is {state}: nothing is printed "
                f"with it (run reviewdesk keys init or rotate --district {district.name})"
            )
        return Signer(found.key, row.key_id)
    return Signer(found.key, found.header.key_id)


# ---------------------------------------------------------------- verifying slips


# What the store says about the decision behind a genuine slip.
IN_FORCE, UNDONE, SUPERSEDED, UNKNOWN = "in_force", "undone", "superseded", "unknown"
STATE_WORDS = {
    IN_FORCE: "in force",
    UNDONE: "UNDONE - this slip is no longer valid",
    SUPERSEDED: "SUPERSEDED by a later decision - this slip is no longer valid",
    UNKNOWN: "not found in this store (not checked)",
}


@dataclass(frozen=True)
class VerifiedSlip:
    """A slip whose signature held, with what the store knows about it (if asked)."""

    payload: SlipPayload
    district_name: str | None = None
    record: str | None = None  # one line about the print record, when checked against a store
    decision_state: str = UNKNOWN  # IN_FORCE, UNDONE, SUPERSEDED or UNKNOWN
    printed: bool = False  # a print record with the slip's serial exists
    source: str = "this store"  # what the state was checked against
    key_id: int | None = None  # the district key that signed it (None: not known here)
    key_state: str = KEY_CURRENT  # KEY_CURRENT, KEY_RETIRED or KEY_REVOKED
    key_retired_on: dt.date | None = None  # Beijing dates
    key_revoked_on: dt.date | None = None
    key_revoked_reason: str | None = None
    key_named: bool = True  # False: an RD1 slip; its key was found by trying the district's
    key_list_known: bool = True  # False: this store has the district's current key only

    @property
    def key_revoked(self) -> bool:
        return self.key_state == KEY_REVOKED

    @property
    def in_force(self) -> bool:
        """Genuine, signed with a key that was not revoked, and its decision stands."""
        return self.decision_state == IN_FORCE and not self.key_revoked

    @property
    def dated_after_retirement(self) -> bool:
        """The slip's date is later than the day its key was retired (a workstation that
        had not synced yet may have printed it — or a stolen retired key)."""
        return (
            self.key_retired_on is not None
            and dt.date.fromisoformat(self.payload.date) > self.key_retired_on
        )


def _check_signature(
    district: District, rows: Sequence[DistrictKey], slip_text: str, key_id: int | None
) -> tuple[SignedSlip, DistrictKey | None]:
    """The slip checked with the key it names, or (an RD1 slip) with the district's keys
    newest first. ``None`` as the key: this store has the current public key only."""
    if not rows:
        if not district.public_key_pem:
            raise NoSigningKey(_no_key_message(district.name))
        try:
            return verify_slip_text(slip_text, district.public_key_pem.encode("ascii")), None
        except SignatureInvalid as exc:
            named = f" (the slip names key {key_id})" if key_id is not None else ""
            raise NotCheckableHere(
                f"it does not match district {district.name}'s current key{named}, and this "
                "store has the current key only: check it against the central store "
                "(--db CENTRAL_URL), which keeps the district's earlier keys; if it fails "
                "there too, it is forged or altered"
            ) from exc
    if key_id is not None:
        row = next((r for r in rows if r.key_id == key_id), None)
        if row is None:
            raise SignatureInvalid(f"district {district.name} has no key {key_id}")
        try:
            return verify_slip_text(slip_text, row.public_key_pem.encode("ascii")), row
        except SignatureInvalid as exc:
            raise SignatureInvalid(
                f"signature does not match key {key_id} of district {district.name}"
            ) from exc
    for row in rows:
        try:
            return verify_slip_text(slip_text, row.public_key_pem.encode("ascii")), row
        except SignatureInvalid:
            continue
    raise SignatureInvalid(f"signature does not match any key of district {district.name}")


def verify_slip(store: Store, slip_text: str) -> VerifiedSlip:
    """Check a scanned slip with its district's keys in the store, and what the store
    knows of it: the key (current, retired or revoked), the print record with its serial
    and the decision behind it.

    A slip naming its key (RD2) is checked with that key only; an older one (RD1) with
    each of the district's keys, newest first. Raises :class:`SignatureInvalid` for any
    altered text, :class:`NoSigningKey` when the store has no key for the slip's district.
    """
    claimed = parse_slip_unverified(slip_text)
    with store.read() as s:
        d = s.get(District, claimed.payload.district_code)
        if d is None:
            raise SignatureInvalid(f"unknown district {claimed.payload.district_code}")
        rows = _keys_of(s, d.code)
        signed, key = _check_signature(d, rows, slip_text, claimed.key_id)
        payload = signed.payload
        row = s.scalars(select(NoticePrint).where(NoticePrint.serial == payload.serial)).first()
        record = "no print record with this serial in the store"
        if row is not None:
            who = s.get(User, row.printed_by)
            record = (
                f"recorded: copy {row.copy_no}, printed "
                f"{row.store_time.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} by "
                f"{who.username if who else row.printed_by}"
                + (f" (补打: {row.reprint_reason})" if row.reprint_reason else "")
            )
        state = _slip_decision_state(s, payload, row)
        if key is None:
            return VerifiedSlip(
                payload,
                d.name,
                record,
                state,
                row is not None,
                key_id=signed.key_id,
                key_named=signed.key_id is not None,
                key_list_known=False,
            )
        info = KeyInfo.of(key, d.name)
        return VerifiedSlip(
            payload,
            d.name,
            record,
            state,
            row is not None,
            key_id=key.key_id,
            key_state=info.state,
            key_retired_on=china_day(key.retired_at) if key.retired_at else None,
            key_revoked_on=china_day(key.revoked_at) if key.revoked_at else None,
            key_revoked_reason=key.revoked_reason,
            key_named=signed.key_id is not None,
        )


def _slip_decision_state(session: Session, payload: SlipPayload, row: NoticePrint | None) -> str:
    """Is the decision the slip vouches for still the one that stands?"""
    if payload.outcome == "onsite":
        # A receipt vouches for a visit, not a decision: it stands if it was recorded.
        return IN_FORCE if row is not None else UNKNOWN
    decision = session.get(Decision, row.decision_id) if row and row.decision_id else None
    if decision is None:
        case = session.scalars(select(Case).where(Case.case_no == payload.case_no)).first()
        if case is None:
            return UNKNOWN
        decision = session.scalars(
            select(Decision)
            .where(
                Decision.case_id == case.id,
                Decision.round_no == payload.round,
                Decision.outcome == payload.outcome,
            )
            .order_by(Decision.store_time.desc())
        ).first()
        if decision is None:
            return UNKNOWN
    if decision.state == "undone":
        return UNDONE
    if decision.state == "superseded" or not decision.effective:
        return SUPERSEDED
    return IN_FORCE


# ------------------------------------------------------------------- notice data


def final_decision(session: Session, case: Case) -> Decision | None:
    """The effective decision of the case's current round, if it is final."""
    decision = session.scalars(
        select(Decision).where(
            Decision.case_id == case.id,
            Decision.round_no == case.current_round,
            Decision.effective.is_(True),
        )
    ).first()
    if decision is None or decision.state not in FINAL_STATES:
        return None
    return decision


def decision_day(decision: Decision) -> dt.date:
    """The day a decision became final (confirmation day under four-eyes), in China time."""
    when = decision.store_time
    if decision.state == "confirmed" and decision.confirmed_at is not None:
        when = decision.confirmed_at
    return when.astimezone(CHINA_TZ).date()


def _no_final_decision(session: Session, case: Case) -> NoFinalDecision:
    waiting = session.scalars(
        select(Decision.id).where(
            Decision.case_id == case.id,
            Decision.round_no == case.current_round,
            Decision.effective.is_(True),
            Decision.state == "pending_confirmation",
        )
    ).first()
    hint = " (its decision waits for a supervisor's confirmation)" if waiting else ""
    return NoFinalDecision(f"{case.case_no} has no final decision: nothing to print{hint}")


def _common_fields(session: Session, case: Case) -> dict[str, object]:
    district = session.get(District, case.district_code)
    school = session.get(School, case.school_id)
    application = session.get(Application, case.application_id)
    assert district is not None and school is not None and application is not None
    return {
        "letterhead": district.letterhead,
        "district_name": district.letterhead,
        "district_code": district.code,
        "issuing_office": district.office,
        "seal_text": district.seal_text,
        "contact_phone": district.phone,
        "case_no": case.case_no,
        "kind": CaseKind(case.kind),
        "stage": Stage(application.stage),
        "student_name": case.student_name,
        "student_id": case.student_id_number,
        "school": school.name,
    }


def _decision_notice(
    session: Session,
    case: Case,
    decision: Decision,
    *,
    template: TemplateName | None,
    copy_no: int,
    reprint: bool,
    serial: str,
    signer: Signer,
) -> NoticeData:
    expected = OUTCOME_TEMPLATES[decision.outcome]
    if template is not None and template != expected:
        raise PrintError(
            f"{case.case_no}: a {decision.outcome} decision is printed on the {expected} "
            f"template, not {template}"
        )
    reviewer = session.get(User, decision.reviewer_id)
    assert reviewer is not None
    day = decision_day(decision)
    reasons_field = decision.reasons or {}
    library = reason_map(case.kind)
    reasons = tuple(
        (code, library[code].parent_text if code in library else code)
        for code in reasons_field.get("codes", [])
    )
    missing: tuple[str, ...] = ()
    deadline = None
    if decision.outcome == "return":
        application = session.get(Application, case.application_id)
        assert application is not None
        policy = policy_for(application.city, application.admission_year)
        labels = {i.code: i.label for i in policy.checklists.get(CaseKind(case.kind), ())}
        missing = tuple(labels.get(code, code) for code in reasons_field.get("missing", []))
        deadline = day + dt.timedelta(days=policy.return_deadline_days)
    note = reasons_field.get("note_to_parent") or None
    try:
        data = NoticeData(
            template=expected,
            round=decision.round_no,
            reviewer_code=reviewer.reviewer_code,
            decision_date=day,
            serial=serial,
            reasons=reasons,
            missing_documents=missing,
            deadline=deadline,
            note=note,
            copy_no=copy_no,
            reprint=reprint,
            template_version=current_template_version(),
            **_common_fields(session, case),  # type: ignore[arg-type]
        )
        return signer.sign(data)
    except NoticeError as exc:
        raise PrintError(f"{case.case_no}: cannot make its notice: {exc}") from exc


def onsite_receipt(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    checked_documents: Sequence[str],
    venue: str | None = None,
    serial: str,
    on: dt.date | None = None,
) -> NoticeData:
    """The signed 现场审核回执 for originals checked at the counter (no decision needed)."""
    if case.district_code not in actor.districts:
        raise CaseNotFound(f"no case {case.case_no} in your districts")
    checked = tuple(d.strip() for d in checked_documents if d.strip())
    if not checked:
        raise PrintError(f"{case.case_no}: an on-site receipt lists at least one original checked")
    district = session.get(District, case.district_code)
    assert district is not None
    try:
        data = NoticeData(
            template="onsite_receipt",
            round=case.current_round,
            reviewer_code=actor.reviewer_code,
            decision_date=on or china_today(),
            serial=serial,
            checked_documents=checked,
            venue=venue or f"{district.office} 现场审核点",
            template_version=current_template_version(),
            **_common_fields(session, case),  # type: ignore[arg-type]
        )
        return district_signer(session, district).sign(data)
    except NoticeError as exc:
        raise PrintError(f"{case.case_no}: cannot make its receipt: {exc}") from exc


def china_today() -> dt.date:
    return dt.datetime.now(CHINA_TZ).date()


# ----------------------------------------------------------------------- planning


@dataclass(frozen=True)
class PlannedNotice:
    """One notice of a print job: what it says and what its record will say."""

    case_id: str
    case_no: str
    decision_id: str | None
    round_no: int
    template: str
    copy_no: int
    serial: str
    reprint_reason: str | None
    data: NoticeData
    checked: tuple[str, ...] = ()


def serial_range(serials: Sequence[str]) -> str:
    """Serials as one line: ``first..last`` ("" for none, the serial itself for one)."""
    if not serials:
        return ""
    if len(serials) == 1:
        return serials[0]
    return f"{serials[0]}..{serials[-1]}"


@dataclass(frozen=True)
class PrintResult:
    """An issued (recorded) PDF: hand it to the printer or save it."""

    pdf: bytes
    serials: tuple[str, ...]
    pages: int
    case_nos: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # batch: cases already printed, left out

    @property
    def serial_range(self) -> str:
        return serial_range(self.serials)


class _PlanChanged(Exception):
    """The plan made under the write lock differs from the one rendered: start again."""


class PrintRoute(Protocol):
    """Where print records go besides this store, and which serial range they take.

    The workstation's arbitration is the route (``app.review.arbitration``): standalone
    the store keeps them alone and uses the plain range; with a central store each print
    goes up through the outbox and the serials carry the workstation's station number.
    """

    def serial_space(self, session: Session) -> str:
        """ "" for the plain district/day range, else this workstation's station code."""
        ...

    def prints_recorded(self, session: Session, rows: Sequence[NoticePrint]) -> None:
        """Called in the recording transaction with the new print rows."""
        ...


class StoreOnly:
    """The route of a store that is its own authority: plain serials, nothing to send."""

    def serial_space(self, session: Session) -> str:
        return ""

    def prints_recorded(self, session: Session, rows: Sequence[NoticePrint]) -> None:
        return None


STORE_ONLY = StoreOnly()


class _Serials:
    """Hands out the next serials per district for the print day, in the given session.

    A serial is ``<district><yymmdd>-<n>`` on a store that is its own authority and
    ``<district><yymmdd>-<station>-<n>`` on a workstation of a central store: every
    workstation counts in its own range, so no two notices of a district share one,
    online or offline.
    """

    def __init__(self, session: Session, day: dt.date, space: str = "") -> None:
        self._session = session
        self._day = day
        self._space = space
        self._next: dict[str, int] = {}

    def take(self, district_code: str) -> str:
        prefix = f"{district_code}{self._day:%y%m%d}-" + (f"{self._space}-" if self._space else "")
        if prefix not in self._next:
            last = self._session.scalar(
                select(func.max(NoticePrint.serial)).where(NoticePrint.serial.like(prefix + "%"))
            )
            self._next[prefix] = int(last[-6:]) + 1 if last else 1
        n = self._next[prefix]
        self._next[prefix] = n + 1
        return f"{prefix}{n:06d}"


class _Keys:
    """District keys, loaded once per plan."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._keys: dict[str, Signer] = {}

    def get(self, district_code: str) -> Signer:
        if district_code not in self._keys:
            district = self._session.get(District, district_code)
            assert district is not None
            self._keys[district_code] = district_signer(self._session, district)
        return self._keys[district_code]


@dataclass(frozen=True)
class _Plan:
    notices: tuple[PlannedNotice, ...]
    skipped: tuple[str, ...] = ()


def _printed_copies(session: Session, decision_id: str) -> tuple[int, str | None]:
    row = session.execute(
        select(NoticePrint.copy_no, NoticePrint.serial)
        .where(NoticePrint.decision_id == decision_id)
        .order_by(NoticePrint.copy_no.desc())
        .limit(1)
    ).first()
    return (int(row[0]), str(row[1])) if row else (0, None)


def _plan_decisions(
    session: Session,
    targets: Iterable[tuple[Case, Decision]],
    *,
    reprint_reason: str | None,
    skip_printed: bool,
    space: str,
) -> _Plan:
    serials = _Serials(session, china_today(), space)
    keys = _Keys(session)
    notices: list[PlannedNotice] = []
    skipped: list[str] = []
    for case, decision in targets:
        copies, last_serial = _printed_copies(session, decision.id)
        if copies and reprint_reason is None:
            if skip_printed:
                skipped.append(case.case_no)
                continue
            raise AlreadyPrinted(case.case_no, last_serial or "?", copies)
        copy_no = copies + 1
        serial = serials.take(case.district_code)
        data = _decision_notice(
            session,
            case,
            decision,
            template=None,
            copy_no=copy_no,
            reprint=copy_no > 1,
            serial=serial,
            signer=keys.get(case.district_code),
        )
        notices.append(
            PlannedNotice(
                case_id=case.id,
                case_no=case.case_no,
                decision_id=decision.id,
                round_no=decision.round_no,
                template=data.template,
                copy_no=copy_no,
                serial=serial,
                reprint_reason=reprint_reason if copy_no > 1 else None,
                data=data,
            )
        )
    return _Plan(tuple(notices), tuple(skipped))


def _lock_prints(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_PRINT_LOCK})


def _record(
    session: Session, actor: Actor, notices: Sequence[PlannedNotice], route: PrintRoute
) -> None:
    now = journal.store_now(session)
    device_time = dt.datetime.now(dt.UTC)
    rows: list[NoticePrint] = []
    for n in notices:
        row = NoticePrint(
            id=str(uuid.uuid4()),
            serial=n.serial,
            case_id=n.case_id,
            round_no=n.round_no,
            decision_id=n.decision_id,
            template=n.template,
            template_version=n.data.template_version,
            copy_no=n.copy_no,
            reprint_reason=n.reprint_reason,
            printed_by=actor.user_id,
            device_time=device_time,
            store_time=now,
            workstation=actor.workstation,
        )
        session.add(row)
        rows.append(row)
    # The change counter once the work is decided (replicated rows are numbered in commit
    # order), then the journal entries, carrying the same number.
    value = changes.stamp(session, rows)
    route.prints_recorded(session, rows)
    for n in notices:
        payload: dict[str, object] = {
            "case_no": n.case_no,
            "serial": n.serial,
            "template": n.template,
            "template_version": n.data.template_version,
            "copy_no": n.copy_no,
            "round": n.round_no,
            "decision_id": n.decision_id,
            "reprint_reason": n.reprint_reason,
        }
        if n.checked:
            payload["checked"] = list(n.checked)
        journal.append(
            session,
            action="print",
            actor=actor.username,
            workstation=actor.workstation,
            case_id=n.case_id,
            payload=payload,
            device_time=device_time,
            change_seq=value,
        )


def _issue(
    store: Store,
    actor: Actor,
    plan_in: Callable[[Session], _Plan],
    *,
    route: PrintRoute,
    progress: Progress | None,
    cancelled: Cancelled | None,
    deliver: Deliver | None,
    empty_message: Callable[[_Plan], str],
) -> PrintResult:
    """Plan, render with no transaction open, then record in one write transaction."""
    for _attempt in range(PLAN_ATTEMPTS):
        with store.read() as s:
            plan = plan_in(s)
        if not plan.notices:
            raise NothingToPrint(empty_message(plan))
        total = len(plan.notices)
        report = (lambda done, t=total: progress(done, t)) if progress is not None else None
        pdf = render_batch([n.data for n in plan.notices], progress=report, cancelled=cancelled)
        try:
            with store.write() as s:
                _lock_prints(s)
                if plan_in(s) != plan:
                    # Someone printed or decided meanwhile: the serials or copies changed.
                    raise _PlanChanged
                _record(s, actor, plan.notices, route)
                if deliver is not None:
                    deliver(pdf)  # inside the transaction: a failure here records nothing
        except _PlanChanged:
            continue
        return PrintResult(
            pdf=pdf,
            serials=tuple(n.serial for n in plan.notices),
            pages=total,
            case_nos=tuple(n.case_no for n in plan.notices),
            skipped=plan.skipped,
        )
    raise PrintError(
        "the cases changed while their notices were being made "
        "(another workstation printed or decided them): try again"
    )


def _clean_reason(reprint_reason: str | None) -> str | None:
    if reprint_reason is None:
        return None
    reason = reprint_reason.strip()
    if not reason:
        raise PrintError("a reprint reason must say why the notice is printed again")
    if "\x00" in reason:
        # The central store (PostgreSQL) refuses NUL in text: refuse it here, where typed.
        raise PrintError("the reprint reason contains a NUL character; retype it")
    return reason


# ------------------------------------------------------------------ print jobs


def print_cases(
    store: Store,
    actor: Actor,
    refs: Sequence[str],
    *,
    reprint_reason: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    deliver: Deliver | None = None,
    route: PrintRoute = STORE_ONLY,
) -> PrintResult:
    """Print the notices of these cases' final decisions as one PDF, recorded and journaled.

    Refuses the whole job (naming the case) for a case outside the actor's districts
    (:class:`CaseNotFound`), one without a final decision (:class:`NoFinalDecision`)
    and one printed before when no ``reprint_reason`` is given (:class:`AlreadyPrinted`).
    ``deliver(pdf)`` runs inside the recording transaction (e.g. writing a temp file).
    """
    reason = _clean_reason(reprint_reason)
    if not refs:
        raise NothingToPrint("no case given: nothing to print")

    def select_cases(session: Session) -> list[tuple[Case, Decision]]:
        out: list[tuple[Case, Decision]] = []
        seen: set[str] = set()
        for ref in refs:
            case_id = resolve_case_id(session, ref, actor.districts)
            if case_id in seen:
                continue
            seen.add(case_id)
            case = session.get(Case, case_id)
            assert case is not None
            decision = final_decision(session, case)
            if decision is None:
                raise _no_final_decision(session, case)
            out.append((case, decision))
        return out

    return _issue(
        store,
        actor,
        lambda s: _plan_decisions(
            s,
            select_cases(s),
            reprint_reason=reason,
            skip_printed=False,
            space=route.serial_space(s),
        ),
        route=route,
        progress=progress,
        cancelled=cancelled,
        deliver=deliver,
        empty_message=lambda _plan: "nothing to print",
    )


def batch_selection(
    session: Session,
    actor: Actor,
    *,
    decided_on: dt.date,
    school: str | None = None,
    kind: str | None = None,
    outcome: str | None = None,
) -> list[tuple[Case, Decision]]:
    """The final decisions made on ``decided_on`` (China time) in the actor's districts,
    ordered by school name then case number (code-point order: the same on both backends)."""
    start = dt.datetime.combine(decided_on, dt.time(), CHINA_TZ)
    end = start + dt.timedelta(days=1)
    stmt = (
        select(Case, Decision, School.name)
        .join(
            Decision,
            and_(
                Decision.case_id == Case.id,
                Decision.round_no == Case.current_round,
                Decision.effective.is_(True),
            ),
        )
        .join(School, School.id == Case.school_id)
        .where(
            Case.district_code.in_(actor.districts),
            or_(
                and_(
                    Decision.state == "accepted",
                    Decision.store_time >= start,
                    Decision.store_time < end,
                ),
                and_(
                    Decision.state == "confirmed",
                    Decision.confirmed_at >= start,
                    Decision.confirmed_at < end,
                ),
            ),
        )
    )
    if school:
        stmt = stmt.where(
            Case.school_id == int(school) if school.isdigit() else School.name == school
        )
    if kind:
        stmt = stmt.where(Case.kind == kind)
    if outcome:
        stmt = stmt.where(Decision.outcome == outcome)
    rows = session.execute(stmt).all()
    rows_sorted = sorted(rows, key=lambda r: (str(r[2]), r[0].case_no))
    return [(r[0], r[1]) for r in rows_sorted]


def print_batch(
    store: Store,
    actor: Actor,
    *,
    decided_on: dt.date,
    school: str | None = None,
    kind: str | None = None,
    outcome: str | None = None,
    reprint_reason: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    deliver: Deliver | None = None,
    route: PrintRoute = STORE_ONLY,
) -> PrintResult:
    """The day's final decisions as one PDF, ordered by school then case number.

    Cases printed before are left out (listed in ``skipped``) unless a
    ``reprint_reason`` is given, when they are reprinted as the next copy (补打).
    Cancelling (``cancelled()`` true) raises :class:`~app.notices.BatchCancelled` and
    records nothing.
    """
    reason = _clean_reason(reprint_reason)
    if kind is not None and kind not in {k.value for k in CaseKind}:
        raise PrintError(f"unknown kind {kind}: use guardianship, rural_house or kinship")
    if outcome is not None and outcome not in OUTCOME_TEMPLATES:
        raise PrintError(f"unknown outcome {outcome}: use approve, reject or return")

    def plan(session: Session) -> _Plan:
        targets = batch_selection(
            session, actor, decided_on=decided_on, school=school, kind=kind, outcome=outcome
        )
        return _plan_decisions(
            session,
            targets,
            reprint_reason=reason,
            skip_printed=True,
            space=route.serial_space(session),
        )

    def empty(plan_: _Plan) -> str:
        if plan_.skipped:
            return (
                f"no notices to print for {decided_on:%Y-%m-%d}: {len(plan_.skipped)} decided "
                "case(s) already printed (give a reprint reason to print them again)"
            )
        return f"no final decisions on {decided_on:%Y-%m-%d} in your districts match"

    return _issue(
        store,
        actor,
        plan,
        route=route,
        progress=progress,
        cancelled=cancelled,
        deliver=deliver,
        empty_message=empty,
    )


def print_onsite_receipt(
    store: Store,
    actor: Actor,
    ref: str,
    checked_documents: Sequence[str],
    *,
    venue: str | None = None,
    deliver: Deliver | None = None,
    route: PrintRoute = STORE_ONLY,
) -> PrintResult:
    """A 现场审核回执 for a case and the originals checked, recorded and journaled.

    Each receipt is its own document (copy 1, its own serial): a second visit with more
    originals gets a second receipt, not a 补打.
    """

    def plan(session: Session) -> _Plan:
        case_id = resolve_case_id(session, ref, actor.districts)
        case = session.get(Case, case_id)
        assert case is not None
        serial = _Serials(session, china_today(), route.serial_space(session)).take(
            case.district_code
        )
        data = onsite_receipt(
            session, case, actor, checked_documents=checked_documents, venue=venue, serial=serial
        )
        return _Plan(
            (
                PlannedNotice(
                    case_id=case.id,
                    case_no=case.case_no,
                    decision_id=None,
                    round_no=case.current_round,
                    template="onsite_receipt",
                    copy_no=1,
                    serial=serial,
                    reprint_reason=None,
                    data=data,
                    checked=data.checked_documents,
                ),
            )
        )

    return _issue(
        store,
        actor,
        plan,
        route=route,
        progress=None,
        cancelled=None,
        deliver=deliver,
        empty_message=lambda _plan: "nothing to print",
    )


# ------------------------------------------------------------- rasterising PDFs


@dataclass(frozen=True)
class PageImage:
    """One PDF page rasterised by PDFium: RGBX pixels, 4 bytes each, rows ``stride`` apart."""

    width: int
    height: int
    stride: int
    pixels: bytes
    dpi: float


# PDFium is not thread-safe and pypdfium2 does not lock for us: every call goes through
# this lock (the GUI's cpu lane has two workers).
_PDFIUM_LOCK = threading.Lock()


def pdf_page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def render_pdf_page(pdf: bytes, index: int, dpi: float) -> PageImage:
    """Rasterise page ``index`` at ``dpi`` (capped at 600) with PDFium: the same engine
    draws the preview and the printed page, so what prints is what was previewed."""
    import pypdfium2 as pdfium

    dpi = max(10.0, min(float(dpi), MAX_DPI))
    with _PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            page = doc[index]
            bitmap = page.render(
                scale=dpi / 72.0,
                rev_byteorder=True,
                prefer_bgrx=True,
                fill_color=(255, 255, 255, 255),
            )
            image = PageImage(
                width=int(bitmap.width),
                height=int(bitmap.height),
                stride=int(bitmap.stride),
                pixels=bytes(bitmap.buffer),
                dpi=dpi,
            )
            bitmap.close()
            page.close()
            return image
        finally:
            doc.close()


def write_pdf_atomically(path: Path, pdf: bytes) -> None:
    """Write ``pdf`` to ``path`` through a temporary file and a rename: never a half file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(pdf)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
