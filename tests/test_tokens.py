"""Card tokens: what one key signs verifies, and nothing else does."""

import base64
import hashlib
import hmac
import json
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from siaga.core.documents import tokens

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
