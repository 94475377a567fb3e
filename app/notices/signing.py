"""District signing keys and the signed slip payload printed as a QR code on notices.

Each district bureau holds one Ed25519 key pair. The private key signs a compact payload
describing a printed notice; anyone with the district's public key can check a scanned
slip.

Payload text (ASCII, only characters of the QR *alphanumeric* mode, so the code stays
small)::

    RD1*<case_no>*<round>*<outcome>*<YYYYMMDD>*<reviewer_code>*<serial>*<district_code>*<sig>

* ``outcome`` is one letter: A = approve, J = reject, R = return, S = onsite.
* text fields use ``0-9 A-Z - .`` only (1-32 characters); ``round`` is a decimal
  without leading zeros.
* ``sig`` is the Ed25519 signature (64 bytes) of the ASCII bytes of everything before the
  last ``*`` (prefix included), in unpadded RFC 4648 base32 (103 characters).

Verification is strict: the text must be in canonical form, so any single changed
character is refused, whether it falls in a field, a separator or the signature.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

PREFIX: Final = "RD1"
SEP: Final = "*"
SIG_CHARS: Final = 103  # ceil(64 * 8 / 5)

OUTCOME_CODES: Final[dict[str, str]] = {
    "approve": "A",
    "reject": "J",
    "return": "R",
    "onsite": "S",
}
_CODE_OUTCOMES: Final[dict[str, str]] = {v: k for k, v in OUTCOME_CODES.items()}

_FIELD_RE: Final = re.compile(r"[0-9A-Z.\-]{1,32}")
_ROUND_RE: Final = re.compile(r"[1-9][0-9]{0,3}")
_DATE_RE: Final = re.compile(r"[0-9]{8}")
_SIG_RE: Final = re.compile(f"[A-Z2-7]{{{SIG_CHARS}}}")

PrivateKeyLike = Ed25519PrivateKey | bytes
PublicKeyLike = Ed25519PublicKey | bytes


class SignatureInvalid(Exception):
    """The slip text is malformed, altered, or not signed by the given key."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("signature invalid" + (f": {detail}" if detail else ""))
        self.detail = detail


@dataclass(frozen=True)
class SlipPayload:
    """What a printed notice's QR code vouches for."""

    case_no: str
    round: int
    outcome: str  # 'approve' | 'reject' | 'return' | 'onsite'
    date: str  # YYYY-MM-DD
    reviewer_code: str
    serial: str
    district_code: str

    def __post_init__(self) -> None:
        for name in ("case_no", "reviewer_code", "serial", "district_code"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _FIELD_RE.fullmatch(value):
                raise ValueError(f"{name} must be 1-32 characters of 0-9 A-Z - . (got {value!r})")
        if isinstance(self.round, bool) or not isinstance(self.round, int):
            raise ValueError(f"round must be an int (got {self.round!r})")
        if not 1 <= self.round <= 9999:
            raise ValueError(f"round must be 1..9999 (got {self.round})")
        if self.outcome not in OUTCOME_CODES:
            raise ValueError(
                f"outcome must be one of {sorted(OUTCOME_CODES)} (got {self.outcome!r})"
            )
        try:
            parsed = dt.date.fromisoformat(self.date)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"date must be YYYY-MM-DD (got {self.date!r})") from exc
        if parsed.isoformat() != self.date:
            raise ValueError(f"date must be YYYY-MM-DD (got {self.date!r})")

    def message(self) -> str:
        """The signed part of the slip text (everything before the signature)."""
        return SEP.join(
            (
                PREFIX,
                self.case_no,
                str(self.round),
                OUTCOME_CODES[self.outcome],
                self.date.replace("-", ""),
                self.reviewer_code,
                self.serial,
                self.district_code,
            )
        )


# --------------------------------------------------------------------------- keys


