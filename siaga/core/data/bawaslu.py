"""A Bawaslu TPS-rawan list (CSV or `.xlsx`) read against the operation's indicator catalogue
(docs/scenario.md, "Bawaslu TPS-rawan list"; docs/indicators.md).

Bawaslu publishes its TPS-rawan list a few days before the vote (Pemilu 2024: H-3; Pilkada
2024: H-7 to H-3, DOCTRINE.md section 13): a TPS code and, for each indicator of that
election's catalogue, whether it holds at the TPS. Here a list has one column for the TPS (the
KPU's 13-digit code, or the operation's own TPS code) and one column per indicator, named by
the catalogue's key (`violence_history`) or its Indonesian label ("Riwayat kekerasan di TPS"),
each cell 0 or 1. Columns naming the province, regency, kecamatan or desa are read past.

`read_bawaslu(path, scenario, version)` returns the list, or raises `ScenarioError` with every
problem (a column no indicator of the catalogue, a TPS the operation does not have, a flag
that is not 0 or 1: each naming the file, the row and the column). `with_bawaslu` puts the
list's flags on the TPS it names: a 1 sets the indicator, a 0 clears it; the indicators the
list has no column for, and the TPS it does not name, keep what they had.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from siaga.core.data import scenario as scenario_io
from siaga.core.data.indicators import Indicator, Scope, catalog, catalogue, version_of
from siaga.core.data.kpu import IGNORED_COLUMNS
from siaga.core.data.listfile import kpu_code, one_table
from siaga.core.data.model import Scenario
from siaga.core.data.problems import HINT, MESSAGES, Problem, ScenarioError
from siaga.core.data.text import Message, gettext_noop
from siaga.core.data.workbook import LIMITS, Limits

BAWASLU_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "bawaslu_no_tps_column": gettext_noop(
            "kolom kode TPS tidak ada; beri nama kolom kode TPS 'kode_tps' (kode KPU 13 angka atau kode TPS operasi)"
        ),
        "bawaslu_no_indicators": gettext_noop(
            "tidak ada kolom indikator; beri nama kolom dengan kunci atau label indikator katalog %(catalogue)s"
        ),
        "bawaslu_unknown_column": gettext_noop("bukan indikator TPS katalog %(catalogue)s%(hint)s"),
        "bawaslu_other_catalogue": gettext_noop(
            "indikator ini tidak ada di katalog %(catalogue)s yang dipakai operasi ini"
        ),
        "bawaslu_desa_indicator": gettext_noop(
            "indikator desa; daftar TPS rawan hanya memuat indikator TPS (isi di lembar wilayah)"
        ),
        "bawaslu_duplicate_column": gettext_noop("indikator ini sudah ada di kolom '%(other)s'"),
        "bawaslu_unknown_tps": gettext_noop("TPS tidak ada di operasi ini (kode KPU 13 angka atau kode TPS operasi)"),
        "bawaslu_duplicate_tps": gettext_noop("TPS ini sudah ada di baris %(other_row)s"),
        "bawaslu_not_flag": gettext_noop("harus 0 atau 1 (1: indikator terjadi di TPS ini)"),
        "bawaslu_no_rows": gettext_noop("daftar TPS rawan tidak berisi satu baris TPS pun"),
        "bawaslu_no_tps_indicators": gettext_noop(
            "katalog %(catalogue)s tidak memuat indikator TPS: Bawaslu tidak menerbitkan daftar TPS rawan untuk "
            "pemilihan ini; pilih katalog pemilu-2024 atau pilkada-2024 di lembar operasi (katalog_kerawanan)"
        ),
    }
)
BAWASLU_WORDS: Mapping[str, str] = MappingProxyType({**MESSAGES, **BAWASLU_MESSAGES})
TPS_COLUMNS = frozenset({"kode_tps", "tps_code", "kode_tps_kpu", "id_tps", "tps_id", "tps"})
FLAG_VALUES = {"0": 0, "1": 1, "0.0": 0, "1.0": 1}
_NOT_DIGIT = re.compile(r"[.\s-]")


@dataclass(frozen=True, slots=True)
class BawasluProblem(Problem):
    """A problem of a Bawaslu list: its place as `Problem` gives it, its words from `BAWASLU_MESSAGES`."""

    def words(self) -> Mapping[str, str]:
        return BAWASLU_WORDS


@dataclass(frozen=True)
class BawasluList:
    """A Bawaslu TPS-rawan list as read: its catalogue, the indicator keys it has a column
    for, and each named TPS's flags (TPS id -> key -> 0 or 1), in the list's order."""

    catalogue: str
    keys: tuple[str, ...]
    flags: Mapping[str, Mapping[str, int]]

    def flagged(self) -> dict[str, tuple[str, ...]]:
        """Each named TPS's indicators that hold (a 1)."""
        return {tps: tuple(k for k, v in values.items() if v) for tps, values in self.flags.items()}


def read_bawaslu(
    path: str | Path, scenario: Scenario, version: str | None = None, limits: Limits = LIMITS
) -> BawasluList:
    """The list at `path` against `scenario`'s TPS and the catalogue `version` (default: the
    operation's). Raises `ScenarioError` with every problem; `UnreadableFile` when the file
    cannot be read at all."""
    path = Path(path)
    op = scenario.operation
    version = version or version_of(op.catalogue, op.pattern)
    chosen = {k: ind for k, ind in catalogue(version).items() if ind.scope == Scope.TPS}
    sheet = one_table(path, limits, None, IGNORED_COLUMNS)
    name = sheet.name
    problems: list[Problem] = []

    def problem(code: str, row: int | None = None, column: str = "", value: object = "", **params: object) -> None:
        problems.append(BawasluProblem(code, sheet=name, row=row, column=column, value=str(value), params=params))

    if not chosen:
        problem("bawaslu_no_tps_indicators", catalogue=version)
        raise ScenarioError(problems)
    by_name = _names(chosen)
    tps_at: int | None = None
    key_at: dict[str, int] = {}
    head_of: dict[str, str] = {}
    for i, head in enumerate(sheet.header):
        norm = scenario_io.normalise(str(head))
        if not norm:
            continue
        if norm in TPS_COLUMNS and tps_at is None:
            tps_at = i
            continue
        key = by_name.get(norm)
        if key is None:
            other = _names(catalog()).get(norm)
            if other is not None and catalog()[other].scope == Scope.DESA:
                problem("bawaslu_desa_indicator", 1, head)
            elif other is not None:
                problem("bawaslu_other_catalogue", 1, head, catalogue=version)
            else:
                close = difflib.get_close_matches(norm, list(by_name), n=1)
                hint = Message(HINT, suggestion=close[0]) if close else ""
                problem("bawaslu_unknown_column", 1, head, catalogue=version, hint=hint)
            continue
        if key in key_at:
            problem("bawaslu_duplicate_column", 1, head, other=head_of[key])
            continue
        key_at[key], head_of[key] = i, str(head)
    if tps_at is None:
        problem("bawaslu_no_tps_column", 1)
    if not key_at and not problems:
        problem("bawaslu_no_indicators", 1, catalogue=version)
    if problems:
        raise ScenarioError(problems)
    assert tps_at is not None
    tps_head = str(sheet.header[tps_at])
    if not sheet.rows:
        problem("bawaslu_no_rows")
    tps_of = _tps_codes(scenario)
    flags: dict[str, dict[str, int]] = {}
    first: dict[str, int] = {}
    for cells_, row in zip(sheet.rows, sheet.row_numbers, strict=True):
        raw = _text(cells_[tps_at] if tps_at < len(cells_) else "")
        tps = tps_of.get(raw) or tps_of.get(_NOT_DIGIT.sub("", raw))
        if tps is None:
            problem("bawaslu_unknown_tps", row, tps_head, raw)
        elif tps in first:
            problem("bawaslu_duplicate_tps", row, tps_head, raw, other_row=first[tps])
            tps = None
        else:
            first[tps] = row
        values: dict[str, int] = {}
        for key, at in key_at.items():
            text = _text(cells_[at] if at < len(cells_) else "")
            flag = FLAG_VALUES.get(text)
            if flag is None:
                problem("bawaslu_not_flag", row, head_of[key], text)
            else:
                values[key] = flag
        if tps is not None:
            flags[tps] = values
    if problems:
        raise ScenarioError(scenario_io._in_order(problems))
    return BawasluList(version, tuple(key_at), MappingProxyType(flags))


def with_bawaslu(scenario: Scenario, tps_rawan: BawasluList) -> Scenario:
    """`scenario` with the list's flags on the TPS it names (1 sets, 0 clears); the rest as it was."""
    tps = []
    for t in scenario.tps:
        values = tps_rawan.flags.get(t.id)
        if values is None:
            tps.append(t)
            continue
        merged = {k: v for k, v in t.indicators.items() if k not in values} | {k: 1 for k, v in values.items() if v}
        tps.append(replace(t, indicators=merged))
    return replace(scenario, tps=tuple(tps))


def _names(indicators: Mapping[str, Indicator]) -> dict[str, str]:
    """Normalised column name -> key: each indicator's key and its Indonesian label."""
    out: dict[str, str] = {}
    for key, ind in indicators.items():
        out.setdefault(scenario_io.normalise(key), key)
        out.setdefault(scenario_io.normalise(ind.label_id), key)
    return out


def _tps_codes(scenario: Scenario) -> dict[str, str]:
    """Every name a list may give a TPS -> its id: the id itself, and the KPU's 13-digit code
    where the TPS's desa has a Kemendagri code (the id wins a clash)."""
    out: dict[str, str] = {}
    for t in scenario.tps:
        digits = _NOT_DIGIT.sub("", t.desa_code)
        if len(digits) == 10 and digits.isdigit() and 0 < t.number < 1000:
            out.setdefault(kpu_code(t.desa_code, t.number), t.id)
    for t in scenario.tps:
        out[t.id] = t.id
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
