"""District signing keys and the signed slip payload printed as a QR code on notices.

Each district bureau holds an Ed25519 key pair (and, after rotations, retired ones: see
``docs/printing.md``). The private key signs a compact payload describing a printed
notice; anyone with the district's public key can check a scanned slip.

Payload text (ASCII, only characters of the QR *alphanumeric* mode, so the code stays
small)::

    RD2*<case_no>*<round>*<outcome>*<YYYYMMDD>*<reviewer_code>*<serial>*<district_code>*<key>*<sig>
    RD1*<case_no>*<round>*<outcome>*<YYYYMMDD>*<reviewer_code>*<serial>*<district_code>*<sig>

* ``RD2`` names the district key that signed it (``key``: the district's key number, a
  decimal 1-9999 without leading zeros; two characters more than RD1). ``RD1`` is the
  form printed before keys were numbered (and by a workstation that does not know its
  key's number): it still verifies, by trying the district's keys.
* ``outcome`` is one letter: A = approve, J = reject, R = return, S = onsite.
* text fields use ``0-9 A-Z - .`` only (1-32 characters); ``round`` is a decimal
  without leading zeros.
* ``sig`` is the Ed25519 signature (64 bytes) of the ASCII bytes of everything before the
  last ``*`` (prefix and key number included), in unpadded RFC 4648 base32 (103
  characters).

Verification is strict: the text must be in canonical form, so any single changed
character is refused, whether it falls in a field, a separator or the signature.

Key files carry a few header lines before the PEM block (RFC 7468 allows text there;
OpenSSL and ``cryptography`` skip it) naming the district and the key number, so a key
file of one district is never taken for another's::

    ReviewDesk district public key (check slips: reviewdesk verify-slip - --key FILE)
    District: 360102 东湖区
    Key: 2
    Fingerprint: SHA256:0c1f:…
    -----BEGIN PUBLIC KEY-----
    …
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
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

PREFIX: Final = "RD1"  # no key number (printed before keys were numbered)
PREFIX_KEYED: Final = "RD2"  # names the key that signed it
SEP: Final = "*"
MAX_KEY_ID: Final = 9999
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
_KEY_ID_RE: Final = re.compile(r"[1-9][0-9]{0,3}")

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

    def message(self, key_id: int | None = None) -> str:
        """The signed part of the slip text (everything before the signature): the RD1
        form, or with ``key_id`` the RD2 form naming the key."""
        if key_id is not None:
            _check_key_id(key_id)
        fields = (
            PREFIX if key_id is None else PREFIX_KEYED,
            self.case_no,
            str(self.round),
            OUTCOME_CODES[self.outcome],
            self.date.replace("-", ""),
            self.reviewer_code,
            self.serial,
            self.district_code,
        )
        return SEP.join(fields if key_id is None else (*fields, str(key_id)))


def _check_key_id(key_id: int) -> None:
    if isinstance(key_id, bool) or not isinstance(key_id, int) or not 1 <= key_id <= MAX_KEY_ID:
        raise ValueError(f"key id must be 1..{MAX_KEY_ID} (got {key_id!r})")


@dataclass(frozen=True)
class SignedSlip:
    """A slip's payload and the number of the district key that signed it (None: an RD1
    slip, which does not say)."""

    payload: SlipPayload
    key_id: int | None


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


# ----------------------------------------------------------------------- key files

KEY_FILE_MAX_BYTES: Final = 16 * 1024  # a key file is a few hundred bytes
PUBLIC_KEY_TITLE: Final = (
    "ReviewDesk district public key (check slips: reviewdesk verify-slip - --key FILE)"
)
PRIVATE_KEY_TITLE: Final = (
    "ReviewDesk district private key: keep it secret, only on the workstations that print"
)
_HEADER_RE: Final = re.compile(r"(District|Key|Fingerprint):[ \t]*(.*)")


def key_fingerprint(public_key: PublicKeyLike | str) -> str:
    """A short, comparable name of a public key: SHA-256 of the raw key, grouped
    (``SHA256:xxxx:…``, 8 groups of 4 hex digits: read it out over the phone)."""
    key = load_public_key(public_key.encode("ascii") if isinstance(public_key, str) else public_key)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return "SHA256:" + ":".join(digest[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class KeyFileHeader:
    """What a key file's header lines say (all None for a plain PEM file)."""

    district_code: str | None = None
    district_name: str | None = None
    key_id: int | None = None
    fingerprint: str | None = None

    @property
    def names_district(self) -> bool:
        return self.district_code is not None


