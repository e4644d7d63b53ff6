"""The `siaga` command line: scenario files and the planning core, no database.

Exit codes: 0 done, 1 the input is invalid (every problem printed), 2 the file cannot be read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from siaga.core import demo, generator, template
from siaga.core.model import VILLAGE_LEVELS, Force, Level, Scenario
from siaga.core.problems import ScenarioError, UnreadableFile
from siaga.core.scenario import read_scenario, write_scenario

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Siaga: rencana pengamanan pemilu.")
scenario_app = typer.Typer(no_args_is_help=True, help="Skenario: buat, periksa, contoh. / Scenario files.")
app.add_typer(scenario_app, name="scenario")

out = Console()
err = Console(stderr=True)

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
def demo_command(out_path: OutPath) -> None:
    """Tulis skenario contoh Polres Pasuruan Kota, Pilkades 2022. / Write the demo scenario."""
    write_scenario(demo.pasuruan_kota(), out_path)
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
) -> None:
    """Buat skenario sintetis sebesar apa pun. / Generate a synthetic scenario of any size."""
    generator.write(out_path, tps=tps, seed=seed)
    out.print(f"Skenario sintetis ({tps:,} TPS) ditulis ke {out_path}")


def main() -> None:
    app()
