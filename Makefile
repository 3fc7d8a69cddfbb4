# Unknot. `make run` starts the whole app; `make test` runs every test. Python 3.11+ and make suffice.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format check-deploy lock clean bench

# The venv is rebuilt whenever the lock file changes.
$(STAMP): requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_library
	$(BIN)/python manage.py load_demo
	@echo "Unknot is starting at http://127.0.0.1:$${WEB_PORT:-8000}/  (Ctrl-C stops web, workers and beat)"
	@echo "Emails are printed below: sign-up and password reset in the web lines, reminders and summaries in the worker lines."
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$${WEB_PORT:-8000}}" PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho start -f Procfile

# Every test, browser and real-service ones included: they use the local PostgreSQL and Redis
# unless DATABASE_URL / REDIS_URL say otherwise. pytest-xdist runs one worker per CPU (at most
# four), each with a test database of its own (pytest creates and drops test_<name>_gw0, …) and a
# Redis database of its own: REDIS_URL's, then the next ones (tests/xdist_isolation.py).
# Work stealing: each worker starts on its half of the tests in order, so a module's tests (and its
# module-scoped data) mostly stay on one worker, and the one that finishes first takes over the
# other's remaining tests instead of waiting for its slow browser tests.
# `make test PYTEST_ARGS="-n 0 …"` runs in one process.
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/unknot
test: export REDIS_URL ?= redis://127.0.0.1:6379/10
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist worksteal $(PYTEST_ARGS)

# ruff, then the apps' layers and the absence of import cycles (import-linter, pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# What production runs before it starts: must print no warnings.
check-deploy: $(STAMP)
	DJANGO_ENV=production DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=unknot.example DATABASE_URL=postgres://unknot@localhost/unknot \
	EMAIL_URL=smtp://localhost:25 DEFAULT_FROM_EMAIL='Unknot <hello@unknot.example>' REDIS_URL=redis://localhost:6379/0 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Time the dashboard against a bare view through gunicorn, on its own database (BENCH_DATABASE_URL,
# default postgres://postgres@127.0.0.1:5432/unknot_bench, dropped and recreated): see bench/README.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Regenerate the pinned, hashed lock files after editing requirements/*.in.
lock: $(STAMP)
	cd requirements && ../$(BIN)/pip-compile -q --strip-extras --generate-hashes --allow-unsafe base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile -q --strip-extras --generate-hashes --allow-unsafe dev.in -o dev.txt

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
