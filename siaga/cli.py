"""The `siaga` command line: scenario files and the planning core, no database.

Exit codes: 0 done, 1 the input is invalid (every problem printed), 2 the file cannot be read.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from siaga import cli_words
from siaga.core.data.files import reason, write_bytes
from siaga.core.data.model import VILLAGE_LEVELS, Category, Force, Level, Plan, Scenario
from siaga.core.data.problems import ScenarioError, UnreadableFile
from siaga.core.data.text import _, gettext_noop, ngettext, number


def _lazy(name: str) -> ModuleType:
    """`name` imported when first used, not when the command line starts: `siaga --help`
    and every command pay only for the modules they use (numpy, OR-Tools, openpyxl, the PDF
    writers take seconds together)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import numpy as np

    from siaga.core import check
    from siaga.core.data import bawaslu, demo, generator, interchange, kemendagri, kpu, linmas, planfile, template
    from siaga.core.data import boundaries as boundaries_io
    from siaga.core.data import scenario as scenario_io
    from siaga.core.data import travel as travel_io
    from siaga.core.documents import interchange as exports
    from siaga.core.documents import orders, ploting, schedule, tokens
    from siaga.core.planning import calibration, risk, roster, vacancy
    from siaga.core.planning import engine as engine_module
    from siaga.core.planning import simulate as simulation
else:
    np = _lazy("numpy")
    check = _lazy("siaga.core.check")
    demo, generator = _lazy("siaga.core.data.demo"), _lazy("siaga.core.data.generator")
    planfile, template = _lazy("siaga.core.data.planfile"), _lazy("siaga.core.data.template")
    kpu, travel_io = _lazy("siaga.core.data.kpu"), _lazy("siaga.core.data.travel")
    interchange = _lazy("siaga.core.data.interchange")
    exports = _lazy("siaga.core.documents.interchange")
    kemendagri, linmas = _lazy("siaga.core.data.kemendagri"), _lazy("siaga.core.data.linmas")
    scenario_io, boundaries_io = _lazy("siaga.core.data.scenario"), _lazy("siaga.core.data.boundaries")
    orders, ploting = _lazy("siaga.core.documents.orders"), _lazy("siaga.core.documents.ploting")
    schedule, tokens = _lazy("siaga.core.documents.schedule"), _lazy("siaga.core.documents.tokens")
    calibration, risk = _lazy("siaga.core.planning.calibration"), _lazy("siaga.core.planning.risk")
    roster, engine_module = _lazy("siaga.core.planning.roster"), _lazy("siaga.core.planning.engine")
    simulation, vacancy = _lazy("siaga.core.planning.simulate"), _lazy("siaga.core.planning.vacancy")
    bawaslu = _lazy("siaga.core.data.bawaslu")

_TYPER = object()  # `_quick`: the value is left to typer's own coercion


def _quick(descriptor: Any, value: object, param: Any, ctx: typer.Context) -> object:
    """`value` coerced as typer's coercion would, for the plain values `siaga` takes: text,
    repeated text, a whole number in range, a path; `_TYPER` for anything else and for every
    value typer would refuse, so that typer gives its own error."""
    from typer._param_types import coerce_cli_path

    info, kind = descriptor.parameter_info, descriptor.annotation
    if info.parser is not None:
        return _TYPER
    if kind is str and type(value) is str:
        return value
    if kind == list[str] and isinstance(value, list | tuple) and all(type(v) is str for v in value):
        return list(value)
    number = _whole(value) if kind is int else None
    if number is not None:
        low, high = info.min, info.max
        return number if (low is None or number >= low) and (high is None or number <= high) else _TYPER
    if kind is Path and info.path_type is None and isinstance(value, str | Path):
        try:
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        except Exception:  # typer's coercion says what is wrong, in its words
            return _TYPER
    return _TYPER


def _whole(value: object) -> int | None:
    """`value` as an int when it is one or is written in ASCII digits only, else None."""
    if type(value) is int:
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


class _Coercion:
    """Typer's coercion of one parameter, without pydantic for the values `_quick` knows.

    Typer 0.29 coerces every parameter, `--help` included, through a pydantic TypeAdapter;
    importing pydantic and building them costs a tenth of a second or more of every command
    (issue 18). The values are the ones typer gives; any other value, an invalid one above
    all, goes through typer's own coercion, so its errors and messages are unchanged."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.typer: Any = None

    def coerce(self, value: object, param: Any, ctx: typer.Context) -> object:
        if value is None:  # as typer: nothing given
            return () if param.multiple or param.nargs == -1 else None
        quick = _quick(self.descriptor, value, param, ctx)
        if quick is not _TYPER:
            return quick
        if self.typer is None:
            from typer._coercion import build_runtime_param

            self.typer = build_runtime_param(self.descriptor)
        return self.typer.coerce(value, param=param, ctx=ctx)


def _without_pydantic() -> None:
    """Typer's parameters coerced through `_Coercion`: typer 0.29 builds each parameter's
    coercion with `typer.core.build_runtime_param` on first use. Another typer is left as it is."""
    try:
        from typer import _coercion, core
    except ImportError:
        return
    if getattr(core, "build_runtime_param", None) is getattr(_coercion, "build_runtime_param", _TYPER):
        core.build_runtime_param = _Coercion  # type: ignore[assignment]  # the same call, the same `coerce`


_without_pydantic()


class _Speaking(TyperGroup):
    """The `siaga` command: typer's own words (help, usage errors) in the language of the run,
    its --lang or SIAGA_LANG (cli_words)."""

    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        lang = cli_words.reader_lang(sys.argv[1:] if args is None else args)
        cli_words.speak(lang, _lazy("typer.rich_utils"))
        return super().main(args, *rest, **extra)


app = typer.Typer(cls=_Speaking, no_args_is_help=True, add_completion=False, help="Siaga: rencana pengamanan pemilu.")
scenario_app = typer.Typer(no_args_is_help=True, help="Skenario: buat, periksa, contoh.")
app.add_typer(scenario_app, name="scenario")


class _ShowByDefault(TyperGroup):
    """`siaga risk PATH` means `siaga risk show PATH`; `siaga risk calibrate ...` stays."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


risk_app = typer.Typer(cls=_ShowByDefault, no_args_is_help=True, help="Analisa kerawanan TPS.")
app.add_typer(risk_app, name="risk")
export_app = typer.Typer(no_args_is_help=True, help="Berkas untuk SOT/EWS (CSV atau JSON). / Files for SOT/EWS.")
app.add_typer(export_app, name="export")

# Markup is off: a path, a name or a problem can hold "[/x]" or "[bold]" and is printed as
# written; styles are given as `style=` or as rich.text.Text, never inside a string. (Rich
# also drops the control characters of an ANSI escape from the text it prints.)
out = Console(width=None if sys.stdout.isatty() else 200, markup=False)  # wide tables in files and pipes
err = Console(stderr=True, soft_wrap=True, markup=False)  # a problem stays on one line, whole

Lang = Annotated[
    str, typer.Option("--lang", envvar="SIAGA_LANG", help="Bahasa pesan: id (Indonesia) atau en (English).")
]
OutPath = Annotated[Path, typer.Option("--out", "-o", help="Berkas .xlsx atau folder CSV tujuan.")]


