# Two entry points for a fresh machine: `make synth` and `make test`. Everything else is set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The venv first on PATH, so `npx cdk` runs app.py (cdk.json: "python3 app.py") with our packages.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup synth test lint typecheck unit diff deploy destroy bench clean

setup: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## synth: synthesize the example app into cdk.out and summarize what it defines.
synth: setup
	npx cdk synth --quiet --output cdk.out
	$(BIN)/python -m constructs_lib.summary cdk.out
	$(BIN)/cognito-auth cost cdk.out --mau 10000,100000

## test: lint, type-check, then the whole test suite.
test: setup lint typecheck unit

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

## deploy / diff / destroy: need AWS credentials and a bootstrapped account (`npx cdk bootstrap`).
diff: setup
	npx cdk diff

deploy: setup
	npx cdk deploy

# The user pool is retained (RemovalPolicy.RETAIN, deletion protection): see README, "Deleting for real".
destroy: setup
	npx cdk destroy

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache
