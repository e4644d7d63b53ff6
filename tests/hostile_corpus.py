"""The hostile corpus of issue 15: about 305 files made from the demo workbook, seeded, the same
on every run. Each is what a careless or hostile Posko could upload: random byte flips,
truncations, zip parts removed or renamed, huge cells, stray cells far out, formulas, NaN,
infinite and huge numbers, unicode tricks (NUL, bidi, zero-width, look-alike digits, ANSI
escapes), duplicate sheets, XML entities, zip bombs, files that are no workbook, CSV folders
and fuzzed XML.

`build(folder)` writes them and returns (kind, path) pairs; `contract_breaches(scenario)` lists
every value of an accepted scenario that breaks the validation contract (a number not finite
or out of bounds, text with control or bidi characters, longer than its column, an identifier
not in its normal form).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import enum
import io
import math
import random
import re
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from siaga.core.data import cells, demo
from siaga.core.data.model import Scenario
from siaga.core.data.scenario import (
    DUTY_RULES,
    EVENTS,
    OPERATION,
    PATTERNS,
    PERSONNEL,
    REGIONS,
    STAGES,
    TPS,
    UNITS,
    write_scenario,
)

SEED = 15
SHEETS = {  # the demo workbook's parts
    "operasi": "xl/worksheets/sheet1.xml",
    "wilayah": "xl/worksheets/sheet2.xml",
    "tps": "xl/worksheets/sheet3.xml",
    "satuan": "xl/worksheets/sheet4.xml",
    "personel": "xl/worksheets/sheet5.xml",
    "tahapan": "xl/worksheets/sheet6.xml",
}
Edit = Callable[[bytes], bytes] | bytes | None


def rewrite(src: Path, dst: Path, edits: dict[str, Edit], renames: dict[str, str] | None = None) -> Path:
    """Copy a zip, changing parts: a function edits a part, bytes replace or add it, None drops it."""
    renames = renames or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        names = [m.filename for m in zin.infolist()]
        for name in names:
            edit = edits.get(name, lambda data: data)
            if edit is None:
                continue
            data = zin.read(name)
            zout.writestr(renames.get(name, name), edit(data) if callable(edit) else edit)
        for name, edit in edits.items():
            if name not in names and isinstance(edit, bytes):
                zout.writestr(name, edit)
    return dst


def set_cell(ref: str, xml: bytes) -> Callable[[bytes], bytes]:
    """An edit putting `xml` (a whole <c> element) in place of the cell `ref`."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)')

    def edit(data: bytes) -> bytes:
        assert pattern.search(data), ref
        return pattern.sub(lambda _: xml, data, count=1)

    return edit


def text_cell(ref: str, value: str) -> bytes:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'.encode(
        "utf-8", "surrogatepass"
    )


def number_cell(ref: str, value: str) -> bytes:
    return f'<c r="{ref}" t="n"><v>{value}</v></c>'.encode()


def add_rows(rows: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def operation_row(key: str) -> int:
    """The row of the operasi sheet holding `key` (the demo writes every setting, in order)."""
    names = [c.name for c in OPERATION.columns]
    return names.index(key) + 2


# ---------------------------------------------------------------- the corpus


def build(folder: Path, kinds: list[str] | None = None) -> list[tuple[str, Path]]:
    """The corpus (or the files of `kinds`) written in `folder`: (kind, path) pairs. Each kind
    has its own seeded generator, so a kind's files are the same whichever others are built."""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "demo.xlsx"
    csv_base = folder / "demo-csv"
    if not base.exists():
        write_scenario(demo.pasuruan_kota(), base)
        write_scenario(demo.pasuruan_kota(), csv_base)
    corpus: list[tuple[str, Path]] = []
    for kind, make in KINDS:
        if kinds is not None and kind not in kinds:
            continue
        rng = random.Random(f"{SEED}-{kind}")
        counter = iter(range(10_000))

        def name(suffix: str = ".xlsx", kind: str = kind, counter: Iterator[int] = counter) -> Path:
            return folder / f"{kind}-{next(counter):03d}{suffix}"

        for path in make(base, csv_base, rng, name):
            corpus.append((kind, path))
    return corpus


KIND_NAMES: list[str] = []  # filled below, in KINDS order


Namer = Callable[..., Path]


def byte_flips(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    data = base.read_bytes()
    for _ in range(27):
        flipped = bytearray(data)
        for _ in range(rng.choice([1, 1, 2, 4, 16])):
            at = rng.randrange(len(flipped))
            flipped[at] ^= 1 << rng.randrange(8)
        path = name()
        path.write_bytes(bytes(flipped))
        yield path


def truncations(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    data = base.read_bytes()
    for cut in [0, 1, 4, 30, 100, len(data) - 22, len(data) - 1, *(rng.randrange(len(data)) for _ in range(13))]:
        path = name()
        path.write_bytes(data[:cut])
        yield path


def part_removals(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    with zipfile.ZipFile(base) as zf:
        parts = zf.namelist()
    for part in parts:
        yield rewrite(base, name(), {part: None})


def part_renames(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    with zipfile.ZipFile(base) as zf:
        parts = zf.namelist()
    for part in parts:
        new = rng.choice([part.upper(), part + ".bak", "../" + part, "/" + part, part.replace("/", "\\")])
        yield rewrite(base, name(), {}, {part: new})


HUGE = [
    ("tps", "G2", 256),  # alamat: 255
    ("tps", "A2", 61),  # id: 60
    ("tps", "I2", 5_000),  # alasan
    ("personel", "A2", 41),  # nrp: 40
    ("personel", "B2", 1_000_000),  # nama: 120
    ("personel", "C2", 31),  # pangkat: 30
    ("personel", "G2", 31),  # no_hp: 30
    ("satuan", "B2", 121),  # nama: 120
    ("wilayah", "B2", 121),  # nama: 120
    ("operasi", f"B{operation_row('name')}", 201),  # nama operasi: 200
]


def huge_cells(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    for sheet, ref, size in HUGE:
        value = "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=size))
        yield rewrite(base, name(), {SHEETS[sheet]: set_cell(ref, text_cell(ref, value))})


STRAY = [
    ("tps", b'<row r="200001"><c r="GR200001" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("personel", b'<row r="200001"><c r="GR200001" t="n"><v>1</v></c></row>'),
    ("operasi", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'),
    ("wilayah", b'<row r="60000"><c r="CV60000" t="n"><v>1</v></c></row>'),  # 6 million cells
    ("satuan", b'<row r="200001"><c r="GR200001" s="1"/></row>'),  # a styled cell, no value
    ("tps", b'<row r="5000"><c r="Z5000" t="n"><v>1</v></c></row>'),  # within the limits
    ("tahapan", b'<row r="3000"><c r="B3000" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("tps", b'<row r="900000" ht="20" customHeight="1"/>'),  # a formatted empty row: no cells
]


def stray_cells(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    for sheet, rows in STRAY:
        yield rewrite(base, name(), {SHEETS[sheet]: add_rows(rows)})
    every = {part: add_rows(b'<row r="200001"><c r="GR200001" t="n"><v>1</v></c></row>') for part in SHEETS.values()}
    yield rewrite(base, name(), every)  # the 70 KB workbook of the issue: one stray cell per sheet


def formulas(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    tps = SHEETS["tps"]
    for ref, xml in [
        ("D2", b'<c r="D2"><f>1+1</f><v>250</v></c>'),
        ("D2", b'<c r="D2"><f>200+50</f></c>'),
        ("A2", b'<c r="A2" t="str"><f>WEBSERVICE("http://x.invalid/")</f><v>35.14.16.2022-01</v></c>'),
        ("D2", b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
        ("E2", b'<c r="E2"><f>0/0</f><v>NaN</v></c>'),
        ("G2", text_cell("G2", '=HYPERLINK("http://x.invalid/","klik")')),
        ("G2", text_cell("G2", "=cmd|'/c calc'!A0")),
    ]:
        yield rewrite(base, name(), {tps: set_cell(ref, xml)})


NUMBERS = ["NaN", "nan", "inf", "-inf", "1e309", "1e300", "-1e300", "9223372036854775808", "-9223372036854775809"]


def numbers(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    targets = [
        ("tps", "D2"),  # dpt
        ("tps", "C2"),  # nomor
        ("tps", "E2"),  # lintang
        ("tps", "K2"),  # violence_history (an indicator)
        ("operasi", f"B{operation_row('reserve_team_size')}"),
        ("operasi", f"B{operation_row('max_total_hours')}"),
        ("operasi", f"B{operation_row('out_of_sector_penalty_km')}"),
    ]
    for sheet, ref in targets:
        for value in rng.sample(NUMBERS, 3):
            cell = number_cell(ref, value) if rng.random() < 0.7 else text_cell(ref, value)
            yield rewrite(base, name(), {SHEETS[sheet]: set_cell(ref, cell)})
    weights = f"B{operation_row('weights')}"
    for value in ["nan", "inf", "-inf", "1e300", "1e309"]:
        cell = text_cell(weights, f"violence_history={value}; head_to_head=25")
        yield rewrite(base, name(), {SHEETS["operasi"]: set_cell(weights, cell)})


TRICKS: dict[str, Callable[[str], str]] = {
    "nul": lambda v: v[:3] + "\0" + v[3:],
    "nul-escaped": lambda v: v[:3] + "_x0000_" + v[3:],
    "ansi": lambda v: "\x1b[31m" + v + "\x1b[0m",
    "ansi-escaped": lambda v: "_x001B_[2J" + v,
    "c1-csi": lambda v: "\x9b31m" + v,
    "bidi-override": lambda v: "\u202e" + v[::-1],
    "bidi-isolate": lambda v: v[:2] + "\u2067" + v[2:] + "\u2069",
    "zero-width": lambda v: v[:2] + "\u200b" + v[2:],
    "zero-width-only": lambda v: "\u200b\u200d\ufeff",
    "arabic-digits": lambda v: v.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    "fullwidth": lambda v: v.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "line-separator": lambda v: v[:3] + "\u2028" + v[3:],
}
TRICK_TARGETS = [
    ("personel", "A2", "76019905"),  # nrp
    ("personel", "B2", "Mustofa Nugroho"),  # nama
    ("tps", "A2", "35.14.16.2022-01"),  # id
    ("tps", "G2", "Dusun Kulon"),  # alamat
    ("satuan", "B2", "Polres Pasuruan Kota"),  # nama
    ("operasi", f"B{operation_row('name')}", "Pam Pilkades Serentak 2022 Polres Pasuruan Kota"),
]


def unicode_tricks(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    for sheet, ref, value in TRICK_TARGETS:
        for trick in TRICKS.values():
            yield rewrite(base, name(), {SHEETS[sheet]: set_cell(ref, text_cell(ref, trick(value)))})
    # two NRP equal once their digits are read: the second written in Arabic-Indic digits
    part = SHEETS["personel"]
    with zipfile.ZipFile(base) as zf:
        first = re.search(rb'<c r="A2" t="inlineStr"><is><t>(\d+)</t>', zf.read(part))
    assert first
    twin = TRICKS["arabic-digits"](first[1].decode())
    yield rewrite(base, name(), {part: set_cell("A3", text_cell("A3", twin))})


def duplicate_sheets(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    for other in ["tps", "TPS", "tps ", "regions"]:
        target = "wilayah" if other == "regions" else "tps"

        def add(data: bytes, other: str = other) -> bytes:
            return data.replace(
                b"</sheets>", f'<sheet name="{other}" sheetId="9" r:id="rId9" />'.encode() + b"</sheets>"
            )

        def rel(data: bytes) -> bytes:
            extra = (
                b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'worksheet" Target="/xl/worksheets/sheet9.xml" />'
            )
            return data.replace(b"</Relationships>", extra + b"</Relationships>")

        with zipfile.ZipFile(base) as zf:
            copy = zf.read(SHEETS[target])
        edits: dict[str, Edit] = {"xl/workbook.xml": add, "xl/_rels/workbook.xml.rels": rel}
        edits["xl/worksheets/sheet9.xml"] = copy
        yield rewrite(base, name(), edits)


LAUGHS = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
EXTERNAL = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
PARAMETER = b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://x.invalid/p.dtd"> %p;]>'


def xml_entities(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    for part, declaration in [
        (SHEETS["tps"], LAUGHS),
        (SHEETS["personel"], EXTERNAL),
        ("xl/workbook.xml", PARAMETER),
        ("[Content_Types].xml", EXTERNAL),
        ("xl/styles.xml", LAUGHS),
        ("docProps/core.xml", LAUGHS.lower()),
    ]:

        def edit(data: bytes, declaration: bytes = declaration) -> bytes:
            if data.startswith(b"<?xml"):
                end = data.index(b"?>") + 2
                return data[:end] + declaration + data[end:]
            return declaration + data

        yield rewrite(base, name(), {part: edit})


def zip_bombs(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    part = SHEETS["tps"]
    with zipfile.ZipFile(base) as zf:
        sheet = zf.read(part)
    head, tail = sheet.split(b"</sheetData>")
    path = name()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != part:
                out.writestr(info.filename, src.read(info.filename))
                continue
            with out.open(part, "w", force_zip64=True) as f:
                f.write(head)
                for _ in range(300):
                    f.write(b" " * 2**20)
                f.write(b"</sheetData>" + tail)
    yield path
    # a part that declares far more than the total limit
    data = bytearray(base.read_bytes())
    at = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)
    path = name()
    path.write_bytes(bytes(data))
    yield path
    # ten thousand and one parts
    path = name()
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    yield path
    # a workbook inside a workbook, 42.zip style
    path = name()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("inner.xlsx", base.read_bytes())
        zf.writestr("xl/workbook.xml", b"<workbook/>")
    yield path


def not_workbooks(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    contents = [
        bytes(rng.randrange(256) for _ in range(4096)),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        b"",
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        b"<html><body>not a workbook</body></html>",
        b"\x1f\x8b\x08\x00" + bytes(50),
        b"id,kode_desa\n1,2\n",
        b"PK\x05\x06" + bytes(18),  # an empty zip
    ]
    for content in contents:
        path = name()
        path.write_bytes(content)
        yield path
    path = name("")
    path.mkdir()  # an empty folder: no CSV sheet at all
    yield path


CSV_FILES = {"tps": "tps.csv", "personnel": "personnel.csv", "regions": "regions.csv", "units": "units.csv"}


def _csv_copy(src: Path, name: Namer) -> Path:
    dst = name("")
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def _csv_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8", "surrogatepass"))


def csv_variants(_base: Path, csv_base: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    def raw(file: str, change: Callable[[bytes], bytes]) -> Path:
        folder = _csv_copy(csv_base, name)
        (folder / file).write_bytes(change((folder / file).read_bytes()))
        return folder

    yield raw("tps.csv", lambda d: d.replace(b",", b"\0,", 1))
    yield raw("tps.csv", lambda d: d.decode().encode("utf-16"))
    yield raw("tps.csv", lambda d: d.decode().encode("utf-16-le"))
    yield raw("regions.csv", lambda d: d.decode().replace("a", "é").encode("latin-1"))
    yield raw("tps.csv", lambda d: b"\xef\xbb\xbf" + d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    yield raw("tps.csv", lambda d: d.replace(b"\r\n", b"\r"))
    yield raw("tps.csv", lambda d: d + b'35.14.16.2022-99,"35.14.16.2022,1,10\n')
    yield raw("tps.csv", lambda d: d + b"x," * 20_000 + b"\n")
    yield raw("personnel.csv", lambda d: d + b'"' + b"A" * 200_000 + b'",x\n')
    yield raw("units.csv", lambda d: b"")
    yield raw("units.csv", lambda d: d.split(b"\n")[0] + b"\n")
    yield raw("tps.csv", lambda d: d.replace(b"\n", b"\n\xff", 1))
    for file, row, column, value in [
        ("tps.csv", 1, "voters", "NaN"),
        ("tps.csv", 1, "voters", "inf"),
        ("tps.csv", 1, "voters", "1e300"),
        ("tps.csv", 1, "number", "9223372036854775808"),
        ("tps.csv", 1, "lat", "-1e309"),
        ("tps.csv", 1, "id", "35.14.16.2022-01\u200b"),
        ("tps.csv", 1, "address", "\x1b]0;pwned\x07Dusun"),
        ("tps.csv", 1, "address", "Dusun \u202egnirts"),
        ("tps.csv", 1, "address", "x" * 256),
        ("personnel.csv", 1, "id", "٧٦٠١٩٩٠٥"),
        ("personnel.csv", 1, "name", "Mustofa\u2066 Nugroho"),
        ("personnel.csv", 1, "name", "Mustofa\u0085Nugroho"),
        ("personnel.csv", 1, "phone", "0812\u00ad3456"),
        ("personnel.csv", 1, "rank", '=HYPERLINK("http://x.invalid/")'),
        ("regions.csv", 1, "code", "\ufeff35.14"),
        ("regions.csv", 1, "name", "Kota\tPasuruan"),
        ("units.csv", 1, "name", "Polres\x7fPasuruan"),
        ("units.csv", 1, "code", "POLRES PASKOT\nX"),
    ]:
        folder = _csv_copy(csv_base, name)
        _csv_cell(folder, file, row, column, value)
        yield folder
    folder = _csv_copy(csv_base, name)
    (folder / "TPS.csv").write_bytes((folder / "tps.csv").read_bytes())  # the sheet twice
    yield folder
    folder = _csv_copy(csv_base, name)
    (folder / "notes.csv").write_bytes(b"a,b\n1,2\n")  # a sheet the contract does not know
    yield folder


def xml_fuzz(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    inserts = [
        b'<c r="A99999999999999999999" t="n"><v>1</v></c>',
        b'<row r="-5"><c r="A-5"><v>1</v></c></row>',
        b'<c r="ZZZZZZZZZZ1"><v>1</v></c>',
        b"<row><c><v>1</v></c>",
        b"</sheetData>",
        b"<![CDATA[",
        b"\xff\xfe\x00",
        b"<c r='B2' t='s'><v>999999</v></c>",
        b'<c r="B2" t="d"><v>99999-99-99</v></c>',
        b'<c r="C2" t="n"><v>1e999</v></c>',
        b'<c r="C2" t="b"><v>7</v></c>',
        b"&#0;",
        b"&#x202E;",
        b"&unknown;",
    ]
    parts = [SHEETS["tps"], SHEETS["personel"], SHEETS["operasi"], "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    with zipfile.ZipFile(base) as zf:
        originals = {p: zf.read(p) for p in parts}
    for i in range(42):
        part = parts[i % len(parts)]
        data = bytearray(originals[part])
        for _ in range(rng.choice([1, 2, 3])):
            at = rng.randrange(len(data))
            action = rng.randrange(4)
            if action == 0:
                del data[at : at + rng.randrange(1, 200)]
            elif action == 1:
                data[at:at] = rng.choice(inserts)
            elif action == 2:
                span = data[at : at + rng.randrange(1, 400)]
                data[at:at] = span
            else:
                data[at] = rng.randrange(256)
        yield rewrite(base, name(), {part: bytes(data)})


def zip_structures(base: Path, _csv: Path, rng: random.Random, name: Namer) -> Iterator[Path]:
    data = base.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    central = data.index(b"PK\x01\x02")
    for change in [
        lambda d: struct.pack_into("<I", d, end + 16, len(d) + 1000),  # the directory beyond the file
        lambda d: struct.pack_into("<I", d, central + 42, len(d) * 4),  # a part's header beyond the file
        lambda d: struct.pack_into("<I", d, central + 20, 0x7FFFFFFF),  # a part larger than the file
        lambda d: struct.pack_into("<H", d, end + 10, 0xFFFF),  # 65,535 parts announced
        lambda d: struct.pack_into("<H", d, central + 28, 0xFFFF),  # a name running past the entry
        lambda d: struct.pack_into("<I", d, end + 16, 0),  # the directory at the start
    ]:
        copy = bytearray(data)
        change(copy)
        path = name()
        path.write_bytes(bytes(copy))
        yield path
    path = name()  # two parts with the same name
    with (
        warnings.catch_warnings(),
        zipfile.ZipFile(base) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        warnings.simplefilter("ignore")  # "Duplicate name": the point of this file
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        out.writestr(SHEETS["tps"], b"<worksheet/>")
    yield path


KINDS: list[tuple[str, Callable[[Path, Path, random.Random, Namer], Iterator[Path]]]] = [
    ("byte-flip", byte_flips),
    ("truncation", truncations),
    ("part-removed", part_removals),
    ("part-renamed", part_renames),
    ("huge-cell", huge_cells),
    ("stray-cell", stray_cells),
    ("formula", formulas),
    ("number", numbers),
    ("unicode", unicode_tricks),
    ("duplicate-sheet", duplicate_sheets),
    ("xml-entity", xml_entities),
    ("zip-bomb", zip_bombs),
    ("not-workbook", not_workbooks),
    ("csv", csv_variants),
    ("xml-fuzz", xml_fuzz),
    ("zip-structure", zip_structures),
]
KIND_NAMES += [kind for kind, _ in KINDS]
# The kinds with files the reader accepts: tests/web/test_hostile_import.py imports each of
# them; tests/test_hostile_files.py checks that the other kinds have none.
ACCEPTING_KINDS = (
    "part-removed",
    "part-renamed",
    "stray-cell",
    "formula",
    "unicode",
    "csv",
    "xml-fuzz",
    "zip-structure",
)


# ---------------------------------------------------------------- the contract, checked


NUMBER_BOUND = 1e9  # no number of an accepted scenario comes near: the columns' own bounds are far lower


def contract_breaches(scenario: Scenario) -> list[str]:
    """Every value of `scenario` the validation contract should have refused."""
    breaches: list[str] = []
    for spec, records in [
        (OPERATION, [scenario.operation]),
        (REGIONS, scenario.regions),
        (TPS, scenario.tps),
        (UNITS, scenario.units),
        (PERSONNEL, scenario.personnel),
        (PATTERNS, scenario.patterns),
        (STAGES, scenario.stages),
        (DUTY_RULES, scenario.duty_rules),
        (EVENTS, scenario.events),
    ]:
        texts = {c.name: c.read for c in spec.columns if isinstance(c.read, cells.Text)}
        for record in records:
            for field in dataclasses.fields(record):
                value = getattr(record, field.name)
                where = f"{spec.name}.{field.name}={value!r:.80}"
                reader = texts.get(field.name)
                if reader is not None:
                    try:
                        if reader.clean(value) != value:
                            breaches.append(f"{where}: not in its normal form")
                    except cells.Bad as bad:
                        breaches.append(f"{where}: {bad.code}")
                breaches += [f"{where}: {why}" for why in _breaches(value)]
    return breaches


def _breaches(value: Any) -> Iterator[str]:
    if isinstance(value, enum.Enum) or value is None or isinstance(value, bool | dt.date):
        return
    if isinstance(value, str):
        if not cells.clean_text(value):
            yield "control or bidi character"
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > NUMBER_BOUND:
            yield "number not finite or beyond bounds"
    elif isinstance(value, int):
        if abs(value) > 2**31 - 1:
            yield "integer beyond a database integer"
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _breaches(k)
            yield from _breaches(v)
    elif isinstance(value, tuple | list):
        for v in value:
            yield from _breaches(v)
    else:
        yield f"unexpected type {type(value).__name__}"