@contextmanager
def writing(path: Path, lang: str) -> Iterator[None]:
    """A write to `path` that the disk refuses (read-only, no permission, full): one sentence
    naming `path` and why, exit 2. Every file is written whole or not at all (files.atomic_write)."""
    try:
        yield
    except OSError as exc:
        refused = _("Tidak dapat menulis %(path)s: %(reason)s", lang, path=path, reason=reason(exc))
        err.print(refused, style="bold red", highlight=False)
        raise typer.Exit(2) from None


def readable(path: Path | None, lang: str) -> None:
    """Exit 2 with one sentence when `path` (a file the user named) cannot be opened."""
    if path is None:
        return
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        refused = _("Tidak dapat membaca %(path)s: %(reason)s", lang, path=path, reason=reason(exc))
        err.print(refused, style="bold red", highlight=False)
        raise typer.Exit(2) from None


def load(path: Path, lang: str) -> Scenario:
    """Read a scenario or exit: 1 with every problem when invalid, 2 when unreadable."""
    try:
        return scenario_io.read_scenario(path)
    except ScenarioError as exc:
        _refused(exc, path, lang)


@scenario_app.command("validate")
def validate(
    path: Path,
    boundary_path: Annotated[
        Path | None,
        typer.Option(
            "--boundaries",
            help="Batas desa (GeoJSON): peringatan untuk TPS di luar desanya; bawaan: berkas .geojson senama di "
            "samping skenario. / Desa boundaries (GeoJSON): a warning for each TPS outside its desa; default: the "
            ".geojson of the same name beside the scenario.",
        ),
    ] = None,
    lang: Lang = "id",
) -> None:
    """Periksa skenario (.xlsx atau folder CSV). / Validate a scenario."""
    scenario = load(path, lang)
    print_summary(scenario, lang)
    beside = path.with_suffix(".geojson")
    boundary_path = boundary_path or (beside if beside.is_file() else None)
    if boundary_path is not None:
        readable(boundary_path, lang)
        try:
            regions = {r.code: r.level.value for r in scenario.regions}
            found = boundaries_io.read_boundaries(boundary_path, regions)
        except ScenarioError as exc:
            _refused(exc, boundary_path, lang)
        outlines = {b.code: b.geometry for b in found.boundaries}
        outside = boundaries_io.tps_outside([(t.id, t.desa_code, t.lat, t.lon) for t in scenario.tps], outlines)
        names = {r.code: r.name for r in scenario.regions}
        for warning in boundaries_io.outside_warnings(outside, names, lang):
            out.print(_("Peringatan:", lang), warning.message(lang), style="yellow", highlight=False, markup=False)
    out.print(_("Skenario sah.", lang), style="green")


def print_summary(scenario: Scenario, lang: str = "id") -> None:
    levels = Counter(r.level for r in scenario.regions)
    forces = Counter(p.force for p in scenario.personnel)
    kinds = Counter(u.kind for u in scenario.units)
    table = Table(title=scenario.operation.name, show_header=False)
    table.add_row(_("Tanggal pemilihan", lang), scenario.operation.election_date.isoformat())
    table.add_row(_("Pola", lang), scenario.operation.pattern)
    table.add_row("kecamatan", number(levels[Level.KECAMATAN], lang))
    table.add_row("desa/kelurahan", number(sum(levels[lv] for lv in VILLAGE_LEVELS), lang))
    table.add_row("TPS", number(len(scenario.tps), lang))
    table.add_row(_("DPT (pemilih)", lang), number(sum(t.voters for t in scenario.tps), lang))
    table.add_row(_("personel", lang), number(len(scenario.personnel), lang))
    for force in Force:
        table.add_row(f"  {force.value}", number(forces[force], lang))
    table.add_row(_("satuan", lang), number(len(scenario.units), lang))
    for kind, n in sorted(kinds.items()):
        table.add_row(f"  {kind.value}", number(n, lang))
    out.print(table)


@scenario_app.command("demo")
def demo_command(
    out_path: OutPath,
    pemilu: Annotated[
        bool,
        typer.Option(
            "--pemilu",
            help="Operasi contoh kedua: Pemilu 2024 untuk Polres yang sama. / The second demo: a Pemilu 2024.",
        ),
    ] = False,
    lang: Lang = "id",
) -> None:
    """Tulis skenario contoh Polres Pasuruan Kota, Pilkades 2022. / Write the demo scenario."""
    with writing(out_path, lang):
        scenario_io.write_scenario(demo.pasuruan_kota_pemilu() if pemilu else demo.pasuruan_kota(), out_path)
    out.print(_("Skenario contoh ditulis ke %(path)s", lang, path=out_path))


@scenario_app.command("template")
def template_command(out_path: OutPath, lang: Lang = "id") -> None:
    """Tulis templat skenario kosong dengan petunjuk. / Write an empty scenario template."""
    with writing(out_path, lang):
        template.write(out_path)
    out.print(_("Templat ditulis ke %(path)s", lang, path=out_path))


@scenario_app.command("generate")
def generate_command(
    out_path: OutPath,
    tps: Annotated[int, typer.Option(help="Jumlah TPS / number of TPS.", min=1, max=2_000_000)],
    seed: Annotated[int, typer.Option(help="Benih acak (seed): hasil yang sama untuk benih yang sama.")] = 1,
    indicators: Annotated[
        bool, typer.Option(help="Isi nilai indikator kerawanan. / Fill vulnerability indicators.")
    ] = False,
    lang: Lang = "id",
) -> None:
    """Buat skenario sintetis sebesar apa pun. / Generate a synthetic scenario of any size."""
    try:
        with writing(out_path, lang):
            generator.write(out_path, tps=tps, seed=seed, indicators=indicators)
    except ValueError as exc:
        err.print(str(exc), style="bold red", highlight=False)
        raise typer.Exit(2) from None
    out.print(_("Skenario sintetis (%(tps)s TPS) ditulis ke %(path)s", lang, tps=number(tps, lang), path=out_path))


@scenario_app.command("kpu-tps")
def kpu_tps_command(path: Path, kpu_file: Path, out_path: OutPath, lang: Lang = "id") -> None:
    """Ganti TPS skenario dengan daftar TPS KPU (CSV/.xlsx). / Replace the TPS with a KPU TPS list."""
    scenario = load(path, lang)
    try:
        result, warnings = kpu.kpu_scenario(scenario, kpu_file)
    except ScenarioError as exc:
        _refused(exc, kpu_file, lang)
    for warning in warnings:
        err.print(f"  ! {warning.message(lang)}", style="yellow", highlight=False, markup=False)
    with writing(out_path, lang):
        scenario_io.write_scenario(result, out_path)
    out.print(
        _(
            "%(tps)s TPS dari daftar KPU (%(special)s TPS lokasi khusus, %(warnings)s peringatan) ditulis ke %(path)s",
            lang,
            tps=number(len(result.tps), lang),
            special=number(sum(t.number >= kpu.SPECIAL_FROM for t in result.tps), lang),
            warnings=number(len(warnings), lang),
            path=out_path,
        )
    )


