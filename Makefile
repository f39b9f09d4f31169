# PolicyLens: `make demo` (install, ingest the samples, serve) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PL     := $(VENV)/bin/policylens
HOST   ?= 127.0.0.1
PORT   ?= 8000
SHARED ?= ../shared
export POLICYLENS_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo install test eval bench serve ingest-samples browser-deps ocr-deps clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip setuptools wheel

# Re-install when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

ingest-samples: install
	$(PL) ingest corpora/samples

serve: install
	$(PL) serve --host $(HOST) --port $(PORT)

demo: ingest-samples
	@echo "PolicyLens on http://$(HOST):$(PORT)/  (API docs: /docs)"
	$(PL) serve --host $(HOST) --port $(PORT)

test: install ocr-deps
	$(PY) -m pytest -q

# Scores against the dev gold data (../shared) and the cross-validated classifiers.
eval: install
	$(PY) -m api.evaluate --shared $(SHARED)

bench: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m bench --shared $(SHARED)

# Chromium for the browser tests (Debian packages; needs root). Best effort:
# without a browser the browser tests are skipped with that reason.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) || echo "chromium not installed: browser tests will be skipped"; \
	fi

# OCR extra and a CJK font (Debian fonts-wqy-zenhei) for the scanned-page test,
# which renders Chinese text into an image. Best effort: without them the OCR
# test is skipped with that reason.
ocr-deps: install
	@if ! fc-list 2>/dev/null | grep -qi wqy && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null) || echo "fonts-wqy-zenhei not installed"; \
	fi
	$(PY) -m pip install --quiet -e '.[test,ocr]' || echo "OCR extra not installed: OCR test will be skipped"

clean:
	rm -rf $(VENV) data .pytest_cache
