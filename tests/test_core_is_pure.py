"""The planning core is pure Python: importing it never pulls in Django (STYLE.md, habit 1)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = "import sys, {modules}; assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
EVERY_CORE_MODULE = (
    "pkgutil, importlib, siaga.core; "
    "[importlib.import_module(m.name) for m in pkgutil.iter_modules(siaga.core.__path__, 'siaga.core.')]"
)


@pytest.mark.parametrize(
    "modules",
    ["siaga.core.scenario, siaga.core.model", EVERY_CORE_MODULE],
    ids=["scenario-reader", "every-core-module"],
)
def test_it_imports_the_core_in_a_fresh_interpreter_without_django(modules):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