def _refused(exc: ScenarioError, path: Path, lang: str) -> NoReturn:
    """Every problem of a refused file (a scenario or a list), then exit 1 (2: it cannot be read)."""
    unreadable = isinstance(exc, UnreadableFile)
    if unreadable:
        title = _("Tidak dapat membaca %(path)s", lang, path=path)
    else:
        title = ngettext("Ditemukan %(n)s masalah:", "Ditemukan %(n)s masalah:", len(exc.problems), lang)
    err.print(title, style="bold red", highlight=False)
    for message in exc.messages(lang):
        err.print(f"  - {message}", highlight=False, markup=False)
    raise typer.Exit(2 if unreadable else 1) from None


@scenario_app.command("regions")
def regions_command(path: Path, region_file: Path, out_path: OutPath, lang: Lang = "id") -> None:
    """Ganti wilayah skenario dengan daftar wilayah Kemendagri (CSV/.xlsx). / Use Kemendagri's region list."""
    scenario = load(path, lang)
    try:
        result, read, dropped = kemendagri.regions_scenario(scenario, region_file)
    except ScenarioError as exc:
        _refused(exc, region_file, lang)
    with writing(out_path, lang):
        scenario_io.write_scenario(result, out_path)
    levels = Counter(r.level for r in result.regions)
    out.print(
        _(
            "Wilayah Kemendagri: %(provinces)s provinsi dibaca, %(regencies)s kabupaten/kota, %(kecamatan)s"
            " kecamatan, %(desa)s desa/kelurahan (%(dropped)s wilayah lama dilepas) ditulis ke %(path)s",
            lang,
            provinces=number(len(read.provinces), lang),
            regencies=number(levels[Level.KABUPATEN] + levels[Level.KOTA], lang),
            kecamatan=number(levels[Level.KECAMATAN], lang),
            desa=number(levels[Level.DESA] + levels[Level.KELURAHAN], lang),
            dropped=number(len(dropped), lang),
            path=out_path,
        )
    )


@scenario_app.command("linmas")
def linmas_command(path: Path, decree_file: Path, out_path: OutPath, lang: Lang = "id") -> None:
    """Masukkan SK PPS Linmas per TPS (CSV/.xlsx); cetak daftar koordinasi KPU/PPS. / Import the PPS Linmas decree."""
    scenario = load(path, lang)
    try:
        result, decree, gone = linmas.decree_scenario(scenario, decree_file)
    except ScenarioError as exc:
        _refused(exc, decree_file, lang)
    categories = {t: a.category for t, a in risk.assess(result).items()}
    named = Counter(p.tps_id for p in result.personnel if p.force == Force.LINMAS and p.tps_id)
    gaps = linmas.coordination(
        {t.id: t.desa_code for t in result.tps}, linmas.needed(result, categories), named, decree.gaps
    )
    if gaps:
        err.print(_("Daftar koordinasi KPU/PPS:", lang), style="yellow", highlight=False)
    for gap in gaps:
        words = _(linmas.GAP_WORDS[gap.kind], lang, **gap.params())
        err.print(f"  ! {gap.desa_code} {gap.tps}: {words}", style="yellow", highlight=False, markup=False)
    with writing(out_path, lang):
        scenario_io.write_scenario(result, out_path)
    out.print(
        _(
            "%(linmas)s Linmas dari SK PPS untuk %(tps)s TPS (menggantikan %(replaced)s Linmas sebelumnya;"
            " %(gaps)s baris daftar koordinasi) ditulis ke %(path)s",
            lang,
            linmas=number(len(decree.linmas), lang),
            tps=number(len(decree.tps), lang),
            replaced=number(len(gone), lang),
            gaps=number(len(gaps), lang),
            path=out_path,
        )
    )


WeightsOption = Annotated[
    Path | None, typer.Option("--weights", help="Berkas bobot (JSON/YAML). / Weights file (JSON or YAML).")
]
CATEGORY_STYLE = {
    Category.KURANG_RAWAN: "green",
    Category.RAWAN: "yellow",
    Category.SANGAT_RAWAN: "red",
    Category.KHUSUS: "magenta",
}


def load_model(path: Path | None, scenario: Scenario, lang: str = "id") -> risk.RiskModel:
    """The operation sheet's weights, with a weights file's on top when one is given."""
    base = risk.operation_model(scenario.operation)
    if path is None:
        return base
    readable(path, lang)
    try:
        return risk.load_model(path, base)
    except risk.WeightsError as exc:
        err.print(exc.message(lang), style="bold red", highlight=False)
        raise typer.Exit(1) from None


@risk_app.command("show")
def risk_show(
    path: Path,
    weights: WeightsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak JSON per TPS. / Print JSON per TPS.")] = False,
    desa: Annotated[str | None, typer.Option("--desa", help="Tampilkan satu desa. / Show one desa.")] = None,
    lang: Lang = "id",
) -> None:
    """Skor, kategori dan alasan tiap TPS. / Score, category and reasons of every TPS."""
    scenario = load(path, lang)
    model = load_model(weights, scenario, lang)
    assessments = risk.assess(scenario, model)
    if as_json:
        typer.echo(json.dumps({k: a.to_json() for k, a in assessments.items()}, ensure_ascii=False, indent=1))
        return
    if desa is not None:
        if desa not in {t.desa_code for t in scenario.tps}:
            err.print(_("Desa '%(desa)s' tidak punya TPS di skenario.", lang, desa=desa), highlight=False)
            raise typer.Exit(1)
        print_desa(risk.desa_view(scenario, desa, assessments, model), lang)
        return
    print_risk(scenario, assessments, lang)


def print_risk(scenario: Scenario, assessments: dict[str, risk.Assessment], lang: str) -> None:
    names = {r.code: r.name for r in scenario.regions}
    parent = {r.code: r.parent_code for r in scenario.regions}
    table = Table(title=_("Kerawanan tiap TPS: %(name)s", lang, name=scenario.operation.name))
    for head, no_wrap in (
        ("Kecamatan", False),
        ("Desa", False),
        ("TPS", True),
        (_("Skor", lang), False),
        (_("Kategori", lang), True),
        (_("Sumber", lang), False),
        (_("Alasan utama", lang), False),
    ):
        table.add_column(head, overflow="fold", no_wrap=no_wrap)
    rows = sorted(scenario.tps, key=lambda t: (parent.get(t.desa_code, ""), t.desa_code, t.number))
    last_desa = None
    for t in rows:
        a = assessments[t.id]
        kec = parent.get(t.desa_code, "")
        first = t.desa_code != last_desa
        if first and last_desa is not None:
            table.add_section()
        last_desa = t.desa_code
        source = _("penetapan: %(reason)s", lang, reason=a.reason) if a.source == "override" else "model"
        reasons = "; ".join(c.text(lang) for c in a.contributions[:3]) or _("tidak ada faktor", lang)
        style = CATEGORY_STYLE[a.category]
        table.add_row(
            names.get(kec, kec) if first else "",
            names.get(t.desa_code, t.desa_code) if first else "",
            t.id,
            number(a.score, lang, None),
            Text(a.category.value, style=style),
            source,
            reasons,
        )
    out.print(table)
    counts = Counter(a.category for a in assessments.values())
    per = ", ".join(f"{c.value} {number(counts[c], lang)}" for c in Category)
    out.print(_("TPS per kategori: %(counts)s", lang, counts=per))
    manual = risk.overrides(scenario, assessments)
    if manual:
        over = Table(title=_("Penetapan kategori manual", lang))
        for head in ("TPS", _("Kategori ditetapkan", lang), _("Alasan", lang), _("Pendapat model", lang)):
            over.add_column(head, overflow="fold")
        for a in manual:
            over.add_row(a.tps, a.category.value, a.reason, f"{a.model_category.value} ({number(a.score, lang, None)})")
        out.print(over)


