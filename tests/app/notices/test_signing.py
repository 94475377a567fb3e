"""Signed slip payloads: round trip, every single-character change refused, wrong key."""

from __future__ import annotations

import stat

import pytest

from app.notices.signing import (
    SIG_CHARS,
    KeyFileHeader,
    SignatureInvalid,
    SignedSlip,
    SlipPayload,
    generate_keypair,
    key_fingerprint,
    load_private_key_file,
    load_public_key,
    load_public_key_file,
    parse_payload_unverified,
    parse_public_key_file,
    parse_slip_unverified,
    public_key_file_text,
    public_pem_of,
    read_private_key_file,
    read_public_key_file,
    save_keypair,
    sign_payload,
    verify_payload,
    verify_slip_text,
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


# --- slips that name their key (RD2) --------------------------------------------------


def test_a_slip_names_the_key_that_signed_it(keys: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keys
    text = sign_payload(_payload(), private_pem, key_id=12)
    assert text.startswith("RD2*2025-DH-100123*2*J*20250612*R017*TZ2025000123*360102*12*")
    assert set(text) <= QR_ALPHANUMERIC
    assert verify_slip_text(text, public_pem) == SignedSlip(_payload(), 12)
    assert parse_slip_unverified(text) == SignedSlip(_payload(), 12)
    assert verify_payload(text, public_pem) == _payload()  # what the notice says
    # the RD1 form (printed before keys were numbered) still verifies, naming no key
    old = sign_payload(_payload(), private_pem)
    assert verify_slip_text(old, public_pem) == SignedSlip(_payload(), None)
    # the key number is signed: moving a slip to another key number is refused
    for other in ("1", "2", "120"):
        with pytest.raises(SignatureInvalid):
            verify_payload(text.replace("*360102*12*", f"*360102*{other}*"), public_pem)
    with pytest.raises(SignatureInvalid):  # dropping the number (RD2 → RD1) as well
        verify_payload("RD1" + text[3:].replace("*360102*12*", "*360102*"), public_pem)


def test_the_key_number_keeps_the_qr_code_its_size() -> None:
    import segno

    private_pem, _ = generate_keypair()
    real = _payload(
        case_no="202636010200001",
        round=1,
        outcome="approve",
        date="2026-06-10",
        reviewer_code="R0002",
        serial="360102260610-12-000001",  # a workstation's serial: the longest kind
    )
    old, new = sign_payload(real, private_pem), sign_payload(real, private_pem, key_id=99)
    assert len(new) == len(old) + 3
    version = [segno.make(t, error="m", boost_error=False).version for t in (old, new)]
    assert version[0] == version[1], version


def test_every_single_character_change_of_a_keyed_slip_is_refused(
    keys: tuple[bytes, bytes],
) -> None:
    private_pem, public_pem = keys
    text = sign_payload(_payload(), private_pem, key_id=3)
    for i, ch in enumerate(text):
        for sub in {"A" if ch != "A" else "B", "7" if ch != "7" else "2", "*", "-", "审"} - {ch}:
            with pytest.raises(SignatureInvalid):
                verify_payload(text[:i] + sub + text[i + 1 :], public_pem)
        with pytest.raises(SignatureInvalid):
            verify_payload(text[:i] + text[i + 1 :], public_pem)


@pytest.mark.parametrize("key", ["0", "01", "10000", "A", "", "-1"])
def test_malformed_key_numbers_are_refused(keys: tuple[bytes, bytes], key: str) -> None:
    text = f"RD2*2025-DH-1*1*A*20250612*R1*S1*360102*{key}*" + "A" * SIG_CHARS
    with pytest.raises(SignatureInvalid):
        parse_slip_unverified(text)
    with pytest.raises(ValueError):
        sign_payload(_payload(), keys[0], key_id=0)


# --- key files name their district and key --------------------------------------------


def test_a_public_key_file_names_district_key_and_fingerprint(keys: tuple[bytes, bytes]) -> None:
    data = public_key_file_text(keys[1], district_code="360102", district_name="东湖区", key_id=2)
    text = data.decode("utf-8")
    assert text.endswith(keys[1].decode("ascii"))  # the PEM block itself is unchanged
    assert "District: 360102 东湖区\nKey: 2\n" in text
    read = parse_public_key_file(data)
    assert read.header == KeyFileHeader("360102", "东湖区", 2, key_fingerprint(keys[1]))
    assert read.key.public_bytes_raw() == load_public_key(keys[1]).public_bytes_raw()
    # OpenSSL-style readers skip the header too
    assert load_public_key(data).public_bytes_raw() == read.key.public_bytes_raw()
    # a plain PEM is a key file that says nothing about whose key it is
    assert parse_public_key_file(keys[1]).header == KeyFileHeader()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("Key: 2", "Key: 02"),
        lambda t: t.replace("District: 360102", "District: 36*102"),
        lambda t: t.replace("District: 360102 东湖区\n", ""),  # a key number but no district
        lambda t: t.replace("Key: 2\n", "Key: 2\nKey: 3\n"),
        lambda t: t + t,  # two keys in one file
        lambda t: t + "trailing text\n",
        lambda t: t.replace("东湖区", "东湖区\x1b[2J"),
        lambda t: "x" * 20_000 + t,
    ],
)
def test_malformed_key_files_are_refused(keys: tuple[bytes, bytes], mangle: object) -> None:
    text = public_key_file_text(keys[1], district_code="360102", district_name="东湖区", key_id=2)
    bad = mangle(text.decode("utf-8"))  # type: ignore[operator]
    with pytest.raises(ValueError):
        parse_public_key_file(bad.encode("utf-8"))


def test_a_header_pasted_onto_another_key_is_refused(keys: tuple[bytes, bytes]) -> None:
    _, other = generate_keypair()
    text = public_key_file_text(keys[1], district_code="360102", key_id=1).decode()
    pasted = text[: text.index("-----BEGIN")] + other.decode()
    with pytest.raises(ValueError, match="Fingerprint"):
        parse_public_key_file(pasted.encode())


def test_saved_key_files_carry_their_header(tmp_path: object, keys: tuple[bytes, bytes]) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path)) / "keys"
    private_path, public_path = save_keypair(
        keys[0], keys[1], directory, "360102", key_id=4, district_name="东湖区"
    )
    private = read_private_key_file(private_path)
    assert private.header.district_code == "360102" and private.header.key_id == 4
    assert public_pem_of(private.key) == keys[1]
    public = read_public_key_file(public_path)
    assert public.header == KeyFileHeader("360102", "东湖区", 4, key_fingerprint(keys[1]))
