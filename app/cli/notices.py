"""`reviewdesk keys|verify-slip|print`: district keys, checking a slip, printing notices."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TextIO

from app.auth import authenticate_cli
from app.cli import CommandError, command, desk_of, reader_of, settings_of
from app.notices import BatchCancelled
from app.notices.printing import (
    OUTCOME_WORDS,
    STATE_WORDS,
    PrintError,
    PrintResult,
    export_public_key,
    init_district_key,
    key_fingerprint,
)
from app.notices.signing import SignatureInvalid, SlipPayload, load_public_key_file, verify_payload
from app.store import open_store

# --- keys -------------------------------------------------------------------


def _keys_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action",
        choices=["init", "export"],
        help="init: make the district's key pair; export: print its public key for schools",
    )
    p.add_argument("--district", required=True, metavar="D", help="district name or code")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="init: replace an existing key (slips signed with the old key stop verifying)",
    )
    p.add_argument("--user", metavar="ADMIN", help="init: act as this administrator (journaled)")


@command("keys", "district signing keys: init (make) or export (public key for schools)")(
    _keys_args
)
def cmd_keys(args: argparse.Namespace) -> int:
    store = open_store(settings_of(args))
    try:
        if args.action == "export":
            _name, pem = export_public_key(store, args.district)
            sys.stdout.write(pem.decode("ascii"))
            return 0
        actor = authenticate_cli(store, args.user) if args.user else None
        path, public_pem = init_district_key(
            store, args.district, overwrite=args.overwrite, actor=actor
        )
    except PrintError as exc:
        raise CommandError(str(exc), 1) from exc
    print(f"private key: {path}")
    print(f"public key fingerprint: {key_fingerprint(public_pem)}")
    return 0


# --- verify-slip ------------------------------------------------------------


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("payload", metavar="PAYLOAD", help="the slip's QR text ('-' reads stdin)")
    p.add_argument(
        "--key",
        metavar="PUBLIC_KEY_FILE",
        type=Path,
        help="the district's public key PEM (default: from the store)",
    )


def _slip_lines(payload: SlipPayload, district: str | None) -> list[str]:
    zh, en = OUTCOME_WORDS[payload.outcome]
    where = f"{district} ({payload.district_code})" if district else payload.district_code
    return [
        f"signature ok: signed by district {where}",
        f"case:     {payload.case_no}",
        f"round:    {payload.round}",
        f"outcome:  {zh} / {en}",
        f"date:     {payload.date}",
        f"reviewer: {payload.reviewer_code}",
        f"serial:   {payload.serial}",
    ]


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


@command("verify-slip", "check a printed slip's QR text: signature, and the decision behind it")(
    _verify_args
)
def cmd_verify_slip(args: argparse.Namespace) -> int:
    """Exit 0: genuine and in force; 1: forged or altered; 3: genuine but undone,
    superseded, or not known to the store (see docs/printing.md)."""
    text = (_read_slip_stdin() if args.payload == "-" else args.payload).strip()
    try:
        if args.key is not None:
            try:
                key = load_public_key_file(args.key)
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read the public key {args.key}: {exc}", 2) from exc
            lines = _slip_lines(verify_payload(text, key), None)
            lines.append("decision: state not checked (offline, from the public key alone)")
            print("\n".join(lines))
            return 0
        checked = reader_of(args).verify_slip(text)
    except SignatureInvalid as exc:
        detail = f" ({exc.detail})" if exc.detail else ""
        raise CommandError(f"signature invalid{detail}: forged or altered", 1) from exc
    except PrintError as exc:
        raise CommandError(str(exc), 1) from exc
    lines = _slip_lines(checked.payload, checked.district_name)
    lines.append(f"decision: {STATE_WORDS[checked.decision_state]}")
    lines.append(f"checked:  against {checked.source}")
    if checked.record:
        lines.append(f"store:    {checked.record}")
    print("\n".join(lines))
    return 0 if checked.in_force else 3


# --- print ------------------------------------------------------------------


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


def _print_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", nargs="*", metavar="CASE", help="case numbers to print")
    p.add_argument(
        "--decided-on",
        type=_date,
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


class _Bar:
    """``\\r[#####     ] 37/100`` on a terminal; nothing otherwise."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + " " * (self.WIDTH - filled)
        self._stream.write(f"\r[{bar}] {done}/{total}")
        self._stream.flush()
        self._shown = True

    def end(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()


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
    bar = _Bar(sys.stderr) if sys.stderr.isatty() else None
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
