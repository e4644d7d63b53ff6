"""The console's apps depend one way: the field reads operations and plans, never the reverse
(issue 10: no import cycle between `operations` and `field`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "siaga"


def imports_of(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found.update((str(path.relative_to(ROOT)), name) for name in names)
    return found


@pytest.mark.parametrize("package", ["operations", "plans", "accounts", "audit"])
def test_it_keeps_the_field_out_of_the_apps_it_stands_on(package):
    assert [(path, name) for path, name in imports_of(package) if name.startswith("siaga.field")] == []
