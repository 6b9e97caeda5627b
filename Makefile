# ChefMentor X — `make demo` runs the local server with seeded recipes; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs exactly what uv.lock pins; it is bootstrapped from PyPI into the venv when missing.
UV_VERSION := 0.13.9
UV := $(BIN)/uv
# The project's interpreter is the venv's; uv never downloads one.
export UV_PYTHON_DOWNLOADS := never
# Unset by default so CHEFMENTOR_SERVER__HOST / CHEFMENTOR_SERVER__PORT (or their defaults, 0.0.0.0:8000) apply;
# `make demo PORT=9000 HOST=127.0.0.1` overrides them.
HOST ?=
PORT ?=

.PHONY: demo test install lock lint typecheck pytest bench clean clients

$(UV):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip >/dev/null
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock scripts/system-deps.sh | $(UV)
	@bash scripts/system-deps.sh
	$(UV) sync --locked --all-extras
	@touch $(STAMP)

install: $(STAMP)

# After editing dependencies in pyproject.toml: re-resolve, then commit pyproject.toml and uv.lock together.
lock: | $(UV)
	$(UV) lock

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

# The TypeScript and Python clients generated from the OpenAPI document, with the example flows (docs/api.md).
clients: $(STAMP)
	$(BIN)/python clients/generate.py all

bench: $(STAMP)
	$(BIN)/python bench/cli_help.py
	$(BIN)/python bench/cli_startup.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/diagnose.py
	$(BIN)/python bench/eval_local.py
	$(BIN)/python bench/voice.py
	$(BIN)/python bench/tui.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
