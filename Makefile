# Developer commands for backendgen itself. `make test` is the whole test suite as CI runs it: it
# installs the tool with its test extras (and kustomize, built with Go), then pytest
# installs (Debian packages) and starts PostgreSQL, MariaDB and Redis for the end-to-end tier.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: install test test-full test-fast lint bench verify clean

# kustomize builds the generated Kubernetes manifests in the render tier. It is a Go
# program with no PyPI package, so it is built from the Go module proxy into the venv.
KUSTOMIZE_VERSION := v5.8.1
# These machines keep their Go toolchain here, which a bare CI PATH may leave out.
export PATH := $(PATH):/usr/local/go/bin

install: $(BIN)/backendgen $(BIN)/kustomize

$(BIN)/backendgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

$(BIN)/kustomize: Makefile | $(BIN)/backendgen
	@command -v go >/dev/null || { echo "make install needs Go to build kustomize" >&2; exit 1; }
	GOBIN=$(abspath $(BIN)) go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)
	@touch $@

lint: install
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The end-to-end tier on the whole covering set: CI's, plus every add-on alone.
test-full: lint
	BACKENDGEN_E2E=full $(BIN)/pytest $(PYTEST_ARGS)

test-fast: lint
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/cli_speed.py

verify: install
	$(BIN)/backendgen verify

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