def generate_keypair() -> tuple[bytes, bytes]:
    """A new district key pair as (PKCS#8 private PEM, SubjectPublicKeyInfo public PEM)."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return private_pem, public_pem_of(key)


def public_pem_of(private_key: PrivateKeyLike) -> bytes:
    """The public PEM matching a private key."""
    key = load_private_key(private_key)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(data: PrivateKeyLike, password: bytes | None = None) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM bytes (or the key itself)."""
    if isinstance(data, Ed25519PrivateKey):
        return data
    key = serialization.load_pem_private_key(data, password=password)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def load_public_key(data: PublicKeyLike) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes (or the key itself)."""
    if isinstance(data, Ed25519PublicKey):
        return data
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def save_keypair(
    private_pem: bytes, public_pem: bytes, directory: Path, district_code: str
) -> tuple[Path, Path]:
    """Write ``<district>.key`` (mode 0600) and ``<district>.pub`` under ``directory``."""
    if not _FIELD_RE.fullmatch(district_code):
        raise ValueError(f"bad district code {district_code!r}")
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / f"{district_code}.key"
    public_path = directory / f"{district_code}.pub"
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    os.chmod(private_path, 0o600)
    public_path.write_bytes(public_pem)
    return private_path, public_path


def load_private_key_file(path: Path, password: bytes | None = None) -> Ed25519PrivateKey:
    return load_private_key(path.read_bytes(), password)


def load_public_key_file(path: Path) -> Ed25519PublicKey:
    return load_public_key(path.read_bytes())


# ----------------------------------------------------------------------- payloads


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _b32decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 8)
    return base64.b32decode(padded, casefold=False)


def sign_payload(payload: SlipPayload, private_key: PrivateKeyLike) -> str:
    """The QR text for ``payload``, signed with the district's private key."""
    key = load_private_key(private_key)
    message = payload.message()
    signature = key.sign(message.encode("ascii"))
    return f"{message}{SEP}{_b32encode(signature)}"


def parse_payload_unverified(text: str) -> SlipPayload:
    """Parse slip text WITHOUT checking the signature (for display and consistency checks).

    Raises :class:`SignatureInvalid` when the text is not in canonical form.
    """
    payload, _message, _sig = _parse(text)
    return payload


def verify_payload(text: str, public_key: PublicKeyLike) -> SlipPayload:
    """The payload of a slip text whose signature matches ``public_key``.

    Raises :class:`SignatureInvalid` for malformed, non-canonical or altered text and
    for a signature made with another key.
    """
    payload, message, signature = _parse(text)
    key = load_public_key(public_key)
    try:
        key.verify(signature, message.encode("ascii"))
    except InvalidSignature as exc:
        raise SignatureInvalid("signature does not match") from exc
    return payload


def _parse(text: str) -> tuple[SlipPayload, str, bytes]:
    if not isinstance(text, str) or not text.isascii():
        raise SignatureInvalid("not ASCII text")
    parts = text.split(SEP)
    if len(parts) != 9 or parts[0] != PREFIX:
        raise SignatureInvalid("bad structure")
    _, case_no, round_s, outcome_c, date_s, reviewer, serial, district, sig_s = parts
    if not _ROUND_RE.fullmatch(round_s):
        raise SignatureInvalid("bad round")
    if outcome_c not in _CODE_OUTCOMES:
        raise SignatureInvalid("bad outcome")
    if not _DATE_RE.fullmatch(date_s):
        raise SignatureInvalid("bad date")
    if not _SIG_RE.fullmatch(sig_s):
        raise SignatureInvalid("bad signature encoding")
    try:
        payload = SlipPayload(
            case_no=case_no,
            round=int(round_s),
            outcome=_CODE_OUTCOMES[outcome_c],
            date=f"{date_s[:4]}-{date_s[4:6]}-{date_s[6:]}",
            reviewer_code=reviewer,
            serial=serial,
            district_code=district,
        )
    except ValueError as exc:
        raise SignatureInvalid(str(exc)) from exc
    try:
        signature = _b32decode(sig_s)
    except (binascii.Error, ValueError) as exc:
        raise SignatureInvalid("bad signature encoding") from exc
    # Unpadded base32 has 3 spare bits in the last character: insist on the canonical
    # spelling so that changing those bits is refused too.
    if len(signature) != 64 or _b32encode(signature) != sig_s:
        raise SignatureInvalid("non-canonical signature encoding")
    message = text[: len(text) - SIG_CHARS - 1]
    if message != payload.message():
        raise SignatureInvalid("non-canonical fields")
    return payload, message, signature
