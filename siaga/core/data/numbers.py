"""A person's numbers: the NRP or NIK that is their id, and their phone.

An NRP of Polri (Brimob too) has 8 digits; a Linmas is known by the 16-digit NIK of the KTP,
or, named without one by the PPS decree, by `<TPS id>/<number>` (docs/scenario.md 1.12). A
TNI NRP and a Satpol PP NIP are not checked: nothing written down gives their shape. A phone
is digits with + ( ) - . and spaces, 8 to 15 digits; a cell holding only a dash (a sheet's
"none") reads as blank.

Each check raises `cells.Bad`, so the scenario importer and the console's person forms word a
bad value with the one message of problems.MESSAGES. `codes_valid` and `phones_valid` say at
C speed whether a whole column passes, for a national roster of millions; the importer names
each bad cell only when one does not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from itertools import compress, repeat

from siaga.core.data.cells import Bad
from siaga.core.data.model import Force

CODE_DIGITS = {Force.POLRI: 8, Force.BRIMOB: 8, Force.LINMAS: 16}
PHONE = re.compile(r"\+?[0-9 ().-]+")
PHONE_DIGITS = (8, 15)
_PHONE_LENGTHS = frozenset({0, *range(PHONE_DIGITS[0], PHONE_DIGITS[1] + 1)})
_SEPARATORS = str.maketrans("", "", "+ ().-")
_NO_PHONE = re.compile(r"[-–—.\s]+")  # "-", "--", "–": the sheet's way of writing "none"


def check_code(force: Force | None, code: str) -> None:
    """Bad when `code` cannot be the NRP/NIK of a person of `force` (`nrp_digits`, `nik_digits`)."""
    digits = CODE_DIGITS.get(force) if force is not None else None
    if digits is None or (code.isascii() and code.isdigit() and len(code) == digits):
        return
    if force == Force.LINMAS:
        if _decree_id(code):
            return
        raise Bad("nik_digits", written=code)
    if code.isascii() and code.isdigit() and len(code) == digits - 1:  # a number cell dropped the leading 0
        raise Bad("nrp_lost_zero", written=code)
    raise Bad("nrp_digits", written=code)


def _decree_id(code: str) -> bool:
    """`<TPS id>/<number>`: a Linmas the PPS decree names without a NIK (linmas.py)."""
    tps, slash, number = code.rpartition("/")
    return bool(slash and tps and number)


def read_phone(phone: str) -> str:
    """The phone as stored: as written, "" for a blank or a lone dash; Bad (`not_phone`) when
    it is not one number of 8 to 15 digits."""
    if not phone or _NO_PHONE.fullmatch(phone):
        return ""
    if phone.isascii() and PHONE.fullmatch(phone):
        count = len(phone.translate(_SEPARATORS))
        if PHONE_DIGITS[0] <= count <= PHONE_DIGITS[1]:
            return phone
    raise Bad("not_phone", phone=phone, low=PHONE_DIGITS[0], high=PHONE_DIGITS[1])


def codes_valid(forces: Sequence[Force | None], codes: Sequence[str | None]) -> bool:
    """True when every code passes `check_code` for its force (False: some may not)."""
    if _digits_only(codes):  # a national roster's case: each code's length is enough
        lengths = list(map(len, codes))  # type: ignore[arg-type]  # no None: _digits_only
        expected = list(map(CODE_DIGITS.get, forces, lengths))  # type: ignore[arg-type]  # None: its own length
        return expected == lengths
    for force, digits in CODE_DIGITS.items():
        picked = list(compress(codes, map(operator.is_, forces, repeat(force))))
        if picked and not (_digits_only(picked) and set(map(len, picked)) == {digits}):  # type: ignore[arg-type]
            return False
    return True


def phones_valid(phones: Sequence[str | None]) -> bool:
    """True when every phone is blank or digits only of an allowed length, so `read_phone`
    leaves it as it is (False: some may be refused or read otherwise, or are None)."""
    return _digits_only(phones) and set(map(len, phones)) <= _PHONE_LENGTHS  # type: ignore[arg-type]


def _digits_only(values: Sequence[str | None]) -> bool:
    """Every value is text of ASCII digits only (blank included), checked on the joined bytes."""
    try:
        return not "".join(values).encode("ascii").translate(None, b"0123456789")  # type: ignore[arg-type]
    except (TypeError, UnicodeEncodeError):  # a None (a bad cell), a character beyond ASCII
        return False
