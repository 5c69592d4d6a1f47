# Referral Community — the two commands a newcomer needs: `make run` and `make test`.
# Both create/update the virtualenv, install the package with its extras, install the front-end
# packages with npm and copy them into static/vendor, and compile the translations.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test setup lint format translations bench bench-challenges bench-forum bench-analytics clean stop

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@$(BIN)/flask demo-logins --url http://$(HOST):$(PORT)/
	@# The worker (time-driven work) runs beside the web server and stops with it.
	$(BIN)/flask worker run & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

setup: $(VENV)/.installed static/vendor/.built translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.built: node_modules/.package-lock.json scripts/build-static
	scripts/build-static
	@touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel -q compile -d community/translations

# Re-extract the UI strings and merge them into both catalogs (then translate what is new).
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output -w 100 -o community/translations/messages.pot .
	$(BIN)/pybabel update -i community/translations/messages.pot -d community/translations --no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/python scripts/fill-english-catalog

# The leaderboard benchmark (docs/performance.md). Quick run: make bench SIZES=1000
SIZES ?= 1000,100000,1000000
bench: setup
	$(BIN)/python -m bench.leaderboards --sizes $(SIZES) $(BENCH_ARGS)

# The challenge benchmarks (docs/performance.md, "Challenges"). Quick: make bench-challenges ENTRIES=100000
ENTRIES ?= 1000000
bench-challenges: setup
	$(BIN)/python -m bench.challenge_projection $(BENCH_ARGS)
	$(BIN)/python -m bench.challenge_rebuild --entries $(ENTRIES)

# The forum benchmark (docs/performance.md, "Forum search"). Quick: make bench-forum POSTS=5000 TOPICS=500
POSTS ?= 100000
TOPICS ?= 10000
bench-forum: setup
	$(BIN)/python -m bench.forum_search --posts $(POSTS) --topics $(TOPICS) $(BENCH_ARGS)

# The analytics benchmark (docs/performance.md, "Analytics"). Quick: make bench-analytics REFERRALS=5000 LEDGER=50000
REFERRALS ?= 100000
LEDGER ?= 1000000
bench-analytics: setup
	$(BIN)/python -m bench.analytics --referrals $(REFERRALS) --entries $(LEDGER) $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

stop:
	$(BIN)/flask stop-embedded-redis

clean:
	rm -rf $(VENV) node_modules static/vendor
