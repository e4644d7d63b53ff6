"""Signed, tamper-evident tokens for the QR code of an assignment card.

A token is `PAYLOAD.SIGNATURE`: the payload is compact JSON in base64url without padding, the
signature the first 16 bytes of HMAC-SHA256 over the payload text, also base64url. Anyone can
read a token; only the holder of the key can make one that verifies. The signature is
compared as text, so no character of a token can change without `verify` failing (base64
has several spellings of the same bytes in its last character; only the canonical one passes).

The key comes from the caller; `key_file` keeps one in a file only its owner can read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from siaga.core.data.text import TranslatedError, gettext_noop

SIGNATURE_BYTES = 16
KEY_BYTES = 32
MIN_KEY_BYTES = 16


class BadToken(TranslatedError, ValueError):
    """The token is malformed or its signature does not match: it was altered or forged."""


class KeyTooShort(TranslatedError, ValueError):
    """A signing key shorter than MIN_KEY_BYTES."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, key: bytes) -> str:
    if len(key) < MIN_KEY_BYTES:
        raise KeyTooShort(gettext_noop("kunci terlalu pendek: kurang dari %(bytes)s bita"), bytes=MIN_KEY_BYTES)
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()[:SIGNATURE_BYTES])


def sign(payload: dict[str, Any], key: bytes) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return f"{body}.{_signature(body, key)}"


def verify(token: str, key: bytes) -> dict[str, Any]:
    """The payload of a genuine token; BadToken for anything else."""
    body, dot, signature = token.partition(".")
    if not dot or not body.isascii() or not signature.isascii():
        raise BadToken(gettext_noop("bukan token kartu"))
    if not hmac.compare_digest(_signature(body, key).encode("ascii"), signature.encode("ascii")):
        raise BadToken(gettext_noop("tanda tangan tidak cocok"))
    try:
        payload = json.loads(_unb64(body))
    except (binascii.Error, ValueError) as exc:
        raise BadToken(gettext_noop("isi token rusak")) from exc
    if not isinstance(payload, dict):
        raise BadToken(gettext_noop("isi token rusak"))
    return payload


def key_file(path: Path) -> bytes:
    """The key kept in `path`; a new random key is written there (mode 0600) when it is missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) < MIN_KEY_BYTES:
            raise KeyTooShort(
                gettext_noop("%(path)s: kunci terlalu pendek: kurang dari %(bytes)s bita"),
                path=path,
                bytes=MIN_KEY_BYTES,
            ) from None
        return key
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key
