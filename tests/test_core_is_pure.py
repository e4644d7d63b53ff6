"""The planning core is pure Python: importing it never pulls in Django (STYLE.md, habit 1)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = "import sys, {modules}; assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
EVERY_CORE_MODULE = (
    "pkgutil, importlib, siaga.core; "
    "[importlib.import_module(m.name) for m in pkgutil.walk_packages(siaga.core.__path__, 'siaga.core.')]"
)


@pytest.mark.parametrize(
    "modules",
    ["siaga.core.data.scenario, siaga.core.data.model", EVERY_CORE_MODULE],
    ids=["scenario-reader", "every-core-module"],
)
def test_it_imports_the_core_in_a_fresh_interpreter_without_django(modules):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


# The core reads by concern: documents -> check -> planning -> data, with nothing running back.
LAYERS = {"data": set(), "planning": {"data"}, "check": {"data"}, "documents": {"data", "planning", "check"}}


def test_it_keeps_the_core_packages_pointing_one_way():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "siaga" / "core"
    wrong = []
    for package, allowed in LAYERS.items():
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                for name in names:
                    parts = name.split(".")
                    if parts[:2] == ["siaga", "core"] and len(parts) > 2:
                        target = parts[2]
                        if target != package and target not in allowed:
                            wrong.append(f"{path.relative_to(root)} imports {name}")
    assert wrong == []
