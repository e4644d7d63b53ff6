"""The `siaga` command line: scenario files and the planning core, no database.

Exit codes: 0 done, 1 the input is invalid (every problem printed), 2 the file cannot be read.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from siaga.core.check import check_plan
from siaga.core.data import demo, generator, template
from siaga.core.data.files import write_bytes
from siaga.core.data.model import VILLAGE_LEVELS, Category, Force, Level, Plan, Scenario
from siaga.core.data.planfile import PlanFileError, read_plan, write_plan
from siaga.core.data.problems import ScenarioError, UnreadableFile
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.documents import orders, ploting, schedule, tokens
from siaga.core.planning import calibration, risk, roster
from siaga.core.planning import engine as engine_module
from siaga.core.planning import simulate as simulation

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Siaga: rencana pengamanan pemilu.")
scenario_app = typer.Typer(no_args_is_help=True, help="Skenario: buat, periksa, contoh. / Scenario files.")
app.add_typer(scenario_app, name="scenario")


class _ShowByDefault(TyperGroup):
    """`siaga risk PATH` means `siaga risk show PATH`; `siaga risk calibrate ...` stays."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


risk_app = typer.Typer(cls=_ShowByDefault, no_args_is_help=True, help="Analisa kerawanan TPS. / TPS vulnerability.")
app.add_typer(risk_app, name="risk")

out = Console(width=None if sys.stdout.isatty() else 200)  # wide tables in files and pipes
err = Console(stderr=True, soft_wrap=True)  # a problem stays on one line, whole

Lang = Annotated[str, typer.Option("--lang", help="Bahasa pesan: id (Indonesia) atau en (English).")]
OutPath = Annotated[Path, typer.Option("--out", "-o", help="Berkas .xlsx atau folder CSV tujuan.")]


def load(path: Path, lang: str) -> Scenario:
    """Read a scenario or exit: 1 with every problem when invalid, 2 when unreadable."""
    try:
        return read_scenario(path)
    except ScenarioError as exc:
        unreadable = isinstance(exc, UnreadableFile)
        title = ("Cannot read " if lang == "en" else "Tidak dapat membaca ") if unreadable else ""
        count = len(exc.problems)
        if not unreadable:
            title = f"{count} problem(s) found:" if lang == "en" else f"Ditemukan {count} masalah:"
        err.print(f"[bold red]{title}[/]{path if unreadable else ''}", highlight=False)
        for message in exc.messages(lang):
            err.print(f"  - {message}", highlight=False, markup=False)
        raise typer.Exit(2 if unreadable else 1) from None


@scenario_app.command("validate")
def validate(path: Path, lang: Lang = "id") -> None:
    """Periksa skenario (.xlsx atau folder CSV). / Validate a scenario."""
    scenario = load(path, lang)
    print_summary(scenario, lang)
    out.print("[green]Skenario sah.[/]" if lang != "en" else "[green]The scenario is valid.[/]")


def print_summary(scenario: Scenario, lang: str = "id") -> None:
    levels = Counter(r.level for r in scenario.regions)
    forces = Counter(p.force for p in scenario.personnel)
    kinds = Counter(u.kind for u in scenario.units)
    en = lang == "en"
    table = Table(title=scenario.operation.name, show_header=False)
    table.add_row("Pemilihan / election date", scenario.operation.election_date.isoformat())
    table.add_row("Pola / pattern", scenario.operation.pattern)
    table.add_row("kecamatan", f"{levels[Level.KECAMATAN]:,}")
    table.add_row("desa/kelurahan", f"{sum(levels[lv] for lv in VILLAGE_LEVELS):,}")
    table.add_row("TPS", f"{len(scenario.tps):,}")
    table.add_row("DPT (voters)" if en else "DPT (pemilih)", f"{sum(t.voters for t in scenario.tps):,}")
    table.add_row("persons" if en else "personel", f"{len(scenario.personnel):,}")
    for force in Force:
        table.add_row(f"  {force.value}", f"{forces[force]:,}")
    table.add_row("units" if en else "satuan", f"{len(scenario.units):,}")
    for kind, n in sorted(kinds.items()):
        table.add_row(f"  {kind.value}", f"{n:,}")
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
) -> None:
    """Tulis skenario contoh Polres Pasuruan Kota, Pilkades 2022. / Write the demo scenario."""
    write_scenario(demo.pasuruan_kota_pemilu() if pemilu else demo.pasuruan_kota(), out_path)
    out.print(f"Skenario contoh ditulis ke {out_path}")


