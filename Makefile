# Two commands for a newcomer: `make run` (install + demo portal) and `make test` (whole suite).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# The PostgreSQL server the suite runs on a second time; each run makes its own database there.
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

export FLASK_APP := wsgi
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test test-sqlite test-postgres chromium lint clean \
	translations-extract translations-update translations-compile

# Each package keeps its own catalog (<package>/translations/); moderation's leaves out
# the cases subpackage, which has its own.
CATALOGS := portal community kb search moderation moderation/cases proactive dashboard transfer api
LOCALES := fr
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k N_

install: $(STAMP)

# torch is installed on its own first, pinned: it is the CPU build on this machine's disk.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask search export-encoder
	$(BIN)/flask search reindex --if-needed
	@echo "Care Portal on http://$(HOST):$(PORT) — demo users are listed in README.md"
	@# The jobs worker (e-mail, notifications, the sweep) runs beside the web server and
	@# stops with it (Ctrl-C reaches both).
	$(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

chromium:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: install chromium test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

# On CI PostgreSQL is required; on a laptop without it the second run is skipped with a note.
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg', ''), connect_timeout=3).close()" 2>/dev/null; then \
		TEST_DATABASE_URL='$(PG_TEST_URL)' $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL does not answer at $(PG_TEST_URL): CI needs it." >&2; exit 1; \
	else \
		echo "PostgreSQL does not answer at $(PG_TEST_URL): skipped the PostgreSQL run."; \
	fi

# Strings people read → <package>/translations/messages.pot, then into each language's .po
# (new strings arrive untranslated, changed ones fuzzy), then the .mo files the app reads
# (committed, so an install needs no build step; tests/test_i18n.py checks they are fresh).
translations-extract: install
	for package in $(CATALOGS); do \
		ignore='.* ._ translations'; [ "$$package" = moderation ] && ignore="$$ignore cases"; \
		$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --ignore-dirs="$$ignore" \
			--sort-by-file --no-wrap --project="Care Portal" --copyright-holder="Care Portal contributors" \
			-o $$package/translations/messages.pot $$package || exit 1; \
	done

translations-update: translations-extract
	for package in $(CATALOGS); do for locale in $(LOCALES); do \
		if [ -f $$package/translations/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel -q update --no-wrap -i $$package/translations/messages.pot \
				-d $$package/translations -l $$locale || exit 1; \
		else \
			$(BIN)/pybabel -q init --no-wrap -i $$package/translations/messages.pot \
				-d $$package/translations -l $$locale || exit 1; \
		fi; \
	done; done

translations-compile: install
	for package in $(CATALOGS); do \
		$(BIN)/pybabel -q compile -d $$package/translations || exit 1; \
	done

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
