# Two promises (README's first lines): `make run` serves the dashboard, `make test` passes the suite.
# Both set themselves up from nothing: a virtual environment, the package, and (for tests) the
# system packages redis-server, chromium and chromium-driver.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8050
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
# Four workers on two cores: the browser tests wait on timers and Chromium as much as they
# compute, so more workers keep both cores busy (470 s at 2 -> 437 s at 3, same checkout, one run
# after the other; 2,034 tests: 456 s at 3 on a clean clone, 404 s at 4 here).
# The throughput tests (test_faults_redis) wait until every screen has answered, so they hold
# with less CPU each.
# PYTEST_WORKERS=0 runs in one process (pdb, -x, reading a failure in order).
PYTEST_WORKERS ?= 4
TEST_DATES ?= 2027-04-30T23:57:00 2028-02-29T23:57:00 2027-12-31T23:57:00

.PHONY: run serve test lint lock vendor test-dates test-unit venv install install-test system-deps bench bench-quick screenshots clean example

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock (requirements/, made by `make lock`): the versions and hashes
# that were tested, never what the index offers today. The package itself goes in without
# dependencies, so nothing unlocked slips in. The stamp files make a second `make run` start
# at once instead of reinstalling.
LOCK_PYTHON := 3.11
LOCK_PLATFORM := x86_64-unknown-linux-gnu
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version $(LOCK_PYTHON) \
	--python-platform $(LOCK_PLATFORM) --constraint requirements/constraints.in --custom-compile-command "make lock"

$(VENV)/.installed: requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m dashboard.web.precompress
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m dashboard.web.precompress
	touch $(VENV)/.installed $@

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv>=0.4'

# Re-resolve both locks from pyproject.toml, keeping the locked versions that still fit;
# UPGRADE=1 moves everything to the newest allowed, UPGRADE_PACKAGE=plotly one package. The
# test lock is constrained by the runtime one, so tests run on the versions the image ships.
UV_UPGRADE = $(if $(UPGRADE),--upgrade) $(if $(UPGRADE_PACKAGE),--upgrade-package $(UPGRADE_PACKAGE))
lock: $(BIN)/uv requirements/constraints.in
	$(UV_COMPILE) $(UV_UPGRADE) -o requirements/runtime.txt
	$(UV_COMPILE) $(UV_UPGRADE) --extra test --constraint requirements/runtime.txt -o requirements/test.txt

venv: $(BIN)/python
install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# plotly.js's partial bundle (dashboard/web/vendor/README.md) at the version plotly.py ships.
vendor: install
	@version=$$($(BIN)/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())"); \
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent plotly.js-basic-dist-min@$$version >/dev/null && \
	tar xzf plotly.js-basic-dist-min-$$version.tgz && cd - >/dev/null && \
	cp $$tmp/package/plotly-basic.min.js dashboard/web/vendor/plotly-basic.min.js && \
	cp $$tmp/package/LICENSE dashboard/web/vendor/LICENSE.plotly.js && rm -rf $$tmp && \
	echo "plotly.js basic bundle $$version vendored"

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m dashboard

serve: install
	GUNICORN_BIND=$(HOST):$(PORT) MALLOC_MMAP_THRESHOLD_=131072 $(BIN)/gunicorn -c gunicorn.conf.py dashboard.wsgi:server

system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Seconds, and first: a broken layer, an unused import or a wrong type fails before the 6-minute
# suite starts.
lint: install-test
	$(BIN)/ruff check dashboard tests bench gunicorn.conf.py
	$(BIN)/ruff format --check dashboard tests bench gunicorn.conf.py
	$(BIN)/lint-imports
	$(BIN)/mypy

test: install-test system-deps lint
	$(BIN)/python -m pytest --headless -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The whole suite with its clock moved (tests/clock.py) to a month end, a leap day and a year
# end, each three minutes before midnight so the run crosses into the next day.
test-dates: install-test system-deps
	@failed=""; for moment in $(TEST_DATES); do \
	  echo "== DASHBOARD_TEST_NOW=$$moment"; \
	  DASHBOARD_TEST_NOW=$$moment $(BIN)/python -m pytest --headless -n $(PYTEST_WORKERS) --dist worksteal -q \
	    $(PYTEST_ARGS) || failed="$$failed $$moment"; \
	done; \
	if [ -n "$$failed" ]; then echo "== failed at:$$failed"; exit 1; fi; echo "== passed at every date"

test-unit: install-test
	$(BIN)/python -m pytest tests/unit tests/deploy $(PYTEST_ARGS)

bench: install-test system-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-quick: install-test system-deps
	$(BIN)/python bench/run.py --quick

# Every page, wallboard view and outage state as PNGs in docs/screenshots/ (about 3 minutes);
# SCREENSHOTS_ARGS=--readme also refreshes the README's pictures in docs/.
screenshots: install-test system-deps
	$(BIN)/python bench/screenshots.py $(SCREENSHOTS_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache build *.egg-info

example: install
	$(BIN)/python examples/host_app.py
