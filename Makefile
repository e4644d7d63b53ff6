# Every target builds .venv from the lock file first (idempotent: only when the lock or
# pyproject.toml changed). The command line tool is then at .venv/bin/siaga.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test postgres bench lint clean messages

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
	@# The job worker (plans, re-plans, orders) runs in the background and stops with the server.
	$(BIN)/python manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite runs twice: on SQLite (the laptop), all of it, and on PostgreSQL (the server), every
# test of the console on the database (the core's own tests, which use none, and the browser's,
# but those about what the database keeps, run once: tests/conftest.py).
PG_URL ?= postgres://postgres@127.0.0.1:5432/siaga

test: $(STAMP) postgres
	$(BIN)/pytest -n 2 --dist loadgroup -q
	DATABASE_URL=$(PG_URL) SIAGA_TEST_DATABASE_ONLY=1 $(BIN)/pytest -n 2 --dist loadgroup -q

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	  echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1

bench: $(STAMP)
	$(BIN)/python -m bench

# The one English catalogue of the console, the core and the CLI (msgids are Indonesian; the core
# marks them with _, ngettext and gettext_noop from siaga/core/data/text.py); tests/web/test_i18n.py
# fails when this needs running.
messages: $(STAMP)
	cd siaga && ../$(BIN)/python ../manage.py makemessages --locale en --no-obsolete --ignore "static/vendor/*"
	cd siaga && ../$(BIN)/python ../manage.py compilemessages --locale en

lint: $(STAMP)
	$(BIN)/ruff check siaga tests bench
	$(BIN)/ruff format --check siaga tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