def key_file_text(pem: bytes, title: str, header: KeyFileHeader) -> bytes:
    """``pem`` with the header lines before it (UTF-8: the district's name is Chinese)."""
    lines = [title]
    if header.district_code is not None:
        if not _FIELD_RE.fullmatch(header.district_code):
            raise ValueError(f"bad district code {header.district_code!r}")
        name = f" {header.district_name}" if header.district_name else ""
        lines.append(f"District: {header.district_code}{name}")
    if header.key_id is not None:
        _check_key_id(header.key_id)
        lines.append(f"Key: {header.key_id}")
    if header.fingerprint is not None:
        lines.append(f"Fingerprint: {header.fingerprint}")
    _check_header_text("\n".join(lines))
    return ("\n".join(lines) + "\n").encode("utf-8") + pem


def public_key_file_text(
    public_pem: bytes,
    *,
    district_code: str,
    district_name: str | None = None,
    key_id: int | None = None,
) -> bytes:
    """The public key file schools get: the header names district, key and fingerprint."""
    header = KeyFileHeader(district_code, district_name, key_id, key_fingerprint(public_pem))
    return key_file_text(public_pem, PUBLIC_KEY_TITLE, header)


def _check_header_text(text: str) -> None:
    if any(ord(ch) < 32 and ch not in "\n\t" or ord(ch) == 127 for ch in text):
        raise ValueError("control characters in the key file's header")


def _split_key_file(data: bytes) -> tuple[KeyFileHeader, bytes]:
    """The header (before the one PEM block) and the PEM block of a key file."""
    if len(data) > KEY_FILE_MAX_BYTES:
        raise ValueError(f"longer than {KEY_FILE_MAX_BYTES} bytes: not a key file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("not a key file (not UTF-8 text)") from exc
    if text.count("-----BEGIN ") != 1 or text.count("-----END ") != 1:
        raise ValueError("a key file holds exactly one PEM block")
    begin = text.index("-----BEGIN ")
    _end_line, _, after = text[text.index("-----END ") :].partition("\n")
    if after.strip():
        raise ValueError("text after the PEM block")
    head, block = text[:begin], text[begin:]
    if not block.isascii():
        raise ValueError("non-ASCII text in the PEM block")
    _check_header_text(head)
    seen: dict[str, str] = {}
    for line in head.splitlines():
        m = _HEADER_RE.fullmatch(line.strip())
        if m is None:
            continue  # the title, or a comment
        if m.group(1) in seen:
            raise ValueError(f"the header names {m.group(1)} twice")
        seen[m.group(1)] = m.group(2).strip()
    code = name = None
    if "District" in seen:
        code, _, rest = seen["District"].partition(" ")
        if not _FIELD_RE.fullmatch(code):
            raise ValueError(f"bad district code {code!r} in the header")
        name = rest.strip() or None
    key_id = None
    if "Key" in seen:
        if code is None:
            raise ValueError("the header names a key number but no district")
        if not _KEY_ID_RE.fullmatch(seen["Key"]):
            raise ValueError(f"bad key number {seen['Key']!r} in the header")
        key_id = int(seen["Key"])
    return KeyFileHeader(code, name, key_id, seen.get("Fingerprint")), block.encode("ascii")


@dataclass(frozen=True)
class PublicKeyFile:
    """A public key read from a file, with what its header says (nothing, for a plain PEM)."""

    key: Ed25519PublicKey
    header: KeyFileHeader


@dataclass(frozen=True)
class PrivateKeyFile:
    """A private key read from a file, with what its header says."""

    key: Ed25519PrivateKey
    header: KeyFileHeader


def parse_public_key_file(data: bytes) -> PublicKeyFile:
    """A public key file: a plain PEM, or one with header lines naming district and key.

    Raises ValueError for anything else, and for a header whose fingerprint does not
    match the key below it (a header pasted onto another district's key).
    """
    header, pem = _split_key_file(data)
    try:
        key = load_public_key(pem)
    except (ValueError, TypeError, UnicodeError) as exc:
        raise ValueError(f"not an Ed25519 public key ({exc})") from exc
    if header.fingerprint is not None and header.fingerprint != key_fingerprint(key):
        raise ValueError("its Fingerprint line does not match the key in it")
    return PublicKeyFile(key, header)


def _read_bounded(path: Path) -> bytes:
    with open(path, "rb") as fh:
        data = fh.read(KEY_FILE_MAX_BYTES + 1)
    if len(data) > KEY_FILE_MAX_BYTES:
        raise ValueError(f"longer than {KEY_FILE_MAX_BYTES} bytes: not a key file")
    return data


def read_public_key_file(path: Path) -> PublicKeyFile:
    """:func:`parse_public_key_file` of a file, read up to :data:`KEY_FILE_MAX_BYTES`."""
    return parse_public_key_file(_read_bounded(path))


def read_private_key_file(path: Path, password: bytes | None = None) -> PrivateKeyFile:
    header, pem = _split_key_file(_read_bounded(path))
    return PrivateKeyFile(load_private_key(pem, password), header)


def save_keypair(
    private_pem: bytes,
    public_pem: bytes,
    directory: Path,
    district_code: str,
    *,
    key_id: int | None = None,
    district_name: str | None = None,
) -> tuple[Path, Path]:
    """Write ``<district>.key`` (mode 0600) and ``<district>.pub`` under ``directory``,
    each with the header naming the district (and ``key_id``)."""
    if not _FIELD_RE.fullmatch(district_code):
        raise ValueError(f"bad district code {district_code!r}")
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / f"{district_code}.key"
    public_path = directory / f"{district_code}.pub"
    private_text = key_file_text(
        private_pem, PRIVATE_KEY_TITLE, KeyFileHeader(district_code, district_name, key_id)
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_text)
    os.chmod(private_path, 0o600)
    public_path.write_bytes(
        public_key_file_text(
            public_pem, district_code=district_code, district_name=district_name, key_id=key_id
        )
    )
    return private_path, public_path


def load_private_key_file(path: Path, password: bytes | None = None) -> Ed25519PrivateKey:
    return read_private_key_file(path, password).key


def load_public_key_file(path: Path) -> Ed25519PublicKey:
    return read_public_key_file(path).key


# ----------------------------------------------------------------------- payloads


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _b32decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 8)
    return base64.b32decode(padded, casefold=False)


