# Every target builds .venv from the lock file first (idempotent: only when the lock or
# pyproject.toml changed). The command line tool is then at .venv/bin/siaga.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-core bench lint clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(BIN)/siaga scenario demo --out var/demo-pasuruan-kota.xlsx
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py demo
	@echo "Konsol Siaga: http://127.0.0.1:8000 (Ctrl+C untuk berhenti)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check siaga tests bench
	$(BIN)/ruff format --check siaga tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
