"""`reviewdesk keys|verify-slip|print`: district keys, checking a slip, printing notices."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from app.auth import authenticate_cli
from app.cli import (
    CommandError,
    ProgressBar,
    command,
    date_arg,
    desk_of,
    local_only,
    reader_of,
    settings_of,
)
from app.notices import BatchCancelled
from app.notices.printing import (
    CHINA_TZ,
    KEY_RETIRED,
    KEY_REVOKED,
    OUTCOME_WORDS,
    STATE_WORDS,
    KeyInfo,
    NewKey,
    NotCheckableHere,
    PrintError,
    PrintResult,
    VerifiedSlip,
    export_public_key,
    init_district_key,
    list_district_keys,
    revoke_district_key,
    rotate_district_key,
)
from app.notices.signing import (
    MAX_KEY_ID,
    PublicKeyFile,
    SignatureInvalid,
    SlipPayload,
    parse_slip_unverified,
    read_public_key_file,
    verify_slip_text,
)
from app.store import open_store

# --- keys -------------------------------------------------------------------

KEY_ACTIONS = ("init", "rotate", "revoke", "list", "export")
ADMIN_ACTIONS = ("init", "rotate", "revoke")


def _key_number(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_KEY_ID:
        raise argparse.ArgumentTypeError(f"not a key number (1-{MAX_KEY_ID}): {value}")
    return int(value)


def _keys_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action",
        choices=KEY_ACTIONS,
        help="init: the district's first key; rotate: a new current key, the old one retired "
        "(its slips still verify); revoke: a key whose slips must no longer verify; "
        "list: the district's keys; export: a public key file for schools",
    )
    p.add_argument("--district", required=True, metavar="D", help="district name or code")
    p.add_argument(
        "--key",
        type=_key_number,
        metavar="N",
        help="revoke: the key to revoke; export: that key (a retired one, for older slips) "
        "instead of the current one",
    )
    p.add_argument("--reason", metavar="TEXT", help="revoke: why (journaled, shown with its slips)")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="init, rotate: set aside (kept in keys/retired/) a private key file on this "
        "computer that is none of the store's keys; a current key is replaced by rotate",
    )
    p.add_argument(
        "--user", metavar="ADMIN", help="init, rotate, revoke: the administrator acting (journaled)"
    )


def _when(value: dt.datetime) -> str:
    return f"{value.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


def _day(value: dt.datetime) -> str:
    return f"{value.astimezone(CHINA_TZ):%Y-%m-%d}"


def _key_state(key: KeyInfo) -> str:
    if key.revoked_at is not None:
        return f"revoked {_day(key.revoked_at)}: {key.revoked_reason}"
    if key.retired_at is not None:
        return f"retired {_day(key.retired_at)}"
    return "current"


def _set_aside_lines(moves: tuple[tuple[Path, Path], ...]) -> list[str]:
    return [f"kept aside: {source} -> {target}" for source, target in moves]


def _new_key_lines(made: NewKey) -> list[str]:
    where = f"{made.district_name} ({made.district_code})"
    lines = [
        f"private key: {made.path}",
        f"key {made.key_id} of {where} is current",
        f"public key fingerprint: {made.fingerprint}",
    ]
    if made.retired is not None:
        lines.append(
            f"retired: key {made.retired.key_id} ({made.retired.fingerprint}); slips it "
            "signed still verify, nothing prints with it any more"
        )
    lines.extend(_set_aside_lines(made.set_aside))
    lines.append(
        f"give schools the {'new ' if made.retired else ''}public key: reviewdesk keys "
        f"export --district {made.district_name} > {made.district_name}.pub"
    )
    return lines


@command("keys", "district signing keys: init, rotate, revoke, list, export (for schools)")(
    _keys_args
)
def cmd_keys(args: argparse.Namespace) -> int:
    action: str = args.action
    if args.key is not None and action not in ("revoke", "export"):
        raise CommandError(f"keys {action}: --key goes with revoke or export", 2)
    if args.reason is not None and action != "revoke":
        raise CommandError(f"keys {action}: --reason goes with revoke", 2)
    if args.overwrite and action not in ("init", "rotate"):
        raise CommandError(f"keys {action}: --overwrite goes with init or rotate", 2)
    if action == "revoke" and (args.key is None or args.reason is None):
        raise CommandError("keys revoke: give --key N and --reason TEXT", 2)
    if action in ADMIN_ACTIONS and not args.user:
        raise CommandError(f"keys {action} needs an administrator: give --user ADMIN", 1)
    settings = local_only(args, f"run keys {action}") if action in ADMIN_ACTIONS else None
    store = open_store(settings or settings_of(args))
    lines: list[str]
    try:
        if action == "export":
            _name, text = export_public_key(store, args.district, args.key)
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
            return 0
        if action == "list":
            name, keys = list_district_keys(store, args.district)
            lines = [f"district {name} ({keys[0].district_code}): {len(keys)} key(s)"]
            lines.append(f"{'key':>4}  {'fingerprint':<46}  {'created':<16}  {'by':<12}  state")
            for key in keys:
                lines.append(
                    f"{key.key_id:>4}  {key.fingerprint:<46}  {_when(key.created_at):<16}  "
                    f"{key.created_by or '-':<12}  {_key_state(key)}"
                )
            print("\n".join(lines))
            return 0
        actor = authenticate_cli(store, args.user)
        if action == "revoke":
            done = revoke_district_key(
                store, args.district, args.key, reason=args.reason, actor=actor
            )
            key = done.key
            assert key.revoked_at is not None
            lines = [
                f"revoked: key {key.key_id} of {key.district_name} ({key.district_code}) on "
                f"{_day(key.revoked_at)}: {key.revoked_reason}; slips signed with it no longer "
                "verify (exit 3)"
            ]
            lines.extend(_set_aside_lines(done.set_aside))
            if done.was_current:
                lines.append(
                    f"district {key.district_name} has no signing key now: run reviewdesk keys "
                    f"init --district {key.district_name} --user ADMIN"
                )
            print("\n".join(lines))
            return 0
        if action == "rotate":
            made = rotate_district_key(store, args.district, actor=actor, overwrite=args.overwrite)
        else:
            made = init_district_key(store, args.district, actor=actor, overwrite=args.overwrite)
    except PrintError as exc:
        raise CommandError(str(exc), 1) from exc
    print("\n".join(_new_key_lines(made)))
    return 0


# --- verify-slip ------------------------------------------------------------


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("payload", metavar="PAYLOAD", help="the slip's QR text ('-' reads stdin)")
    p.add_argument(
        "--key",
        metavar="PUBLIC_KEY_FILE",
        type=Path,
        help="the district's public key file from reviewdesk keys export "
        "(default: the district's keys in the store)",
    )


def _slip_lines(payload: SlipPayload, first: str) -> list[str]:
    zh, en = OUTCOME_WORDS[payload.outcome]
    return [
        first,
        f"case:     {payload.case_no}",
        f"round:    {payload.round}",
        f"outcome:  {zh} / {en}",
        f"date:     {payload.date}",
        f"reviewer: {payload.reviewer_code}",
        f"serial:   {payload.serial}",
    ]


def _checked_lines(checked: VerifiedSlip) -> list[str]:
    """What verify-slip says of a slip checked against the store."""
    p = checked.payload
    where = f"district {checked.district_name} ({p.district_code})"
    n = checked.key_id
    if checked.key_state == KEY_REVOKED:
        first = (
            f"signed with key {n}, revoked on {checked.key_revoked_on}: "
            f"{checked.key_revoked_reason} - this slip is not valid "
            f"(district {checked.district_name}, {p.district_code})"
        )
        key = f"{n} (REVOKED on {checked.key_revoked_on}: {checked.key_revoked_reason})"
    elif checked.key_state == KEY_RETIRED:
        first = (
            f"signature ok: genuine, issued under key {n} of {where} "
            f"(retired on {checked.key_retired_on})"
        )
        key = f"{n} (retired on {checked.key_retired_on})"
        if checked.dated_after_retirement:
            key += " - NOTE: this slip is dated after that"
    elif n is None:
        first = f"signature ok: genuine, issued under the current key of {where}"
        key = "the district's current key"
    else:
        first = f"signature ok: genuine, issued under key {n} of {where}"
        key = f"{n} (current)"
    if not checked.key_list_known:
        key += "; this store has the district's current key only"
    elif not checked.key_named:
        key += (
            "; not named on the slip (printed before keys were numbered): "
            "found by trying the district's keys"
        )
    lines = _slip_lines(p, first)
    lines.append(f"key:      {key}")
    lines.append(f"decision: {STATE_WORDS[checked.decision_state]}")
    lines.append(f"checked:  against {checked.source}")
    if checked.record:
        lines.append(f"store:    {checked.record}")
    return lines


def _offline_lines(text: str, path: Path, keyfile: PublicKeyFile) -> list[str]:
    """verify-slip --key FILE: the signature, and that the file is the slip's district's
    key (when the file says whose it is). Raises CommandError (exit 2) for a key file of
    another district or another key of the district."""
    claimed = parse_slip_unverified(text)
    code = claimed.payload.district_code
    head = keyfile.header
    if head.district_code is not None and head.district_code != code:
        whose = head.district_code + (f" {head.district_name}" if head.district_name else "")
        raise CommandError(
            f"the key file {path} is district {whose}'s key but this slip names district "
            f"{code}: a key of one district never validates another's slips; check it with "
            f"district {code}'s public key (reviewdesk keys export --district {code})",
            2,
        )
    if head.key_id is not None and claimed.key_id is not None and head.key_id != claimed.key_id:
        raise CommandError(
            f"this slip was signed with key {claimed.key_id} of district {code} but the key "
            f"file {path} holds key {head.key_id}: check it with key {claimed.key_id}'s public "
            f"key (reviewdesk keys export --district {code} --key {claimed.key_id}) or "
            "against the store",
            2,
        )
    try:
        signed = verify_slip_text(text, keyfile.key)
    except SignatureInvalid as exc:
        if claimed.key_id is None and head.key_id not in (None, 1):
            raise CommandError(
                f"signature invalid with key {head.key_id} of district {code}: this slip does "
                "not name its key (printed before keys were numbered) and may be signed with "
                "an earlier key: check it against the store, or with that key's file",
                1,
            ) from exc
        raise
    if head.district_code is None:
        lines = _slip_lines(signed.payload, f"signature ok: matches the public key in {path.name}")
        lines.append(
            f"district: NOT CHECKED - {path.name} is a plain PEM that does not say whose key "
            f"it is: make sure it is district {code}'s (files from reviewdesk keys export "
            "name their district)"
        )
    else:
        name = f"{head.district_name} ({code})" if head.district_name else code
        n = signed.key_id or head.key_id
        first = (
            f"signature ok: genuine, issued under key {n} of district {name}"
            if n is not None
            else f"signature ok: genuine, issued under district {name}'s key in {path.name}"
        )
        lines = _slip_lines(signed.payload, first)
        lines.append(
            f"key:      {n if n is not None else '-'} from {path.name} (whether it was "
            "revoked since is not checked offline)"
        )
    lines.append("decision: state not checked (offline, from the public key alone)")
    return lines


MAX_SLIP_TEXT = 4096  # a slip's QR text is a few hundred characters


def _read_slip_stdin() -> str:
    raw = sys.stdin.buffer.read(MAX_SLIP_TEXT + 1)
    if len(raw) > MAX_SLIP_TEXT:
        raise CommandError(
            f"the slip text on standard input is longer than {MAX_SLIP_TEXT} bytes: "
            "that is not a slip's QR code",
            2,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            "the slip text on standard input is not valid UTF-8: scan or paste it again", 2
        ) from exc


@command("verify-slip", "check a printed slip's QR text: signature, key, and the decision")(
    _verify_args
)
def cmd_verify_slip(args: argparse.Namespace) -> int:
    """Exit 0: genuine and in force; 1: forged or altered; 2: cannot be checked with that
    key file (unreadable, another district's, another key) or on this computer (a
    workstation's copy has the district's current key only); 3: genuine but signed with a
    revoked key, or its decision undone, superseded, or not known to the store (see
    docs/printing.md)."""
    raw = _read_slip_stdin() if args.payload == "-" else args.payload
    if len(raw) > MAX_SLIP_TEXT:
        raise CommandError(
            f"the slip text is longer than {MAX_SLIP_TEXT} characters: that is not a slip's "
            "QR code",
            2,
        )
    text = raw.strip()
    try:
        if args.key is not None:
            try:
                keyfile = read_public_key_file(args.key)
            except (OSError, ValueError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                raise CommandError(f"cannot read the public key {args.key}: {reason}", 2) from exc
            print("\n".join(_offline_lines(text, args.key, keyfile)))
            return 0
        checked = reader_of(args).verify_slip(text)
    except NotCheckableHere as exc:
        raise CommandError(f"cannot check this slip here: {exc.detail}", 2) from exc
    except SignatureInvalid as exc:
        detail = f" ({exc.detail})" if exc.detail else ""
        raise CommandError(f"signature invalid{detail}: forged or altered", 1) from exc
    except PrintError as exc:
        raise CommandError(str(exc), 1) from exc
    print("\n".join(_checked_lines(checked)))
    return 0 if checked.in_force else 3


# --- print ------------------------------------------------------------------


def _print_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", nargs="*", metavar="CASE", help="case numbers to print")
    p.add_argument(
        "--decided-on",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="print the final decisions of that day (China time) instead of named cases",
    )
    p.add_argument("--school", metavar="S", help="with --decided-on: school name or id")
    p.add_argument("--kind", choices=["guardianship", "rural_house", "kinship"])
    p.add_argument("--outcome", choices=["approve", "reject", "return"])
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.add_argument(
        "--reprint-reason",
        metavar="TEXT",
        help="print again (补打, next copy number) for notices printed before",
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        required=True,
        help="act as this user (password from prompt or REVIEWDESK_PASSWORD)",
    )


class _TempPdf:
    """The output written to a temporary file inside the recording transaction, renamed
    into place after the commit: a failure leaves neither a half file nor a record
    without its file."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.tmp = target.with_name(f".{target.name}.part")

    def __call__(self, pdf: bytes) -> None:
        with open(self.tmp, "wb") as fh:
            fh.write(pdf)
            fh.flush()
            os.fsync(fh.fileno())

    def commit(self) -> None:
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


