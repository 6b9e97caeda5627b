# ChefMentor X — `make demo` runs the local server with seeded recipes; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Unset by default so CHEFMENTOR_SERVER__HOST / CHEFMENTOR_SERVER__PORT (or their defaults, 0.0.0.0:8000) apply;
# `make demo PORT=9000 HOST=127.0.0.1` overrides them.
HOST ?=
PORT ?=

.PHONY: demo test install lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/chefmentor db upgrade
	$(BIN)/chefmentor db seed
	$(BIN)/chefmentor serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/cli_help.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/diagnose.py
	$(BIN)/python bench/eval_local.py
	$(BIN)/python bench/voice.py
	$(BIN)/python bench/tui.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
