# The two commands the README promises; each installs what it needs, idempotently.
#   make diagrams  - render the whole suite into out/ (PNG, SVG, PDF + the emitted text)
#   make test      - run every test, the real-renderer ones included
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: diagrams test install renderers docs bench clean

diagrams: install renderers
	$(BIN)/lablink-diagrams render --all

test: install renderers
	LABLINK_REQUIRE_RENDERERS=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 needed (PY=...)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || { apt-get update -qq && apt-get install -y -qq python3-venv && $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

renderers:
	@bash scripts/install-renderers.sh

docs: install
	$(BIN)/lablink-diagrams docs

bench: install renderers
	$(BIN)/python bench/bench_render.py

clean:
	rm -rf out
