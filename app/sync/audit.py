"""The journal's anchors seen from the application: check a store, check and seal the central store.

``reviewdesk audit verify`` (a store's own chain), ``audit verify --central`` (every chain
at the central store, their key marks and the seal) and ``audit seal`` (the central
administrator signs every chain's head) all come here; the checks themselves are
:mod:`reviewdb.journal`'s.

The sealing key is an Ed25519 key file of the central administrator, made at the first
seal (``DATA_DIR/journal-seal.key`` unless ``--key`` names another), never stored in the
database: whoever can change the database (a workstation through a bug, a DBA) cannot
re-sign what they changed. Seals are made by the administrator's command (run it on a
schedule) rather than at the end of each workstation's push, because a workstation must
never hold that key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app import config
from app.errors import Refusal
from app.sync.engine import central_store
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import Setting

SEAL_KEY_FILE = "journal-seal.key"
_INSUFFICIENT_PRIVILEGE = "42501"


class AuditRefusal(Refusal):
    """The check or the seal cannot be done as asked; the text says what to do."""


def default_seal_key_path() -> Path:
    """Where the central administrator's sealing key is kept unless ``--key`` says."""
    return config.data_dir() / SEAL_KEY_FILE


@dataclass(frozen=True)
class LocalReport:
    """A store's own chain checked: the verdict and the lines to show."""

    result: journal.VerifyResult
    line: str  # the verdict: "journal intact: …" or "journal broken at entry …"
    notes: tuple[str, ...]  # what the reader should know besides (unkeyed entries)


def verify_store(store: Store) -> LocalReport:
    """Check this store's own journal: links, hashes, key marks and the seal it keeps."""
    with store.read() as session:
        result = journal.verify(session)
    notes: list[str] = []
    if result.unkeyed:
        notes.append(
            f"note: {result.unkeyed} entries were written before keys (unkeyed): only their "
            "hash chain vouches for them"
        )
    if not result.ok:
        at = f" at entry {result.broken_seq}" if result.broken_seq is not None else ""
        return LocalReport(result, f"journal broken{at}: {result.problem}", tuple(notes))
    line = f"journal intact: {result.checked} entries"
    if result.sealed_seq is not None:
        line += f" (sealed by the central store up to entry {result.sealed_seq})"
    return LocalReport(result, line, tuple(notes))


def verify_central_store(url: str) -> tuple[bool, str]:
    """Check the central store's own chain, every uploaded workstation chain (links, hashes,
    key marks) and the seal of their heads: one line per problem, or the counts."""
    store = central_store(url)
    try:
        with store.read() as s:
            report = journal.verify_central(s)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
            raise AuditRefusal(
                "only the central store's owner can check every chain (the workstations' keys "
                "are its own): use the owner's URL"
            ) from exc
        raise
    finally:
        store.dispose()
    return describe_central(report)


def describe_central(report: journal.CentralVerifyResult) -> tuple[bool, str]:
    """What ``audit verify --central`` prints for a checked central store."""
    own = report.own
    problems: list[str] = []
    if not own.ok:
        at = f" at entry {own.broken_seq}" if own.broken_seq is not None else ""
        problems.append(f"central journal broken{at}: {own.problem}")
    for chain, result in report.chains:
        if not result.ok:
            at = f" at entry {result.broken_seq}" if result.broken_seq is not None else ""
            problems.append(f"chain {chain} broken{at}: {result.problem}")
    for chain, sealed in report.missing:
        problems.append(f"chain {chain} was deleted: the central store sealed it at entry {sealed}")
    if problems:
        return False, "\n".join(problems)
    total = sum(r.checked for _, r in report.chains)
    lines = [
        f"journal intact: {own.checked} central entries and {total} entries in "
        f"{len(report.chains)} workstation chains"
    ]
    unkeyed = own.unkeyed + sum(r.unkeyed for _, r in report.chains)
    if unkeyed:
        lines.append(
            f"note: {unkeyed} entries were written before keys (unkeyed): only their hash "
            "chain vouches for them"
        )
    for chain, result in report.chains:
        if result.withheld:
            lines.append(
                f"note: chain {chain} has {result.withheld} withheld entries (the central store "
                "refused their content, which stays on the workstation)"
            )
    seal = report.seal
    if seal is None:
        lines.append("not sealed yet: run `reviewdesk audit seal` as the central store's owner")
    else:
        lines.append(
            f"sealed: seal {seal.number} of {seal.sealed_at} vouches for "
            f"{len(seal.chains)} workstation chains and the central journal"
        )
    return True, "\n".join(lines)


def seal_central(url: str, key_path: Path) -> str:
    """Sign every chain's head at the central store with the administrator's key file (made
    at the first seal); refused while any chain does not verify. One line: what was sealed."""
    store = central_store(url)
    try:
        with store.read() as s:
            published = s.scalar(select(Setting.value).where(Setting.key == journal.SEAL_KEY))
        key, made = _seal_key(key_path, create=published is None)
        with store.write() as s:
            ok, message = describe_central(journal.verify_central(s))
            if not ok:
                raise AuditRefusal(
                    f"not sealed: {message.splitlines()[0]} (a seal would vouch for it; find out "
                    "what happened first: reviewdesk audit verify --central)"
                )
            seal = journal.seal_heads(s, key)
    except journal.SealError as exc:
        raise AuditRefusal(f"{exc} (key file {key_path})") from exc
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
            raise AuditRefusal(
                "only the central store's owner may seal the journal: use the owner's URL"
            ) from exc
        raise
    finally:
        store.dispose()
    head = f"entry {seal.central[0]}" if seal.central else "its start"
    line = (
        f"journal sealed (seal {seal.number}): {len(seal.chains)} workstation chains and the "
        f"central journal up to {head}; key {seal.key[:16]}…"
    )
    if made:
        line += f"; new sealing key written to {key_path} (keep it safe, off the workstations)"
    return line


def _seal_key(path: Path, *, create: bool) -> tuple[Ed25519PrivateKey, bool]:
    """The sealing key from ``path`` (and whether it was made now: mode 0600, when
    ``create`` and there is none)."""
    if not path.exists():
        if not create:
            raise AuditRefusal(
                f"no sealing key at {path}: the central store's journal is sealed already, "
                "give --key FILE (the key file of its first seal)"
            )
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        return key, True
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise AuditRefusal(f"cannot read the sealing key {path}: {exc}") from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise AuditRefusal(f"{path} is not an Ed25519 private key (the journal's sealing key)")
    return loaded, False