def print_desa(view: risk.DesaView, lang: str) -> None:
    out.print(Text.assemble((f"Desa {view.desa.name}", "bold"), f" ({view.desa.code}): {view.category.value}"))
    factors = Table(title=_("Faktor tingkat desa", lang))
    factors.add_column(_("Indikator", lang))
    factors.add_column(_("Nilai", lang))
    factors.add_column(_("Poin", lang))
    for c in view.factors:
        factors.add_row(c.label(lang), number(c.value, lang, None), number(c.points, lang, None, sign=True))
    out.print(factors)
    tps = Table(title="TPS")
    for head in ("TPS", _("Skor", lang), _("Kategori", lang), _("Alasan", lang)):
        tps.add_column(head, overflow="fold")
    for a in view.tps:
        reasons = "; ".join(c.text(lang) for c in a.contributions)
        tps.add_row(a.tps, number(a.score, lang, None), a.category.value, reasons)
    out.print(tps)


@risk_app.command("calibrate")
def risk_calibrate(
    path: Path,
    incidents: Annotated[Path, typer.Option("--incidents", help="CSV riwayat kejadian (tps_id atau desa_code).")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Berkas bobot JSON tujuan.")],
    seed: Annotated[int, typer.Option(help="Seed pembagian data uji. / Seed of the held-out split.")] = 1,
    lang: Lang = "id",
) -> None:
    """Pelajari bobot dari riwayat kejadian. / Fit the weights from incident history."""
    scenario = load(path, lang)
    readable(incidents, lang)
    try:
        positive = calibration.read_incidents(incidents, scenario)
        result = calibration.calibrate(scenario, positive, seed=seed)
    except calibration.IncidentsError as exc:
        for message in exc.texts(lang):
            err.print(f"  - {message}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    with writing(out_path, lang):
        write_bytes(out_path, (json.dumps(result.model.to_json(), indent=1) + "\n").encode("utf-8"))
    table = Table(title=_("Kalibrasi bobot", lang))
    table.add_column("")
    table.add_column(_("Bobot hasil kalibrasi", lang))
    table.add_column(_("Bobot bawaan", lang))
    auc, brier = _("AUC (data uji)", lang), _("Brier (data uji)", lang)
    table.add_row(auc, number(result.auc_fitted, lang, 3), number(result.auc_default, lang, 3))
    table.add_row(brier, number(result.brier_fitted, lang, 4), number(result.brier_default, lang, 4))
    out.print(table)
    top = sorted(result.model.weights.items(), key=lambda kv: -kv[1])[:8]
    out.print(_("Bobot terbesar: %(weights)s", lang, weights=", ".join(f"{k} {number(v, lang, None)}" for k, v in top)))
    out.print(
        _(
            "TPS latih: %(train)s, TPS uji: %(test)s; TPS dengan kejadian: %(positives)s",
            lang,
            train=number(result.train_tps, lang),
            test=number(result.test_tps, lang),
            positives=number(result.positives, lang),
        )
    )
    out.print(_("Bobot ditulis ke %(path)s (pakai dengan --weights)", lang, path=out_path))


@scenario_app.command("incidents")
def incidents_command(
    path: Path,
    out_path: Annotated[Path, typer.Option("--out", "-o", help="CSV riwayat kejadian tujuan.")],
    seed: Annotated[int, typer.Option(help="Benih acak (seed): hasil yang sama untuk benih yang sama.")] = 1,
    lang: Lang = "id",
) -> None:
    """Buat riwayat kejadian sintetis dari aturan tersembunyi. / Synthetic incident history."""
    scenario = load(path, lang)
    rows = calibration.synthetic_incidents(scenario, seed=seed)
    with writing(out_path, lang):
        calibration.write_incidents(rows, out_path)
    out.print(_("%(n)s kejadian ditulis ke %(path)s", lang, n=number(len(rows), lang), path=out_path))


PlanPath = Annotated[Path, typer.Option("--out", "-o", help="Berkas rencana JSON tujuan. / Plan file to write.")]
TravelOption = Annotated[
    Path | None,
    typer.Option(
        "--travel",
        help="CSV waktu tempuh jalan (dari, ke, menit) menggantikan lembar waktu_tempuh. "
        "/ Road travel times CSV (from, to, minutes), in place of the travel_times sheet.",
    ),
]


def with_travel(scenario: Scenario, path: Path | None, lang: str) -> Scenario:
    """The scenario with the road times of `path` when given; exit 1 with every bad row."""
    if path is None:
        return scenario
    readable(path, lang)
    try:
        return travel_io.with_travel_times(scenario, path)
    except ScenarioError as exc:
        err.print(_("Berkas waktu tempuh %(path)s ditolak:", lang, path=path), style="bold red", highlight=False)
        for message in exc.messages(lang):
            err.print(f"  - {message}", highlight=False, markup=False)
        raise typer.Exit(1) from None


@app.command("plan")
def plan_command(
    path: Path,
    out_path: PlanPath,
    weights: WeightsOption = None,
    engine: Annotated[str, typer.Option(help="local (proses paralel) atau dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Jumlah proses pekerja.", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Alamat scheduler Dask / Dask scheduler address.")] = None,
    travel_path: TravelOption = None,
    lang: Lang = "id",
) -> None:
    """Susun rencana penempatan optimal. / Compute the optimal deployment plan."""
    if engine not in ("local", "dask"):
        err.print(_("--engine harus local atau dask", lang), style="bold red")
        raise typer.Exit(2)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # plan only

    scenario = with_travel(load(path, lang), travel_path, lang)
    model = load_model(weights, scenario, lang)  # a weights file refused before the work starts
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out
    ) as bar:
        task = bar.add_task(_("Menyusun rencana per Polres", lang), total=None)
        result = engine_module.plan_all(
            scenario,
            model,
            engine,
            workers,
            scheduler,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    print_plan(result, lang, scenario)
    write_checked(scenario, result, out_path, weights, lang)


def print_plan(result: Plan, lang: str, scenario: Scenario | None = None) -> None:
    """The plan's figures, its roster and, with the `scenario` it was made of, why the roster's
    places stay empty."""
    s = result.summary
    n = lambda value: number(value, lang)  # noqa: E731
    table = Table(title=f"{result.operation} (pola {result.pattern})", show_header=False)
    rows = [
        ("TPS, desa, kecamatan", f"{n(s['tps'])}, {n(s['desa'])}, {n(s['kecamatan'])}"),
        (
            _("Pos TPS (batas pola; minimum terbukti)", lang),
            "{} ({}; {})".format(
                n(result.extra.get("tps_posts", 0)),
                n(result.extra.get("post_floor", 0)),
                n(result.extra.get("post_minimum", 0)),
            ),
        ),
        (_("Pos seluruhnya", lang), n(len(result.posts))),
        (_("Personel", lang), n(s["persons"])),
        (_("Ditugaskan", lang), n(s["assigned"])),
        (_("Cadangan tak terpakai", lang), n(s["idle"])),
        (_("Slot", lang), n(s["slots"])),
        (_("Slot kosong", lang), n(s["unfilled"])),
        (_("Jarak tempuh total (km)", lang), number(s["cost_km"], lang, 1)),
        (_("Nilai tujuan pos pemungutan suara", lang), number(s["objective"], lang, 3)),
        (_("Batas bawah terbukti pos pemungutan suara", lang), number(s["lower_bound"], lang, 3)),
    ]
    reserve = result.extra.get("reserve")
    if isinstance(reserve, dict):
        covered, total, bound = s["reserve_covered_weight"], s["reserve_total_weight"], reserve.get("upper_bound", 0)
        pct = 100 * covered / total if total else 100.0
        coverage = _(
            "%(covered)s dari %(total)s (%(percent)s%%), batas atas %(bound)s, %(teams)s tim",
            lang,
            covered=number(covered, lang, None),
            total=number(total, lang, None),
            percent=number(pct, lang, 1),
            bound=number(bound, lang, None),
            teams=n(reserve.get("teams", 0)),
        )
        rows.append((_("Cakupan cadangan (bobot)", lang), coverage))
    for label, value in rows:
        table.add_row(label, value)
    out.print(table)
    out.print(travel_io.sentence(result.extra.get("travel"), lang), highlight=False, markup=False)
    shortfall = result.extra.get("shortfall")
    if isinstance(shortfall, dict) and shortfall.get("unfilled_by_category"):
        counts = lambda values: ", ".join(f"{k} {n(v)}" for k, v in values.items())  # noqa: E731
        out.print(_("Slot kosong per kategori: %(counts)s", lang, counts=counts(shortfall["unfilled_by_category"])))
        out.print(_("Tambahan personel yang dibutuhkan: %(counts)s", lang, counts=counts(shortfall["more_needed"])))
        out.print(_("TPS di bawah pola: %(n)s", lang, n=n(len(shortfall["tps_below_pattern"]))))
        for line in why_lines(vacancy.explain_vote(scenario, result) if scenario is not None else [], lang):
            out.print(line, highlight=False, markup=False)
    for line in roster_lines(result, lang, scenario):
        out.print(line, highlight=False, markup=False)
    structured = result.extra.get("warning_messages") or []
    texts = [_(w["msgid"], lang, **w.get("params", {})) for w in structured] or result.extra.get("warnings", []) or []
    for warning in texts:
        out.print(_("Peringatan:", lang), warning, style="yellow", highlight=False, markup=False)
    for line in advice_lines(result, lang):
        out.print(line, highlight=False, markup=False)


ROSTER_SHOWN = 10


def roster_lines(result: Plan, lang: str, scenario: Scenario | None = None) -> list[str]:
    """The roster across the stages in a few lines: its duties, what stays empty where and
    when (the first ROSTER_SHOWN), its gap to the proven lower bound; with the `scenario`, why
    they stay empty and what the planner can do (vacancy.explain, the first ROSTER_SHOWN)."""
    r = roster.of_plan(result)
    if r is None or not r.duties:
        return []
    places = sum(sum(d.required.values()) for d in r.duties)
    empty = sum(u.count for u in r.unfilled)
    lines = [
        _(
            "Tugas di luar pemungutan: %(duties)s dalam %(waves)s gelombang, %(places)s tempat, %(empty)s kosong;"
            " seluruh operasi (pos pemungutan suara dan tugas tahapan lain): nilai tujuan %(objective)s,"
            " batas bawah terbukti %(bound)s, selisih %(gap)s",
            lang,
            duties=number(len(r.duties), lang),
            waves=number(r.waves, lang),
            places=number(places, lang),
            empty=number(empty, lang),
            objective=number(r.objective, lang, 3),
            bound=number(r.lower_bound, lang, 3),
            gap=number(r.gap, lang, 3),
        )
    ]
    shorts = roster.shortfall(r)
    lines += [f"  {roster.short_text(s, lang)}" for s in shorts[:ROSTER_SHOWN]]
    if len(shorts) > ROSTER_SHOWN:
        more = number(len(shorts) - ROSTER_SHOWN, lang)
        lines.append("  " + _("... dan %(more)s lainnya (kunci roster di berkas rencana)", lang, more=more))
    if scenario is not None and shorts:
        lines += why_lines(vacancy.explain(scenario, result, r), lang)
    return lines


def why_lines(groups: list[vacancy.EmptyPlaces], lang: str) -> list[str]:
    """Why places stay empty and what the planner can do, a group a line (the first
    ROSTER_SHOWN); nothing when none stays empty."""
    if not groups:
        return []
    lines = [_("Mengapa tempat kosong, dan yang dapat dilakukan:", lang)]
    for group in groups[:ROSTER_SHOWN]:
        why, todo = vacancy.text(group, lang)
        lines += [f"  - {why}", f"    {todo}"]
    if len(groups) > ROSTER_SHOWN:
        more = number(len(groups) - ROSTER_SHOWN, lang)
        lines.append("  " + _("... dan %(more)s kelompok lainnya (halaman rencana di konsol)", lang, more=more))
    return lines


ADVICE = (
    gettext_noop(
        "Saran: pola memberi kekuatan Polri yang sama untuk semua kategori, sementara %(idle)s Polri tidak"
        " ditempatkan di pos pemungutan suara (mereka dapat memegang tugas tahapan lain)."
    ),
    gettext_noop(
        "Tambah %(n)s Polri di tiap %(posts)s pos TPS sangat rawan/khusus:"
        " kunci operasi tambahan_polri_sangat_rawan = %(n)s."
    ),
    gettext_noop("Atau pakai pola %(other)s, yang membedakan kategori."),
)


def advice_lines(result: Plan, lang: str) -> list[str]:
    """What the planner should act on beyond the figures: the strength advice, the KPU/PPS
    coordination list and the pins that did not hold (docs/scenario.md 2.9-2.11)."""
    lines = []
    strength = result.extra.get("strength")
    if isinstance(strength, dict):
        idle, n, posts = strength["idle"]["POLRI"], strength["reinforce_sangat_rawan"], strength["sangat_rawan_posts"]
        other = strength.get("stronger_pattern") or ""
        lines.append(_(ADVICE[0], lang, idle=number(idle, lang)))
        if n:
            lines.append("  " + _(ADVICE[1], lang, n=number(n, lang), posts=number(posts, lang)))
        if other:
            lines.append("  " + _(ADVICE[2], lang, other=other))
    gaps = result.extra.get("linmas_coordination") or []
    if gaps:
        missing = sum(int(g["needed"]) - int(g["named"]) for g in gaps)
        lines.append(
            _(
                "Koordinasi KPU/PPS: %(posts)s pos TPS kurang %(missing)s Linmas yang ditetapkan SK PPS.",
                lang,
                posts=number(len(gaps), lang),
                missing=number(missing, lang),
            )
        )
    broken = [p for p in result.extra.get("pins", []) or [] if not p.get("held")]
    if broken:
        lines.append(
            _("Pin yang tidak berlaku: %(n)s (kunci pins di berkas rencana)", lang, n=number(len(broken), lang))
        )
    return lines


def verdict(scenario: Scenario, result: Plan, weights: Path | None, lang: str) -> list[check.Violation]:
    """Run the independent checker and print its verdict (in `lang`); the violations, [] when valid."""
    violations = check.check_plan(scenario, result, load_model(weights, scenario, lang))
    if not violations:
        out.print(_("Pemeriksa independen: rencana sah.", lang), style="green")
        return []
    title = ngettext("%(n)s pelanggaran:", "%(n)s pelanggaran:", len(violations), lang)
    err.print(title, style="bold red", highlight=False)
    for v in violations:
        err.print(f"  - {v.line(lang)}", highlight=False, markup=False)
    return violations


def invalid_path(out_path: Path) -> Path:
    """Where a plan that fails the checker goes instead of `out_path`: rencana.json ->
    rencana.invalid.json (a name without .json gets .invalid.json added)."""
    stem = out_path.name.removesuffix(".json")
    return out_path.with_name(f"{stem}.invalid.json")


def write_checked(scenario: Scenario, result: Plan, out_path: Path, weights: Path | None, lang: str) -> None:
    """Write the plan to `out_path` only when the independent checker passes it. A plan that
    fails goes to `invalid_path(out_path)` with its violations (key `violations`, Indonesian;
    `violation_messages`, msgid and parameters), for inspection, and the command exits 1; a
    file already at `out_path` is left as it was."""
    violations = verdict(scenario, result, weights, lang)
    if not violations:
        with writing(out_path, lang):
            planfile.write_plan(result, out_path)
        out.print(_("Rencana ditulis ke %(path)s", lang, path=out_path))
        return
    rejected = invalid_path(out_path)
    found = {"violations": [str(v) for v in violations], "violation_messages": check.records(violations)}
    with writing(rejected, lang):
        planfile.write_plan(replace(result, extra={**result.extra, **found}), rejected)
    refused = _(
        "Rencana TIDAK ditulis ke %(path)s: tidak lolos pemeriksa independen."
        " Rencana ditulis ke %(rejected)s hanya untuk diperiksa; tidak boleh dipakai.",
        lang,
        path=out_path,
        rejected=rejected,
    )
    err.print(refused, style="bold red", highlight=False)
    raise typer.Exit(1)


@app.command("check")
def check_command(
    path: Path, plan_path: Path, weights: WeightsOption = None, travel_path: TravelOption = None, lang: Lang = "id"
) -> None:
    """Periksa rencana terhadap semua aturan. / Check a plan against every rule."""
    scenario = with_travel(load(path, lang), travel_path, lang)
    result = load_plan(plan_path, scenario, lang)
    if verdict(scenario, result, weights, lang):
        raise typer.Exit(1)


def load_plan(path: Path, scenario: Scenario, lang: str = "id") -> Plan:
    """The plan at `path` for `scenario`, or exit: 2 when it cannot be read, 1 when it is a
    plan of another scenario (none of its TPS). A plan of another operation name with the
    same TPS (the operation renamed) is used, with a warning."""
    try:
        result = planfile.read_plan(path)
    except planfile.PlanFileError as exc:
        err.print(exc.message(lang), style="bold red", highlight=False)
        raise typer.Exit(2) from None
    names = {"path": path, "plan": result.operation, "scenario": scenario.operation.name}
    if scenario.tps and not any(t.id in result.tps_categories for t in scenario.tps):
        other = _(
            "%(path)s adalah rencana '%(plan)s': tidak satu pun TPS-nya ada di skenario ini ('%(scenario)s')."
            " Pilih rencana skenario ini, atau susun rencana baru dengan siaga plan.",
            lang,
            **names,
        )
        err.print(other, style="bold red", highlight=False)
        raise typer.Exit(1)
    if result.operation != scenario.operation.name:
        renamed = _("%(path)s disusun untuk operasi '%(plan)s'; skenario ini bernama '%(scenario)s'.", lang, **names)
        err.print(_("Peringatan:", lang), renamed, style="yellow", highlight=False)
    return result


def unplanned(scenario: Scenario, previous: Plan, path: Path, lang: str) -> None:
    """Exit 1 when the scenario has TPS that the previous plan does not know (TPS added since
    it was made): a re-plan keeps the plan's posts, so it needs a new plan instead."""
    added = [t.id for t in scenario.tps if t.id not in previous.tps_categories]
    if added:
        refused = _(
            "Skenario berubah sejak %(path)s disusun: %(n)s TPS belum ada di rencana itu (mis. %(tps)s)."
            " Susun rencana baru dengan siaga plan; susun ulang hanya untuk rencana skenario yang sama.",
            lang,
            path=path,
            n=number(len(added), lang),
            tps=", ".join(added[:3]),
        )
        err.print(refused, style="bold red", highlight=False)
        raise typer.Exit(1)


CARD_KEY = Path("var/card-key")


@app.command("orders")
def orders_command(
    path: Path,
    plan_path: Path,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder tujuan. / Folder to write to.")],
    kecamatan: Annotated[
        str | None, typer.Option("--kecamatan", help="Kode kecamatan: perintah satu sektor. / One sector's orders.")
    ] = None,
    key_path: Annotated[
        Path,
        typer.Option(
            "--key-file",
            envvar="SIAGA_CARD_KEY_FILE",
            help="Kunci tanda tangan QR kartu; dibuat bila belum ada. / Card signing key; created when missing.",
        ),
    ] = CARD_KEY,
    konsep: Annotated[
        bool,
        typer.Option("--konsep", help="Tanda air KONSEP di tiap halaman Sprin. / A draft: KONSEP on every page."),
    ] = False,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            "--tahap",
            help="Nomor atau nama tahap: Sprin tahap itu dan Renpam-nya; tanpa ini Sprin seluruh operasi dengan "
            "lampiran waktu per tahap. / A stage's number or name: its Sprin and Renpam; without it, the whole "
            "operation with the time-phased annex.",
        ),
    ] = None,
    weights: WeightsOption = None,
    boundary_path: Annotated[
        Path | None,
        typer.Option(
            "--boundaries",
            help="Batas kecamatan dan desa (GeoJSON) untuk peta; bawaan: berkas .geojson senama di samping skenario. "
            "/ Kecamatan and desa boundaries (GeoJSON) for the maps; default: the .geojson of the same name beside "
            "the scenario.",
        ),
    ] = None,
    lang: Lang = "id",
) -> None:
    """Tulis Sprin + lampiran, ploting XLSX, kartu penugasan dan peta. / Write the orders of a plan."""
    scenario = load(path, lang)
    result = load_plan(plan_path, scenario, lang)
    beside = path.with_suffix(".geojson")
    boundary_path = boundary_path or (beside if beside.is_file() else None)
    outlines: tuple[boundaries_io.Boundary, ...] = ()
    if boundary_path is not None:
        readable(boundary_path, lang)
        try:
            regions = {r.code: r.level for r in scenario.regions}
            outlines = boundaries_io.read_boundaries(boundary_path, regions).boundaries
        except ScenarioError as exc:
            _refused(exc, boundary_path, lang)
    created = not key_path.exists()
    try:
        key = tokens.key_file(key_path)
    except tokens.KeyTooShort as exc:
        err.print(exc.message(lang), style="bold red", highlight=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        refused = _(
            "Kunci kartu %(path)s tidak dapat dibuat atau dibaca: %(reason)s", lang, path=key_path, reason=reason(exc)
        )
        err.print(refused, style="bold red", highlight=False)
        raise typer.Exit(2) from None
    start = time.perf_counter()
    try:
        with writing(out_dir, lang):
            written = orders.write(
                scenario,
                result,
                out_dir,
                key,
                kecamatan or "",
                model=load_model(weights, scenario, lang),
                draft=konsep,
                stage=stage or "",
                boundaries=outlines,
            )
    except orders.InvalidPlan as exc:
        err.print(_("Rencana tidak lolos pemeriksa independen: perintah tidak dicetak.", lang), style="bold red")
        for v in exc.violations:
            err.print(f"  - {v.line(lang)}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    except (ploting.PlotingError, schedule.StageError) as exc:
        err.print(exc.message(lang), style="bold red", highlight=False)
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - start
    if created:
        out.print(
            _("Kunci kartu baru dibuat di %(path)s: simpan, pemindai apel membutuhkannya.", lang, path=key_path),
            highlight=False,
        )
    plot = written.ploting
    pages = lambda n: ngettext("%(n)s halaman", "%(n)s halaman", n, lang)  # noqa: E731
    table = Table(title=_("Perintah: %(operation)s", lang, operation=result.operation), show_header=False)
    table.add_row(_("Jumlah", lang), plot.headline())
    table.add_row(_("Ditugaskan", lang), number(plot.assigned, lang))
    table.add_row(_("Slot kosong", lang), number(plot.unfilled, lang))
    table.add_row(str(out_dir / orders.SPRIN), pages(written.sprin_pages))
    if written.stage is not None:
        table.add_row(_("Tahap", lang), f"{written.stage.number}. {written.stage.stage.name}")
        table.add_row(str(out_dir / orders.RENPAM), pages(written.renpam_pages))
    table.add_row(
        str(out_dir / orders.WORKBOOK), ngettext("%(n)s lembar", "%(n)s lembar", len(plot.kecamatan) + 1, lang)
    )
    cards = ngettext("%(n)s kartu", "%(n)s kartu", written.cards, lang)
    table.add_row(str(out_dir / orders.CARDS), f"{cards}, {pages(written.card_pages)}")
    table.add_row(str(out_dir / orders.MAPS), pages(written.map_pages))
    table.add_row(str(out_dir / orders.BRIEFING), pages(written.map_pages + 1))
    if boundary_path is None:
        table.add_row("", _("Peta tanpa batas wilayah: beri --boundaries FILE.geojson", lang))
    table.add_row(_("Waktu", lang), f"{number(seconds, lang, 1)} s")
    out.print(table)


@app.command("replan")
def replan_command(
    path: Path,
    from_path: Annotated[Path, typer.Option("--from", help="Rencana sebelumnya. / The previous plan.")],
    out_path: PlanPath,
    absent: Annotated[
        Path | None,
        typer.Option("--absent", help="Berkas NRP yang tidak hadir, satu per baris (atau CSV dengan kolom id)."),
    ] = None,
    category: Annotated[list[str] | None, typer.Option("--category", help="TPS_ID=KATEGORI, boleh berulang.")] = None,
    tps_rawan: Annotated[
        Path | None,
        typer.Option("--bawaslu", help="Daftar TPS rawan Bawaslu (CSV/XLSX): skor dihitung ulang. / TPS-rawan list."),
    ] = None,
    weights: WeightsOption = None,
    lang: Lang = "id",
) -> None:
    """Susun ulang setelah ada yang tidak hadir atau kategori berubah. / Re-plan."""
    scenario = load(path, lang)
    previous = load_plan(from_path, scenario, lang)
    unplanned(scenario, previous, from_path, lang)
    gone = read_absent(absent, {p.id for p in scenario.personnel}, lang) if absent else set()
    changes = parse_categories(category or [], {t.id for t in scenario.tps}, lang)
    if tps_rawan is not None:  # the list's flags on its TPS, re-scored; a category that changes is re-planned
        try:
            listed = bawaslu.read_bawaslu(tps_rawan, scenario)
        except ScenarioError as exc:
            _refused(exc, tps_rawan, lang)
        scenario = bawaslu.with_bawaslu(scenario, listed)
        rescored = {t: a.category for t, a in risk.assess(scenario).items() if t in listed.flags}
        changes = {t: c for t, c in rescored.items() if previous.tps_categories.get(t) != c} | changes
        out.print(
            _(
                "Daftar TPS rawan Bawaslu: %(tps)s TPS dibaca, %(changed)s berubah kategori",
                lang,
                tps=number(len(listed.flags), lang),
                changed=number(len(changes), lang),
            )
        )
    result = engine_module.replan_all(scenario, previous, gone, changes)
    print_plan(result, lang, scenario)
    info = result.extra["replan"]
    assert isinstance(info, dict)
    out.print(
        _(
            "Berpindah: %(moved)s; tetap: %(kept)s; tidak hadir: %(absent)s",
            lang,
            moved=number(info["moved"], lang),
            kept=number(info["kept"], lang),
            absent=number(len(gone), lang),
        )
    )
    write_checked(scenario, result, out_path, weights, lang)


def read_absent(path: Path, known: set[str], lang: str = "id") -> set[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        refused = _("Tidak dapat membaca %(path)s: %(reason)s", lang, path=path, reason=reason(exc))
        err.print(refused, style="bold red", highlight=False)
        raise typer.Exit(2) from None
    ids, unknown = set(), []
    for row, line in enumerate(lines, start=1):
        value = line.split(",")[0].strip()
        if not value or (row == 1 and value.lower() in ("id", "nrp")):
            continue
        (
            ids.add(value)
            if value in known
            else unknown.append(_("baris %(row)s: '%(value)s'", lang, row=row, value=value))
        )
    if unknown:
        title = _("%(path)s: NRP tidak dikenal:", lang, path=path)
        err.print(Text.assemble((title, "bold red"), " " + ", ".join(unknown)), highlight=False)
        raise typer.Exit(1)
    return ids


def parse_categories(pairs: list[str], known: set[str], lang: str = "id") -> dict[str, Category]:
    changes = {}
    for pair in pairs:
        tps, _sep, value = pair.partition("=")
        try:
            category = Category(value.strip().upper())
        except ValueError:
            category = None
        if tps.strip() not in known or category is None:
            allowed = ", ".join(c.value for c in Category)
            wrong = _(
                "--category %(pair)s: harus TPS_ID=KATEGORI dengan TPS yang ada dan kategori %(allowed)s",
                lang,
                pair=pair,
                allowed=allowed,
            )
            err.print(wrong, style="bold red", highlight=False)
            raise typer.Exit(1)
        changes[tps.strip()] = category
    return changes


@app.command("simulate")
def simulate_command(
    path: Path,
    plan_path: Path,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=100_000, help="Jumlah hari simulasi. / Simulated days.")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Benih acak: sama, hasil sama. / Random seed.")] = 1,
    other: Annotated[
        Path | None,
        typer.Option("--compare", help="Rencana kedua, diuji pada kejadian yang sama. / A second plan, same draws."),
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Tulis laporan JSON ke berkas ini. / Write the JSON report.")
    ] = None,
    weights: WeightsOption = None,
    lang: Lang = "id",
) -> None:
    """Uji tekanan hari H: kejadian acak melawan cadangan rencana. / Election-day stress test."""
    scenario = load(path, lang)
    plans = [load_plan(plan_path, scenario, lang)] + ([load_plan(other, scenario, lang)] if other else [])
    model = load_model(weights, scenario, lang)
    reports = simulation.compare(scenario, plans, runs, seed, model)
    print_simulation(scenario, [plan_path.name] + ([other.name] if other else []), reports, lang)
    if out_path is not None:
        data = [r.to_json() for r in reports]
        text = json.dumps(data[0] if len(data) == 1 else data, indent=1, ensure_ascii=False)
        with writing(out_path, lang):
            write_bytes(out_path, text.encode("utf-8"))
        out.print(_("Laporan ditulis ke %(path)s", lang, path=out_path))


def print_simulation(scenario: Scenario, names: list[str], reports: list[simulation.Report], lang: str) -> None:
    """The reports side by side: response minutes (median, p90, worst) overall, by category
    and by kecamatan, waits, saturation and the TPS with the longest worst case."""
    first = reports[0]
    n = lambda value: number(value, lang)  # noqa: E731
    title = _(
        "Uji tekanan: %(runs)s hari, benih %(seed)s, %(incidents)s kejadian, %(dispatched)s perlu dikirim bantuan",
        lang,
        runs=n(first.runs),
        seed=first.seed,
        incidents=n(first.incidents),
        dispatched=n(first.dispatched),
    )
    table = Table(title=title)
    table.add_column(_("Waktu tanggap (menit): median; p90; terburuk", lang))
    for name in names:
        table.add_column(name, justify="right")

    def cell(s: simulation.Stats) -> str:
        if not s.count:
            return "-"
        median, p90, worst = (number(v, lang, None) for v in (s.median, s.p90, s.worst))
        return f"{median}; {p90}; {worst} ({n(s.count)})"

    table.add_row(_("Semua", lang), *[cell(r.overall) for r in reports])
    for c in Category:
        if any(r.by_category[c.value].count for r in reports):
            table.add_row(c.value, *[cell(r.by_category[c.value]) for r in reports])
    regions = scenario.region_by_code()
    for code in first.by_kecamatan:
        name = regions[code].name if code in regions else code
        table.add_row(
            f"Kec. {name}", *[cell(r.by_kecamatan.get(code, simulation.Stats.of(np.zeros(0)))) for r in reports]
        )
    table.add_row(_("Menunggu tim yang sibuk", lang), *[n(r.waited) for r in reports])
    table.add_row(
        _("Semua tim cadangan sibuk (bagian waktu)", lang),
        *[number(100 * r.saturated_share, lang, 2) + "%" for r in reports],
    )
    table.add_row(
        _("Tim Polsek; tim cadangan", lang), *[f"{n(r.teams['polsek'])}; {n(r.teams['reserve'])}" for r in reports]
    )
    out.print(table)
    for name, r in zip(names, reports, strict=True):
        worst = ", ".join(f"{t} {number(m, lang, None)}" for t, m in r.worst_tps[:5]) or "-"
        out.print(f"{name}: " + _("TPS terlama (menit): %(tps)s", lang, tps=worst), highlight=False)


# ---------------------------------------------------------------- SOT/EWS files (docs/interchange.md)

ExportOut = Annotated[Path, typer.Option("--out", "-o", help="Berkas .csv atau .json tujuan. / A .csv or .json file.")]
TimeZone = Annotated[str, typer.Option("--tz", help="Zona waktu operasi (WIB: Asia/Jakarta). / The time zone.")]


def _write_interchange(
    kind: str, rows: list[dict[str, object]], out_path: Path, head: dict[str, object], lang: str
) -> None:
    if out_path.suffix.lower() not in (".csv", ".json"):
        err.print(_("Berkas tujuan harus .csv atau .json: %(path)s", lang, path=out_path), style="bold red")
        raise typer.Exit(2)
    csv_file = out_path.suffix.lower() == ".csv"
    with writing(out_path, lang):
        write_bytes(out_path, interchange.to_csv(kind, rows) if csv_file else interchange.to_json(kind, rows, head))
    out.print(_("%(n)s baris ditulis ke %(path)s", lang, n=number(len(rows), lang), path=out_path))


def _zone(name: str, lang: str) -> dt.tzinfo:
    import zoneinfo  # these commands only

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        err.print(_("Zona waktu tidak dikenal: %(tz)s (contoh: Asia/Jakarta)", lang, tz=name), style="bold red")
        raise typer.Exit(2) from None


@export_app.command("personel")
def export_personnel(
    path: Path,
    plan_path: Path,
    out_path: ExportOut,
    kecamatan: Annotated[str, typer.Option("--kecamatan", help="Satu kecamatan saja. / One kecamatan only.")] = "",
    tz: TimeZone = "Asia/Jakarta",
    lang: Lang = "id",
) -> None:
    """Personel pada pos dan tugasnya, satu baris per penugasan. / Every assignment of a plan."""
    scenario = load(path, lang)
    result = load_plan(plan_path, scenario, lang)
    zone = _zone(tz, lang)
    if verdict(scenario, result, None, lang):
        raise typer.Exit(1)
    rows = exports.personnel_rows(scenario, result, zone, kecamatan)
    head: dict[str, object] = {
        "operation": scenario.operation.name,
        "plan_version": None,
        "kecamatan": kecamatan,
        "time_zone": tz,
    }
    _write_interchange("personel", rows, out_path, head, lang)


@export_app.command("tps")
def export_tps(
    path: Path,
    out_path: ExportOut,
    plan_path: Annotated[Path | None, typer.Option("--plan", help="Berkas rencana: pos dan kategorinya.")] = None,
    kecamatan: Annotated[str, typer.Option("--kecamatan", help="Satu kecamatan saja. / One kecamatan only.")] = "",
    lang: Lang = "id",
) -> None:
    """TPS dengan koordinatnya (dapat diimpor kembali). / Every TPS with its point."""
    scenario = load(path, lang)
    result = load_plan(plan_path, scenario, lang) if plan_path is not None else None
    rows = exports.tps_rows(scenario, result, None, kecamatan)
    head: dict[str, object] = {
        "operation": scenario.operation.name,
        "plan_version": None,
        "kecamatan": kecamatan,
        "time_zone": "",
    }
    _write_interchange("tps", rows, out_path, head, lang)


@scenario_app.command("coordinates")
def coordinates_command(path: Path, coordinates_file: Path, out_path: OutPath, lang: Lang = "id") -> None:
    """Ambil koordinat TPS dari CSV/.xlsx (kode TPS, lintang, bujur). / Take TPS points from a file."""
    scenario = load(path, lang)
    try:
        result, moved = interchange.coordinates_scenario(scenario, coordinates_file)
    except ScenarioError as exc:
        _refused(exc, coordinates_file, lang)
    with writing(out_path, lang):
        scenario_io.write_scenario(result, out_path)
    out.print(
        _("Koordinat %(n)s TPS berubah; skenario ditulis ke %(path)s", lang, n=number(len(moved), lang), path=out_path)
    )


def main() -> None:
    app()
