"""What `siaga` loads when it starts (issue 18 item 2): heavy libraries only in the commands
that use them, and typer's parameters coerced without pydantic, with typer's own values and
messages. Speed itself is measured in bench/bench_startup.py."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._coercion import build_runtime_param
from typer.core import TyperGroup
from typer.main import get_command

from siaga import cli

# Run in a fresh interpreter: the modules really loaded (cli.py's `_lazy` ones are in
# sys.modules before their first use, as importlib's _LazyModule), one JSON list on the last line.
LOADED = """
import json, sys
from siaga.cli import app
try:
    app({args!r}, prog_name="siaga")
except SystemExit as stop:
    assert not stop.code, stop.code
names = {names!r}
print(json.dumps([n for n in names if n in sys.modules and type(sys.modules[n]).__name__ != "_LazyModule"]))
"""
HEAVY = ["numpy", "ortools.graph.python.min_cost_flow", "ortools.sat.python.cp_model", "openpyxl", "reportlab"]
NOT_NEEDED = ["pydantic", "typer._adapters", "pandas"]


def loaded_by(args: list[str], names: list[str]) -> list[str]:
    code = LOADED.format(args=args, names=names)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_it_shows_its_help_without_the_heavy_libraries():
    assert loaded_by(["--help"], [*HEAVY, *NOT_NEEDED, "rich.progress", "siaga.core.planning.plan"]) == []


def test_it_plans_the_demo_without_pydantic_or_pandas(tmp_path):
    book, out = tmp_path / "demo.xlsx", tmp_path / "plan.json"
    assert loaded_by(["scenario", "demo", "--out", str(book)], NOT_NEEDED) == []
    names = ["numpy", "ortools.sat.python.cp_model", *NOT_NEEDED]
    assert loaded_by(["plan", str(book), "--out", str(out)], names) == ["numpy", "ortools.sat.python.cp_model"]
    assert json.loads(out.read_text(encoding="utf-8"))["assignments"]


def test_it_loads_numpy_and_or_tools_only_when_a_solver_runs():
    code = """
import sys
from siaga.core.data import geo, travel
from siaga.core.planning import polres, solvers
assert geo.haversine_km(-7.6, 112.9, -7.7, 112.9) > 11
assert "numpy" not in sys.modules and "ortools" not in sys.modules, "loaded on import"
assert geo.distance_matrix_km([-7.6], [112.9], [-7.7], [112.9])[0, 0] > 11 and "numpy" in sys.modules
assert "ortools" not in sys.modules, "numpy loaded OR-Tools"
assert solvers.min_groups([frozenset({0})], 1, 1.0)[0] == [(0, [0])]
assert "ortools.sat.python.cp_model" in sys.modules
assert "ortools.graph.python.min_cost_flow" not in sys.modules, "CP-SAT loaded the flow"
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _params() -> dict[str, Any]:
    root = get_command(cli.app)
    assert isinstance(root, TyperGroup)
    scenario = root.commands["scenario"]
    assert isinstance(scenario, TyperGroup)
    commands = {
        "plan": root.commands["plan"],
        "replan": root.commands["replan"],
        "generate": scenario.commands["generate"],
    }
    return {f"{name} {p.name}": p for name, command in commands.items() for p in command.params}


PARAMS = _params()
INTS = ["3", "007", "0", "-1", " 3", "+5", "1_000", "1.0", "abc", "", "\u0663", "99999999999999999999", 4, True]
PATHS = ["/tmp", "demo.xlsx", "", "-", "a/../b", "dir/", "~", " ", "\u00e9.xlsx", Path("x.json"), 5]
CASES = (
    [("plan workers", v) for v in INTS]  # an int at least 1
    + [("generate tps", v) for v in [*INTS, "2000000", "2000001"]]  # an int from 1 to 2,000,000
    + [("generate seed", v) for v in INTS]  # any int
    + [(name, v) for name in ("plan path", "plan out_path", "plan weights") for v in PATHS]
    + [("plan lang", v) for v in ["en", "", "\u00e9", 5, b"id"]]
    + [("replan category", v) for v in [("A=RAWAN", "B=KHUSUS"), [], ("x",), "A=RAWAN", (1,)]]
)


@pytest.mark.parametrize(("name", "value"), CASES)
def test_it_coerces_a_parameter_as_typer_does(name, value):
    param = PARAMS[name]
    ctx = typer.Context(get_command(cli.app))
    ours, theirs = cli._Coercion(param.type_descriptor), build_runtime_param(param.type_descriptor)

    def outcome(coercion):
        try:
            got = coercion.coerce(value, param=param, ctx=ctx)
        except Exception as exc:  # typer's error, its type and its words
            return type(exc), str(exc)
        return type(got), got

    assert outcome(ours) == outcome(theirs)


def test_it_coerces_every_parameter_through_its_own_coercion():
    """Every parameter of the command line goes through `_Coercion` (a typer that changed how it
    builds them would leave them to typer: this test then says so)."""
    param = PARAMS["plan workers"]
    param._runtime_param = None
    assert isinstance(param.get_runtime_param(), cli._Coercion)
