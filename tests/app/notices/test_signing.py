"""Signed slip payloads: round trip, every single-character change refused, wrong key."""

from __future__ import annotations

import stat

import pytest

from app.notices.signing import (
    SIG_CHARS,
    SignatureInvalid,
    SlipPayload,
    generate_keypair,
    load_private_key_file,
    load_public_key,
    load_public_key_file,
    parse_payload_unverified,
    public_pem_of,
    save_keypair,
    sign_payload,
    verify_payload,
)

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_keypair()


def _payload(**kw: object) -> SlipPayload:
    base: dict[str, object] = dict(
        case_no="2025-DH-100123",
        round=2,
        outcome="reject",
        date="2025-06-12",
        reviewer_code="R017",
        serial="TZ2025000123",
        district_code="360102",
    )
    base.update(kw)
    return SlipPayload(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("outcome", ["approve", "reject", "return", "onsite"])
def test_round_trip(keys: tuple[bytes, bytes], outcome: str) -> None:
    private_pem, public_pem = keys
    payload = _payload(outcome=outcome)
    text = sign_payload(payload, private_pem)
    assert verify_payload(text, public_pem) == payload
    assert parse_payload_unverified(text) == payload


def test_text_is_compact_ascii_and_qr_alphanumeric(keys: tuple[bytes, bytes]) -> None:
    text = sign_payload(_payload(), keys[0])
    assert text.startswith("RD1*2025-DH-100123*2*J*20250612*R017*TZ2025000123*360102*")
    assert text.isascii()
    assert set(text) <= QR_ALPHANUMERIC, set(text) - QR_ALPHANUMERIC
    assert len(text.rsplit("*", 1)[1]) == SIG_CHARS
    assert len(text) <= 170


def test_every_single_character_change_is_refused(keys: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keys
    text = sign_payload(_payload(), private_pem)
    tried = 0
    for i, ch in enumerate(text):
        # a neighbour in the same class, a char from another class, a lowercase,
        # a separator and a non-ASCII character
        subs = {
            "A" if ch != "A" else "B",
            "7" if ch != "7" else "2",
            "*" if ch != "*" else "-",
            ch.lower() if ch.isupper() else "z",
            "审",
        }
        for sub in subs:
            bad = text[:i] + sub + text[i + 1 :]
            assert bad != text
            with pytest.raises(SignatureInvalid, match="signature invalid"):
                verify_payload(bad, public_pem)
            tried += 1
        # deletion and insertion at every position are refused as well
        with pytest.raises(SignatureInvalid):
            verify_payload(text[:i] + text[i + 1 :], public_pem)
        with pytest.raises(SignatureInvalid):
            verify_payload(text[:i] + "A" + text[i:], public_pem)
    assert tried >= 5 * len(text) - 5


def test_last_signature_character_spare_bits_are_refused(keys: tuple[bytes, bytes]) -> None:
    # 64 bytes in unpadded base32 leave 3 unused bits in the last character; a
    # different character decoding to the same bytes must still be refused.
    private_pem, public_pem = keys
    text = sign_payload(_payload(), private_pem)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(text[-1])
    for other in range(32):
        if other != last and other >> 3 == last >> 3:
            with pytest.raises(SignatureInvalid):
                verify_payload(text[:-1] + alphabet[other], public_pem)


def test_wrong_key_is_refused(keys: tuple[bytes, bytes]) -> None:
    text = sign_payload(_payload(), keys[0])
    _, other_public = generate_keypair()
    with pytest.raises(SignatureInvalid, match="signature invalid"):
        verify_payload(text, other_public)


def test_resigned_with_other_key_is_refused(keys: tuple[bytes, bytes]) -> None:
    other_private, _ = generate_keypair()
    forged = sign_payload(_payload(outcome="approve"), other_private)
    with pytest.raises(SignatureInvalid):
        verify_payload(forged, keys[1])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "RD1",
        "RD1*",
        "hello world",
        "RD2*2025-DH-1*1*A*20250612*R1*S1*360102*" + "A" * SIG_CHARS,
        "RD1*2025-DH-1*01*A*20250612*R1*S1*360102*" + "A" * SIG_CHARS,
        "RD1*2025-DH-1*1*Q*20250612*R1*S1*360102*" + "A" * SIG_CHARS,
        "RD1*2025-DH-1*1*A*20251312*R1*S1*360102*" + "A" * SIG_CHARS,
        "RD1*2025-DH-1*1*A*20250612*R1*S1*360102*" + "A" * (SIG_CHARS - 1),
        "RD1*2025-DH-1*1*A*20250612*R1*S1*360102*" + "A" * SIG_CHARS,
        "RD1*2025-DH-1*1*A*20250612*R1*S1*360102*" + "A" * SIG_CHARS + "*",
    ],
)
def test_malformed_text_is_refused(keys: tuple[bytes, bytes], text: str) -> None:
    with pytest.raises(SignatureInvalid):
        verify_payload(text, keys[1])


@pytest.mark.parametrize(
    "kw",
    [
        {"case_no": "2025-dh-1"},
        {"case_no": "2025*1"},
        {"case_no": ""},
        {"serial": "X" * 33},
        {"round": 0},
        {"outcome": "maybe"},
        {"date": "2025-6-12"},
        {"date": "2025-02-30"},
    ],
)
def test_payload_fields_are_validated(kw: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        _payload(**kw)


def test_save_and_load_keys(tmp_path: object, keys: tuple[bytes, bytes]) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path)) / "keys"
    private_path, public_path = save_keypair(keys[0], keys[1], directory, "360102")
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    private = load_private_key_file(private_path)
    public = load_public_key_file(public_path)
    text = sign_payload(_payload(), private)
    assert verify_payload(text, public) == _payload()
    assert public_pem_of(keys[0]) == keys[1]
    with pytest.raises(ValueError):
        load_public_key(b"not a key")