def sign_payload(
    payload: SlipPayload, private_key: PrivateKeyLike, *, key_id: int | None = None
) -> str:
    """The QR text for ``payload``, signed with the district's private key; with
    ``key_id`` the RD2 form, which names the key."""
    key = load_private_key(private_key)
    message = payload.message(key_id)
    signature = key.sign(message.encode("ascii"))
    return f"{message}{SEP}{_b32encode(signature)}"


def parse_slip_unverified(text: str) -> SignedSlip:
    """Parse slip text WITHOUT checking the signature: payload and key number (if named).

    Raises :class:`SignatureInvalid` when the text is not in canonical form.
    """
    slip, _message, _sig = _parse(text)
    return slip


def parse_payload_unverified(text: str) -> SlipPayload:
    """Parse slip text WITHOUT checking the signature (for display and consistency checks).

    Raises :class:`SignatureInvalid` when the text is not in canonical form.
    """
    return parse_slip_unverified(text).payload


def verify_slip_text(text: str, public_key: PublicKeyLike) -> SignedSlip:
    """The payload and key number of a slip text whose signature matches ``public_key``.

    Raises :class:`SignatureInvalid` for malformed, non-canonical or altered text and
    for a signature made with another key.
    """
    slip, message, signature = _parse(text)
    key = load_public_key(public_key)
    try:
        key.verify(signature, message.encode("ascii"))
    except InvalidSignature as exc:
        raise SignatureInvalid("signature does not match") from exc
    return slip


def verify_payload(text: str, public_key: PublicKeyLike) -> SlipPayload:
    """The payload of a slip text whose signature matches ``public_key``.

    Raises :class:`SignatureInvalid` for malformed, non-canonical or altered text and
    for a signature made with another key.
    """
    return verify_slip_text(text, public_key).payload


def _parse(text: str) -> tuple[SignedSlip, str, bytes]:
    if not isinstance(text, str) or not text.isascii():
        raise SignatureInvalid("not ASCII text")
    parts = text.split(SEP)
    key_s: str | None
    if len(parts) == 9 and parts[0] == PREFIX:
        _, case_no, round_s, outcome_c, date_s, reviewer, serial, district, sig_s = parts
        key_s = None
    elif len(parts) == 10 and parts[0] == PREFIX_KEYED:
        _, case_no, round_s, outcome_c, date_s, reviewer, serial, district, key_s, sig_s = parts
        if not _KEY_ID_RE.fullmatch(key_s):
            raise SignatureInvalid("bad key number")
    else:
        raise SignatureInvalid("bad structure")
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
    key_id = int(key_s) if key_s is not None else None
    message = text[: len(text) - SIG_CHARS - 1]
    if message != payload.message(key_id):
        raise SignatureInvalid("non-canonical fields")
    return SignedSlip(payload, key_id), message, signature
