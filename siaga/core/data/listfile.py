"""Lists the KPU, the PPS and Kemendagri publish, read as one table: a CSV file or the first
sheet of a workbook (a `petunjuk` sheet aside), with the scenario reader's column matching,
cell readers, limits and messages (scenario.py, workbook.py, problems.py).

Also the one home of Kemendagri codes in the forms these lists write them: dotted
(35.14.17.2001) or not (3514172001), and the KPU's 13-digit TPS code (the undotted desa code
and a 3-digit TPS number, DOCTRINE.md section 13).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from siaga.core.data import scenario as scenario_io
from siaga.core.data.problems import Problem
from siaga.core.data.workbook import LIMITS, Limits, RawSheet, _read_csv, read_tables

IGNORED_SHEETS = frozenset({"petunjuk", "instructions"})
_NOT_DIGIT = re.compile(r"[.\s-]")
# Digits of each level of a Kemendagri code: provinsi 2, kabupaten/kota 2, kecamatan 2, desa 4.
SEGMENT_DIGITS = (2, 2, 2, 4)


def desa_code(raw: str) -> str | None:
    """A Kemendagri desa code in its dotted form (35.14.17.2001), from the dotted or the
    undotted (3514172001) form; None when it is neither."""
    digits = _NOT_DIGIT.sub("", raw)
    if len(digits) != 10 or not digits.isdigit() or ("." in raw and raw.count(".") != 3):
        return None
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"


def region_code(raw: str) -> str | None:
    """A Kemendagri code of any level in its dotted form (35, 35.14, 35.14.17, 35.14.17.2001)
    from the dotted or the undotted form; None when it is neither (a segment of the wrong
    length, a letter, a dot too many)."""
    text = raw.strip()
    if "." in text:
        parts = text.split(".")
        if len(parts) > 4 or any(len(p) != n or not p.isdigit() for p, n in zip(parts, SEGMENT_DIGITS, strict=False)):
            return None
        return text
    if not text.isdigit() or len(text) not in (2, 4, 6, 10):
        return None
    parts, at = [], 0
    for n in SEGMENT_DIGITS:
        if at < len(text):
            parts.append(text[at : at + n])
            at += n
    return ".".join(parts)


def kpu_code(desa: str, tps_number: int) -> str:
    """The 13-digit KPU TPS code of TPS `tps_number` of desa `desa` (dotted)."""
    return desa.replace(".", "") + f"{tps_number:03d}"


def from_kpu_code(raw: str) -> tuple[str, int] | None:
    """The dotted desa code and the TPS number of a 13-digit KPU TPS code; None when `raw`
    is not one (or its TPS number is 000)."""
    digits = _NOT_DIGIT.sub("", raw)
    if len(digits) != 13 or not digits.isdigit() or int(digits[10:]) == 0:
        return None
    desa = desa_code(digits[:10])
    return None if desa is None else (desa, int(digits[10:]))


def one_table(
    path: Path, limits: Limits = LIMITS, aliases: Mapping[str, str] | None = None, ignored: frozenset[str] = frozenset()
) -> RawSheet:
    """The list's one table: a CSV file, or the first sheet of a workbook (an instructions
    sheet aside), named after the file so that a message names it. Columns named in
    `ignored` are read past; a header in `aliases` (normalised) is read as the name it maps to.
    Raises `UnreadableFile` when the file cannot be read."""
    if path.suffix.lower() == ".csv" and path.is_file():
        sheet = _read_csv(path, limits)
        sheet.name = path.name
    else:
        tables = [t for t in read_tables(path, limits) if scenario_io.normalise(t.name) not in IGNORED_SHEETS]
        if not tables:
            return RawSheet(path.name, [])
        sheet = tables[0]
        sheet.name = path.name if len(tables) == 1 else f"{path.name} ({sheet.name})"
    keep = [i for i, h in enumerate(sheet.header) if scenario_io.normalise(h) not in ignored]
    if len(keep) < len(sheet.header):
        sheet.rows = [[row[i] if i < len(row) else "" for i in keep] for row in sheet.rows]
        sheet.header = [sheet.header[i] for i in keep]
    sheet.header = [(aliases or {}).get(scenario_io.normalise(h), h) for h in sheet.header]
    return sheet


def read_columns(spec: scenario_io.Sheet, sheet: RawSheet) -> tuple[scenario_io.Table | None, list[Problem]]:
    """`sheet` read as `spec` by the scenario reader (column matching, cell readers): the
    table (None when the sheet is empty) and the problems of its header and cells."""
    reader: Any = scenario_io._Validator([])
    reader.problems.clear()
    reader.sheets = {spec.name: sheet}
    table = reader._table(spec)
    return table, list(reader.problems)
