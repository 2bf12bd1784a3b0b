# Two commands on a fresh machine: `make run` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run chat test lint fmt bench eval check lock pin-base clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=python3.11)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,ocr]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP) ## run the bot (terminal chat when TELEGRAM_BOT_TOKEN is not set)
	$(VENV)/bin/weiquan-bot run

chat: $(STAMP) ## talk to the bot in this terminal
	$(VENV)/bin/weiquan-bot chat

test: $(STAMP) ## the whole test suite
	$(PY) -m pytest -q -n 4

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

eval: $(STAMP) ## intent accuracy on the shared dev corpus
	$(VENV)/bin/weiquan-bot intents eval ../shared/corpus/dev.tsv

check: $(STAMP) ## validate the keyword files
	$(VENV)/bin/weiquan-bot intents check

bench: $(STAMP) ## speed and memory benchmarks (figures go in the README)
	$(PY) bench/bench_intents.py
	$(PY) bench/bench_handlers.py
	$(PY) bench/bench_reply_latency.py
	$(PY) bench/bench_storage.py
	$(PY) bench/bench_ocr.py
	$(PY) bench/bench_ocr_load.py

lock: $(STAMP) ## rewrite requirements.lock (the Docker image's dependencies, with hashes)
	$(PY) -m pip install --quiet "uv>=0.5,<1"
	$(VENV)/bin/uv pip compile pyproject.toml requirements.in --extra ocr --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-emit-package opencv-python \
	  -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

pin-base: ## pin the Dockerfile's base image to the current digest of python:3.11-slim (needs registry access)
	@digest=$$(docker buildx imagetools inspect python:3.11-slim --format '{{json .Manifest.Digest}}' | tr -d '"') && \
	  test -n "$$digest" && \
	  sed -i "s|^ARG PYTHON_IMAGE=.*|ARG PYTHON_IMAGE=python:3.11-slim@$$digest|" Dockerfile && \
	  echo "Dockerfile base image pinned to $$digest"