@scenario_app.command("template")
def template_command(out_path: OutPath) -> None:
    """Tulis templat skenario kosong dengan petunjuk. / Write an empty scenario template."""
    template.write(out_path)
    out.print(f"Templat ditulis ke {out_path}")


@scenario_app.command("generate")
def generate_command(
    out_path: OutPath,
    tps: Annotated[int, typer.Option(help="Jumlah TPS / number of TPS.", min=1, max=2_000_000)],
    seed: Annotated[int, typer.Option(help="Seed acak / random seed.")] = 1,
    indicators: Annotated[
        bool, typer.Option(help="Isi nilai indikator kerawanan. / Fill vulnerability indicators.")
    ] = False,
) -> None:
    """Buat skenario sintetis sebesar apa pun. / Generate a synthetic scenario of any size."""
    try:
        generator.write(out_path, tps=tps, seed=seed, indicators=indicators)
    except ValueError as exc:
        err.print(f"[bold red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    out.print(f"Skenario sintetis ({tps:,} TPS) ditulis ke {out_path}")


WeightsOption = Annotated[
    Path | None, typer.Option("--weights", help="Berkas bobot (JSON/YAML). / Weights file (JSON or YAML).")
]
CATEGORY_STYLE = {
    Category.KURANG_RAWAN: "green",
    Category.RAWAN: "yellow",
    Category.SANGAT_RAWAN: "red",
    Category.KHUSUS: "magenta",
}


def load_model(path: Path | None, scenario: Scenario) -> risk.RiskModel:
    """The operation sheet's weights, with a weights file's on top when one is given."""
    base = risk.operation_model(scenario.operation)
    if path is None:
        return base
    try:
        return risk.load_model(path, base)
    except risk.WeightsError as exc:
        err.print(f"[bold red]{exc}[/]", highlight=False)
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
    model = load_model(weights, scenario)
    assessments = risk.assess(scenario, model)
    if as_json:
        typer.echo(json.dumps({k: a.to_json() for k, a in assessments.items()}, ensure_ascii=False, indent=1))
        return
    if desa is not None:
        if desa not in {t.desa_code for t in scenario.tps}:
            err.print(f"Desa '{desa}' tidak punya TPS di skenario / has no TPS in the scenario.", highlight=False)
            raise typer.Exit(1)
        print_desa(risk.desa_view(scenario, desa, assessments, model), lang)
        return
    print_risk(scenario, assessments, lang)


def print_risk(scenario: Scenario, assessments: dict[str, risk.Assessment], lang: str) -> None:
    en = lang == "en"
    names = {r.code: r.name for r in scenario.regions}
    parent = {r.code: r.parent_code for r in scenario.regions}
    table = Table(title=("Vulnerability of every TPS" if en else "Kerawanan tiap TPS") + f": {scenario.operation.name}")
    for head in (
        "Kecamatan",
        "Desa",
        "TPS",
        "Skor" if not en else "Score",
        "Kategori" if not en else "Category",
        "Sumber" if not en else "Source",
        "Alasan utama" if not en else "Top reasons",
    ):
        table.add_column(head, overflow="fold", no_wrap=head in ("TPS", "Kategori", "Category"))
    rows = sorted(scenario.tps, key=lambda t: (parent.get(t.desa_code, ""), t.desa_code, t.number))
    last_desa = None
    for t in rows:
        a = assessments[t.id]
        kec = parent.get(t.desa_code, "")
        first = t.desa_code != last_desa
        if first and last_desa is not None:
            table.add_section()
        last_desa = t.desa_code
        source = ("override: " if en else "penetapan: ") + a.reason if a.source == "override" else "model"
        reasons = "; ".join(c.text(lang) for c in a.contributions[:3]) or ("-" if en else "tidak ada faktor")
        style = CATEGORY_STYLE[a.category]
        table.add_row(
            names.get(kec, kec) if first else "",
            names.get(t.desa_code, t.desa_code) if first else "",
            t.id,
            f"{a.score:g}",
            f"[{style}]{a.category.value}[/]",
            source,
            reasons,
        )
    out.print(table)
    counts = Counter(a.category for a in assessments.values())
    out.print(
        ("TPS per category: " if en else "TPS per kategori: ") + ", ".join(f"{c.value} {counts[c]}" for c in Category)
    )
    manual = risk.overrides(scenario, assessments)
    if manual:
        over = Table(title="Overrides (category set by hand)" if en else "Penetapan kategori manual")
        for head in (
            "TPS",
            "Kategori ditetapkan" if not en else "Category set",
            "Alasan" if not en else "Reason",
            "Pendapat model" if not en else "Model's opinion",
        ):
            over.add_column(head, overflow="fold")
        for a in manual:
            over.add_row(a.tps, a.category.value, a.reason, f"{a.model_category.value} ({a.score:g})")
        out.print(over)


def print_desa(view: risk.DesaView, lang: str) -> None:
    en = lang == "en"
    out.print(f"[bold]Desa {view.desa.name}[/] ({view.desa.code}): {view.category.value}")
    factors = Table(title="Desa factors" if en else "Faktor tingkat desa")
    factors.add_column("Indikator" if not en else "Indicator")
    factors.add_column("Nilai" if not en else "Value")
    factors.add_column("Poin" if not en else "Points")
    for c in view.factors:
        factors.add_row(c.label(lang), f"{c.value:g}", f"{c.points:+g}")
    out.print(factors)
    tps = Table(title="TPS")
    for head in (
        "TPS",
        "Skor" if not en else "Score",
        "Kategori" if not en else "Category",
        "Alasan" if not en else "Reasons",
    ):
        tps.add_column(head, overflow="fold")
    for a in view.tps:
        tps.add_row(a.tps, f"{a.score:g}", a.category.value, "; ".join(c.text(lang) for c in a.contributions))
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
    try:
        positive = calibration.read_incidents(incidents, scenario)
        result = calibration.calibrate(scenario, positive, seed=seed)
    except calibration.IncidentsError as exc:
        for message in exc.messages:
            err.print(f"  - {message}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    out_path.write_text(json.dumps(result.model.to_json(), indent=1) + "\n", encoding="utf-8")
    table = Table(title="Kalibrasi bobot / weight calibration")
    table.add_column("")
    table.add_column("Bobot hasil kalibrasi / fitted")
    table.add_column("Bobot bawaan / default")
    table.add_row("AUC (data uji / held out)", f"{result.auc_fitted:.3f}", f"{result.auc_default:.3f}")
    table.add_row("Brier (data uji / held out)", f"{result.brier_fitted:.4f}", f"{result.brier_default:.4f}")
    out.print(table)
    top = sorted(result.model.weights.items(), key=lambda kv: -kv[1])[:8]
    out.print("Bobot terbesar / largest weights: " + ", ".join(f"{k} {v:g}" for k, v in top))
    out.print(f"TPS latih/uji: {result.train_tps:,}/{result.test_tps:,}; TPS dengan kejadian: {result.positives:,}")
    out.print(f"Bobot ditulis ke {out_path} (pakai dengan --weights)")


@scenario_app.command("incidents")
def incidents_command(
    path: Path,
    out_path: Annotated[Path, typer.Option("--out", "-o", help="CSV riwayat kejadian tujuan.")],
    seed: Annotated[int, typer.Option(help="Seed acak / random seed.")] = 1,
    lang: Lang = "id",
) -> None:
    """Buat riwayat kejadian sintetis dari aturan tersembunyi. / Synthetic incident history."""
    scenario = load(path, lang)
    rows = calibration.synthetic_incidents(scenario, seed=seed)
    calibration.write_incidents(rows, out_path)
    out.print(f"{len(rows):,} kejadian ditulis ke {out_path}")


PlanPath = Annotated[Path, typer.Option("--out", "-o", help="Berkas rencana JSON tujuan. / Plan file to write.")]


@app.command("plan")
def plan_command(
    path: Path,
    out_path: PlanPath,
    weights: WeightsOption = None,
    engine: Annotated[str, typer.Option(help="local (proses paralel) atau dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Jumlah proses / number of workers.", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Alamat scheduler Dask / Dask scheduler address.")] = None,
    lang: Lang = "id",
) -> None:
    """Susun rencana penempatan optimal. / Compute the optimal deployment plan."""
    if engine not in ("local", "dask"):
        err.print("[bold red]--engine harus local atau dask / must be local or dask[/]")
        raise typer.Exit(2)
    scenario = load(path, lang)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out
    ) as bar:
        task = bar.add_task("Menyusun rencana per Polres / planning per Polres", total=None)
        result = engine_module.plan_all(
            scenario,
            load_model(weights, scenario),
            engine,
            workers,
            scheduler,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    print_plan(result, lang)
    write_checked(scenario, result, out_path, weights, lang)


def print_plan(result: Plan, lang: str) -> None:
    s = result.summary
    en = lang == "en"
    table = Table(title=f"{result.operation} (pola {result.pattern})", show_header=False)
    rows = [
        ("TPS / desa / kecamatan", f"{s['tps']:,} / {s['desa']:,} / {s['kecamatan']:,}"),
        (
            "Pos TPS (batas pola / minimum terbukti)" if not en else "TPS posts (pattern floor / proven minimum)",
            "{:,} ({:,} / {:,})".format(
                result.extra.get("tps_posts", 0), result.extra.get("post_floor", 0), result.extra.get("post_minimum", 0)
            ),
        ),
        ("Pos seluruhnya" if not en else "All posts", f"{len(result.posts):,}"),
        (
            "Personel / ditugaskan / cadangan tak terpakai" if not en else "Persons / assigned / idle",
            f"{s['persons']:,} / {s['assigned']:,} / {s['idle']:,}",
        ),
        ("Slot / kosong" if not en else "Slots / unfilled", f"{s['slots']:,} / {s['unfilled']:,}"),
        ("Jarak tempuh total (km)" if not en else "Total travel (km)", f"{s['cost_km']:,.1f}"),
        (
            "Nilai tujuan / batas bawah terbukti" if not en else "Objective / proven lower bound",
            f"{s['objective']:,.3f} / {s['lower_bound']:,.3f}",
        ),
    ]
    reserve = result.extra.get("reserve")
    if isinstance(reserve, dict):
        covered, total, bound = s["reserve_covered_weight"], s["reserve_total_weight"], reserve.get("upper_bound", 0)
        pct = 100 * covered / total if total else 100.0
        rows.append(
            (
                "Cakupan cadangan (bobot)" if not en else "Reserve coverage (weight)",
                f"{covered:g} / {total:g} ({pct:.1f}%), batas atas {bound:g}, {reserve.get('teams', 0)} tim",
            )
        )
    for label, value in rows:
        table.add_row(label, value)
    out.print(table)
    shortfall = result.extra.get("shortfall")
    if isinstance(shortfall, dict) and shortfall.get("unfilled_by_category"):
        out.print(
            ("Unfilled by category: " if en else "Slot kosong per kategori: ")
            + ", ".join(f"{k} {v}" for k, v in shortfall["unfilled_by_category"].items())
        )
        out.print(
            ("More people needed: " if en else "Tambahan personel yang dibutuhkan: ")
            + ", ".join(f"{k} {v}" for k, v in shortfall["more_needed"].items())
        )
        out.print(
            ("TPS below their pattern: " if en else "TPS di bawah pola: ") + f"{len(shortfall['tps_below_pattern']):,}"
        )
    for line in roster_lines(result, en):
        out.print(line, highlight=False, markup=False)
    for warning in result.extra.get("warnings", []) or []:
        out.print(f"[yellow]Peringatan:[/] {warning}", highlight=False)
    for line in advice_lines(result, en):
        out.print(line, highlight=False, markup=False)


ROSTER_SHOWN = 10


def roster_lines(result: Plan, en: bool) -> list[str]:
    """The roster across the stages in a few lines: its duties, what stays empty where and
    when (the first ROSTER_SHOWN), its gap to the proven lower bound."""
    r = roster.of_plan(result)
    if r is None or not r.duties:
        return []
    places = sum(sum(d.required.values()) for d in r.duties)
    empty = sum(u.count for u in r.unfilled)
    lines = [
        f"Duties beyond the vote: {len(r.duties):,} in {r.waves:,} waves, {places:,} places, {empty:,} empty; "
        f"objective {r.objective:,.3f}, proven lower bound {r.lower_bound:,.3f}, gap {r.gap:,.3f}"
        if en
        else f"Tugas di luar pemungutan: {len(r.duties):,} dalam {r.waves:,} gelombang, {places:,} tempat, "
        f"{empty:,} kosong; nilai tujuan {r.objective:,.3f}, batas bawah terbukti {r.lower_bound:,.3f}, "
        f"selisih {r.gap:,.3f}"
    ]
    shorts = roster.shortfall(r)
    lines += [f"  {roster.short_text(s, en)}" for s in shorts[:ROSTER_SHOWN]]
    if len(shorts) > ROSTER_SHOWN:
        more = len(shorts) - ROSTER_SHOWN
        lines.append(
            f"  ... and {more:,} more (plan file key roster)"
            if en
            else f"  ... dan {more:,} lainnya (kunci roster di berkas rencana)"
        )
    return lines


ADVICE = {
    "id": (
        "Saran: pola memberi kekuatan Polri yang sama untuk semua kategori, sementara {idle} Polri tidak bertugas.",
        "  Tambah {n} Polri di tiap {posts} pos TPS sangat rawan/khusus: "
        "kunci operasi tambahan_polri_sangat_rawan = {n}.",
        "  Atau pakai pola {other}, yang membedakan kategori.",
    ),
    "en": (
        "Advice: the pattern gives every category the same Polri strength while {idle} Polri have no duty.",
        "  Add {n} Polri to each of the {posts} sangat rawan/khusus TPS posts (reinforce_sangat_rawan = {n}).",
        "  Or use the pattern {other}, which tells the categories apart.",
    ),
}


def advice_lines(result: Plan, en: bool) -> list[str]:
    """What the planner should act on beyond the figures: the strength advice, the KPU/PPS
    coordination list and the pins that did not hold (docs/scenario.md 2.9-2.11)."""
    lines = []
    strength = result.extra.get("strength")
    if isinstance(strength, dict):
        idle, n, posts = strength["idle"]["POLRI"], strength["reinforce_sangat_rawan"], strength["sangat_rawan_posts"]
        other = strength.get("stronger_pattern") or ""
        words = ADVICE["en" if en else "id"]
        lines.append(words[0].format(idle=idle))
        if n:
            lines.append(words[1].format(n=n, posts=posts))
        if other:
            lines.append(words[2].format(other=other))
    gaps = result.extra.get("linmas_coordination") or []
    if gaps:
        missing = sum(int(g["needed"]) - int(g["named"]) for g in gaps)
        lines.append(
            f"KPU/PPS coordination: {len(gaps)} TPS posts lack {missing} Linmas named by the PPS decree."
            if en
            else f"Koordinasi KPU/PPS: {len(gaps)} pos TPS kurang {missing} Linmas yang ditetapkan SK PPS."
        )
    broken = [p for p in result.extra.get("pins", []) or [] if not p.get("held")]
    if broken:
        lines.append(
            f"Pins that did not hold: {len(broken)} (plan file key pins)"
            if en
            else f"Pin yang tidak berlaku: {len(broken)} (kunci pins di berkas rencana)"
        )
    return lines
    timings = result.extra.get("timings_ms")
    if isinstance(timings, dict):
        out.print(("Timings (ms): " if en else "Waktu (ms): ") + ", ".join(f"{k} {v}" for k, v in timings.items()))


def verdict(scenario: Scenario, result: Plan, weights: Path | None, lang: str) -> list[str]:
    """Run the independent checker and print its verdict; the violations, [] when valid."""
    violations = [str(v) for v in check_plan(scenario, result, load_model(weights, scenario))]
    if not violations:
        out.print(
            "[green]Pemeriksa independen: rencana sah.[/]"
            if lang != "en"
            else "[green]Independent checker: the plan is valid.[/]"
        )
        return []
    err.print(f"[bold red]{len(violations)} pelanggaran / violations:[/]")
    for v in violations:
        err.print(f"  - {v}", highlight=False, markup=False)
    return violations


def invalid_path(out_path: Path) -> Path:
    """Where a plan that fails the checker goes instead of `out_path`: rencana.json ->
    rencana.invalid.json (a name without .json gets .invalid.json added)."""
    stem = out_path.name.removesuffix(".json")
    return out_path.with_name(f"{stem}.invalid.json")


def write_checked(scenario: Scenario, result: Plan, out_path: Path, weights: Path | None, lang: str) -> None:
    """Write the plan to `out_path` only when the independent checker passes it. A plan that
    fails goes to `invalid_path(out_path)` with its violations (key `violations`), for
    inspection, and the command exits 1; a file already at `out_path` is left as it was."""
    violations = verdict(scenario, result, weights, lang)
    if not violations:
        write_plan(result, out_path)
        out.print(f"Rencana ditulis ke {out_path}" if lang != "en" else f"Plan written to {out_path}")
        return
    rejected = invalid_path(out_path)
    write_plan(replace(result, extra={**result.extra, "violations": violations}), rejected)
    err.print(
        f"[bold red]Plan NOT written to {out_path}: it fails the independent checker. "
        f"It was written to {rejected} for inspection only; it cannot be used.[/]"
        if lang == "en"
        else f"[bold red]Rencana TIDAK ditulis ke {out_path}: tidak lolos pemeriksa independen. "
        f"Rencana ditulis ke {rejected} hanya untuk diperiksa; tidak boleh dipakai.[/]",
        highlight=False,
    )
    raise typer.Exit(1)


@app.command("check")
def check_command(path: Path, plan_path: Path, weights: WeightsOption = None, lang: Lang = "id") -> None:
    """Periksa rencana terhadap semua aturan. / Check a plan against every rule."""
    scenario = load(path, lang)
    result = load_plan(plan_path)
    if verdict(scenario, result, weights, lang):
        raise typer.Exit(1)


def load_plan(path: Path) -> Plan:
    try:
        return read_plan(path)
    except PlanFileError as exc:
        err.print(f"[bold red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None


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
    lang: Lang = "id",
) -> None:
    """Tulis Sprin + lampiran, ploting XLSX dan kartu penugasan. / Write the orders of a plan."""
    en = lang == "en"
    scenario = load(path, lang)
    result = load_plan(plan_path)
    created = not key_path.exists()
    try:
        key = tokens.key_file(key_path)
    except (OSError, ValueError) as exc:
        err.print(f"[bold red]{key_path}: {exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    start = time.perf_counter()
    try:
        written = orders.write(
            scenario,
            result,
            out_dir,
            key,
            kecamatan or "",
            model=load_model(weights, scenario),
            draft=konsep,
            stage=stage or "",
        )
    except orders.InvalidPlan as exc:
        err.print(
            "[bold red]The plan fails the independent checker: no orders are printed from it.[/]"
            if en
            else "[bold red]Rencana tidak lolos pemeriksa independen: perintah tidak dicetak.[/]"
        )
        for v in exc.violations:
            err.print(f"  - {v}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    except (ploting.PlotingError, schedule.StageError) as exc:
        err.print(f"[bold red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - start
    if created:
        out.print(
            f"New card key written to {key_path}: keep it, the apel scanner needs it."
            if en
            else f"Kunci kartu baru dibuat di {key_path}: simpan, pemindai apel membutuhkannya.",
            highlight=False,
        )
    plot = written.ploting
    table = Table(title=("Orders" if en else "Perintah") + f": {result.operation}", show_header=False)
    table.add_row("Jumlah / total", plot.headline())
    table.add_row("Ditugaskan / assigned", f"{plot.assigned:,}")
    table.add_row("Slot kosong / unfilled", f"{plot.unfilled:,}")
    table.add_row(str(out_dir / orders.SPRIN), f"{written.sprin_pages:,} " + ("pages" if en else "halaman"))
    if written.stage is not None:
        table.add_row("Tahap / stage", f"{written.stage.number}. {written.stage.stage.name}")
        table.add_row(str(out_dir / orders.RENPAM), f"{written.renpam_pages:,} " + ("pages" if en else "halaman"))
    table.add_row(str(out_dir / orders.WORKBOOK), f"{len(plot.kecamatan) + 1} " + ("sheets" if en else "lembar"))
    table.add_row(
        str(out_dir / orders.CARDS),
        f"{written.cards:,} "
        + ("cards" if en else "kartu")
        + f", {written.card_pages:,} "
        + ("pages" if en else "halaman"),
    )
    table.add_row("Waktu / time", f"{seconds:.1f} s")
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
    weights: WeightsOption = None,
    lang: Lang = "id",
) -> None:
    """Susun ulang setelah ada yang tidak hadir atau kategori berubah. / Re-plan."""
    scenario = load(path, lang)
    previous = load_plan(from_path)
    gone = read_absent(absent, {p.id for p in scenario.personnel}) if absent else set()
    changes = parse_categories(category or [], {t.id for t in scenario.tps})
    result = engine_module.replan_all(scenario, previous, gone, changes)
    print_plan(result, lang)
    info = result.extra["replan"]
    assert isinstance(info, dict)
    out.print(
        f"Berpindah / moved: {info['moved']:,}; tetap / kept: {info['kept']:,}; tidak hadir / absent: {len(gone):,}"
    )
    write_checked(scenario, result, out_path, weights, lang)


def read_absent(path: Path, known: set[str]) -> set[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        err.print(f"[bold red]{path}: {exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    ids, unknown = set(), []
    for number, line in enumerate(lines, start=1):
        value = line.split(",")[0].strip()
        if not value or (number == 1 and value.lower() in ("id", "nrp")):
            continue
        (ids.add(value) if value in known else unknown.append(f"baris {number}: '{value}'"))
    if unknown:
        err.print(f"[bold red]{path}: NRP tidak dikenal / unknown ids:[/] " + ", ".join(unknown), highlight=False)
        raise typer.Exit(1)
    return ids


def parse_categories(pairs: list[str], known: set[str]) -> dict[str, Category]:
    changes = {}
    for pair in pairs:
        tps, _, value = pair.partition("=")
        try:
            category = Category(value.strip().upper())
        except ValueError:
            category = None
        if tps.strip() not in known or category is None:
            allowed = ", ".join(c.value for c in Category)
            err.print(
                f"[bold red]--category {pair}: harus TPS_ID=KATEGORI dengan TPS yang ada dan kategori {allowed}[/]",
                highlight=False,
            )
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
    en = lang == "en"
    scenario = load(path, lang)
    plans = [load_plan(plan_path)] + ([load_plan(other)] if other else [])
    model = load_model(weights, scenario)
    reports = simulation.compare(scenario, plans, runs, seed, model)
    print_simulation(scenario, [plan_path.name] + ([other.name] if other else []), reports, en)
    if out_path is not None:
        data = [r.to_json() for r in reports]
        text = json.dumps(data[0] if len(data) == 1 else data, indent=1, ensure_ascii=False)
        write_bytes(out_path, text.encode("utf-8"))
        out.print(f"Laporan ditulis ke {out_path}" if not en else f"Report written to {out_path}")


def print_simulation(scenario: Scenario, names: list[str], reports: list[simulation.Report], en: bool) -> None:
    """The reports side by side: response minutes (median / p90 / worst) overall, by category
    and by kecamatan, waits, saturation and the TPS with the longest worst case."""
    first = reports[0]
    title = (
        f"Stress test: {first.runs:,} days, seed {first.seed}, {first.incidents:,} incidents, "
        f"{first.dispatched:,} dispatched"
        if en
        else f"Uji tekanan: {first.runs:,} hari, benih {first.seed}, {first.incidents:,} kejadian, "
        f"{first.dispatched:,} perlu dikirim bantuan"
    )
    table = Table(title=title)
    table.add_column(
        "Waktu tanggap (menit): median / p90 / terburuk" if not en else "Response (min): median / p90 / worst"
    )
    for name in names:
        table.add_column(name, justify="right")

    def cell(s: simulation.Stats) -> str:
        return "-" if not s.count else f"{s.median:g} / {s.p90:g} / {s.worst:g} ({s.count:,})"

    table.add_row("Semua" if not en else "All", *[cell(r.overall) for r in reports])
    for c in Category:
        if any(r.by_category[c.value].count for r in reports):
            table.add_row(c.value, *[cell(r.by_category[c.value]) for r in reports])
    regions = scenario.region_by_code()
    for code in first.by_kecamatan:
        name = regions[code].name if code in regions else code
        table.add_row(
            f"Kec. {name}", *[cell(r.by_kecamatan.get(code, simulation.Stats.of(np.zeros(0)))) for r in reports]
        )
    table.add_row(
        "Menunggu tim yang sibuk" if not en else "Waited for a busy team", *[f"{r.waited:,}" for r in reports]
    )
    table.add_row(
        "Semua tim cadangan sibuk (bagian waktu)" if not en else "All reserve teams busy (share of time)",
        *[f"{100 * r.saturated_share:.2f}%" for r in reports],
    )
    table.add_row(
        "Tim: Polsek / cadangan" if not en else "Teams: Polsek / reserve",
        *[f"{r.teams['polsek']} / {r.teams['reserve']}" for r in reports],
    )
    out.print(table)
    for name, r in zip(names, reports, strict=True):
        worst = ", ".join(f"{t} {m:g}" for t, m in r.worst_tps[:5])
        out.print(f"{name}: " + ("TPS terlama (menit): " if not en else "longest TPS (min): ") + worst, highlight=False)


def main() -> None:
    app()