@command("print", "print notices of final decisions to a PDF (records and journals each)")(
    _print_args
)
def cmd_print(args: argparse.Namespace) -> int:
    if bool(args.cases) == bool(args.decided_on):
        raise CommandError("print: name the cases or give --decided-on (not both)", 2)
    if args.cases and (args.school or args.kind or args.outcome):
        raise CommandError("print: --school, --kind and --outcome go with --decided-on", 2)
    out: Path = args.out
    if not out.parent.is_dir():
        raise CommandError(f"cannot write {out}: no folder {out.parent}", 1)
    if out.is_dir():
        raise CommandError(f"cannot write {out}: it is a folder", 1)
    desk = desk_of(args)
    bar = ProgressBar.on_terminal()
    writer = _TempPdf(out)
    result: PrintResult
    try:
        if args.cases:
            result = desk.print_cases(
                args.cases,
                reprint_reason=args.reprint_reason,
                progress=bar,
                deliver=writer,
            )
        else:
            result = desk.print_batch(
                decided_on=args.decided_on,
                school=args.school,
                kind=args.kind,
                outcome=args.outcome,
                reprint_reason=args.reprint_reason,
                progress=bar,
                deliver=writer,
            )
        writer.commit()
    except OSError as exc:
        writer.discard()
        raise CommandError(
            f"cannot write {out}: {exc.strerror or exc}: nothing recorded", 1
        ) from exc
    except (PrintError, BatchCancelled) as exc:
        writer.discard()
        raise CommandError(f"refused: {exc}", 1) from exc
    except BaseException:
        writer.discard()
        raise
    finally:
        if bar is not None:
            bar.end()
    noun = "notice" if result.pages == 1 else "notices"
    serials = "serial" if result.pages == 1 else "serials"
    line = f"printed {result.pages} {noun} to {out} ({serials} {result.serial_range})"
    if result.skipped:
        line += f"; skipped {len(result.skipped)} already printed (use --reprint-reason)"
    print(line)
    return 0
