"""Card tokens: what one key signs verifies, and nothing else does; the QR code that carries
one is the symbol segno would draw."""

import base64
import hashlib
import hmac
import json
import stat

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from siaga.core.documents import qr, tokens

KEY = bytes(range(32))
PAYLOAD = {"nrp": "80015250", "plan": "0123456789abcdef", "post": "TPS-35.14.16.2007-1"}
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."


def forged(body: bytes, key: bytes = KEY) -> str:
    """A token made by hand, signed with the real key: the format written again."""
    text = base64.urlsafe_b64encode(body).rstrip(b"=").decode()
    mac = hmac.new(key, text.encode(), hashlib.sha256).digest()[:16]
    return text + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def test_it_verifies_the_tokens_it_signs():
    assert tokens.verify(tokens.sign(PAYLOAD, KEY), KEY) == PAYLOAD


@given(st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=20), st.integers()), max_size=4))
def test_it_round_trips_any_payload(payload):
    assert tokens.verify(tokens.sign(payload, KEY), KEY) == payload


def test_it_refuses_a_token_with_any_one_character_changed():
    token = tokens.sign(PAYLOAD, KEY)
    for i, original in enumerate(token):
        for replacement in {"A", "B", "g", "w", "0", "-", "."} - {original}:
            altered = token[:i] + replacement + token[i + 1 :]
            with pytest.raises(tokens.BadToken):
                tokens.verify(altered, KEY)


def test_it_refuses_a_token_signed_with_another_key():
    with pytest.raises(tokens.BadToken):
        tokens.verify(tokens.sign(PAYLOAD, KEY), bytes(32))


@pytest.mark.parametrize(
    "token",
    ["", "no-dot-here", ".", "abc.", ".abc", "é.é", forged(b"not json"), forged(b"[1, 2]"), forged(b'"text"')],
)
def test_it_refuses_what_is_not_a_genuine_token(token):
    with pytest.raises(tokens.BadToken):
        tokens.verify(token, KEY)


def test_it_accepts_a_hand_made_token_in_the_documented_format():
    assert tokens.verify(forged(json.dumps(PAYLOAD).encode()), KEY) == PAYLOAD


def test_it_refuses_a_key_too_short_to_sign_with():
    with pytest.raises(ValueError):
        tokens.sign(PAYLOAD, b"short")


def test_it_creates_a_key_file_only_its_owner_can_read_and_reuses_it(tmp_path):
    path = tmp_path / "var" / "card-key"
    key = tokens.key_file(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tokens.key_file(path) == key


def test_it_refuses_a_key_file_too_short(tmp_path):
    path = tmp_path / "card-key"
    path.write_bytes(b"1234")
    with pytest.raises(ValueError, match="too short|terlalu pendek"):
        tokens.key_file(path)


# ---------------------------------------------------------------- the QR code that carries a token


@given(st.text(alphabet=ALPHABET, max_size=600))
def test_the_fast_qr_code_is_segnos_symbol(text):
    token = "t" + text  # a lower-case letter: byte mode, as every token is
    expected = segno.make(token, error="m", micro=False, boost_error=False, mask=qr.MASK)
    assert qr.modules(token, border=0) == [bytes(row) for row in expected.matrix]


@pytest.mark.parametrize("length, version", [(1, 1), (14, 1), (15, 2), (106, 6), (107, 7), (2331, 40)])
def test_it_picks_the_smallest_qr_version_that_holds_the_token(length, version):
    assert qr.version_for(length) == version


def test_it_refuses_a_token_too_long_for_any_qr_code():
    with pytest.raises(qr.TooLong):
        qr.matrix("t" * 2332)
