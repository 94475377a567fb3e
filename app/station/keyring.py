"""The station's district public keys and the offline check of a slip against them.

A school station holds the public key files its district bureau gave it (``reviewdesk keys
export``: the current key and, after a rotation, the retired ones whose slips are still in
parents' hands). Checking a slip needs nothing else: no network, no store. What a key file
cannot say — whether the key was revoked since, whether the decision still stands — is the
store's to answer (:mod:`app.station.station`).

The rules follow ``reviewdesk verify-slip --key FILE`` (``app/cli/notices.py``), over a set
of files instead of one: a key of one district never vouches for another district's slip,
and a slip naming key N is checked with key N only. A key file must name its district
(every file ``keys export`` writes does); a plain PEM is refused when it is added, because
the station could not tell whose slips it checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.notices.signing import (
    KEY_FILE_MAX_BYTES,
    PREFIX,
    PREFIX_KEYED,
    SEP,
    KeyFileHeader,
    PublicKeyFile,
    SignatureInvalid,
    SlipPayload,
    key_fingerprint,
    parse_public_key_file,
    parse_slip_unverified,
    verify_slip_text,
)
from app.station.errors import StationRefusal

# What the key files alone say about a slip.
GENUINE: Final = "genuine"  # the signature matches one of the district's keys here
NOT_A_SLIP: Final = "not_a_slip"  # some other QR code (a link, a payment code)
FORGED: Final = "forged"  # a slip's shape, but altered or signed with no key of its district
OTHER_DISTRICT: Final = "other_district"  # the station has no key of the slip's district
KEY_MISSING: Final = "key_missing"  # the district's, but the key it names is not here
NO_KEYS: Final = "no_keys"  # the station has no key file at all

MAX_SLIP_TEXT: Final = 4096  # as verify-slip: a slip's QR text is a few hundred characters


class KeyFileRefused(StationRefusal):
    """A file that cannot serve as a station key, said in one line."""


@dataclass(frozen=True)
class StationKey:
    """One district public key the station checks slips with (the file as it was given)."""

    district_code: str
    district_name: str | None
    key_id: int | None  # None: a file exported from a workstation's copy, not numbered
    fingerprint: str
    file_text: bytes

    @property
    def title(self) -> str:
        """``东湖区 (360102), key 2`` — which key this is, for lists and the command line."""
        name = f"{self.district_name} ({self.district_code})" if self.district_name else ""
        where = name or self.district_code
        return f"{where}, key {self.key_id}" if self.key_id is not None else where

    def public_key(self) -> PublicKeyFile:
        return parse_public_key_file(self.file_text)


def station_key(data: bytes, source: str = "the key file") -> StationKey:
    """A station key from a public key file's bytes; :class:`KeyFileRefused` (naming
    ``source``) for anything that is not a district public key file naming its district."""
    try:
        parsed = parse_public_key_file(data)
    except ValueError as exc:
        raise KeyFileRefused(
            f"{source} is not a district public key file ({exc}): use the file that "
            "reviewdesk keys export wrote",
            "not_key",
        ) from exc
    header: KeyFileHeader = parsed.header
    if header.district_code is None:
        raise KeyFileRefused(
            f"{source} does not say which district's key it is (a plain PEM): export it "
            "again with reviewdesk keys export --district NAME, which names the district",
            "no_district",
        )
    return StationKey(
        district_code=header.district_code,
        district_name=header.district_name,
        key_id=header.key_id,
        fingerprint=key_fingerprint(parsed.key),
        file_text=data,
    )


def read_station_key(path: Path) -> StationKey:
    """:func:`station_key` of a file (read up to the key file limit, 16 KiB)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(KEY_FILE_MAX_BYTES + 1)
    except OSError as exc:
        raise KeyFileRefused(f"cannot read {path}: {exc.strerror or exc}", "unreadable") from exc
    return station_key(data, str(path))


@dataclass(frozen=True)
class OfflineCheck:
    """What the station's key files say about one scanned text."""

    outcome: str  # GENUINE, NOT_A_SLIP, FORGED, OTHER_DISTRICT, KEY_MISSING or NO_KEYS
    payload: SlipPayload | None = None  # what the slip claims (vouched for only if GENUINE)
    key_id: int | None = None  # the key the slip names (or that verified it)
    district_name: str | None = None  # from the key file that verified it
    detail: str = ""  # why, in English (kept in the log, not shown at the door)

    @property
    def genuine(self) -> bool:
        return self.outcome == GENUINE

    @property
    def final(self) -> bool:
        """No store can turn this answer into a genuine slip: the text is no slip, altered,
        or from a district whose keys the station holds none of."""
        return self.outcome in (NOT_A_SLIP, FORGED, OTHER_DISTRICT)


def looks_like_slip(text: str) -> bool:
    return text.startswith((PREFIX + SEP, PREFIX_KEYED + SEP))


def check_offline(text: str, keys: Sequence[StationKey]) -> OfflineCheck:
    """Check ``text`` (already normalised: see :func:`app.station.station.normalise`)
    against the station's keys."""
    if len(text) > MAX_SLIP_TEXT or not looks_like_slip(text):
        return OfflineCheck(NOT_A_SLIP, detail="not a ReviewDesk slip")
    try:
        claimed = parse_slip_unverified(text)
    except SignatureInvalid as exc:
        return OfflineCheck(FORGED, detail=str(exc))
    payload, named = claimed.payload, claimed.key_id
    if not keys:
        return OfflineCheck(NO_KEYS, payload, named, detail="no key file on this station")
    district = [k for k in keys if k.district_code == payload.district_code]
    if not district:
        return OfflineCheck(
            OTHER_DISTRICT,
            payload,
            named,
            detail=f"no key of district {payload.district_code} on this station",
        )
    if named is not None:
        exact = [k for k in district if k.key_id == named]
        # A key exported from a workstation's copy carries no number: it may be key N.
        candidates = exact or [k for k in district if k.key_id is None]
    else:
        # An RD1 slip (printed before keys were numbered, by what became key 1): try all.
        exact = [k for k in district if k.key_id in (1, None)]
        candidates = list(district)
    for key in candidates:
        try:
            signed = verify_slip_text(text, key.public_key().key)
        except SignatureInvalid:
            continue
        return OfflineCheck(
            GENUINE,
            signed.payload,
            signed.key_id if signed.key_id is not None else key.key_id,
            key.district_name,
        )
    if exact:
        which = f"key {named}" if named is not None else "any key"
        return OfflineCheck(
            FORGED,
            payload,
            named,
            district[0].district_name,
            f"signature does not match {which} of district {payload.district_code}",
        )
    return OfflineCheck(
        KEY_MISSING,
        payload,
        named if named is not None else 1,
        district[0].district_name,
        f"no file of key {named if named is not None else 1} of district "
        f"{payload.district_code} on this station",
    )
