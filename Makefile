# Herstelmonitor: `make run` starts the dashboard on the built-in sample data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
EXTRACTS := data/extracts
DB := data/herstelmonitor.duckdb
SEED := 1
PORT := 8501

.PHONY: run serve-lb test sample ingest bench bench-load clean

run: ingest
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

# Production-like on loopback: PROCESSES Streamlit processes behind nginx (sticky sessions), one database.
PROCESSES := 2
LB_PORT := 8500
serve-lb: ingest
	$(PY) -m herstelmonitor serve --processes $(PROCESSES) --port $(LB_PORT) --db $(DB)

test: $(STAMP)
	$(PY) -m pytest

# The sample is written to a temporary folder and renamed, so an interrupted build never looks complete.
sample: $(STAMP)
	@if [ ! -d $(EXTRACTS) ]; then \
		rm -rf $(EXTRACTS).tmp && \
		$(PY) -m herstelmonitor sample --out $(EXTRACTS).tmp --seed $(SEED) && \
		mv $(EXTRACTS).tmp $(EXTRACTS); \
	fi

ingest: sample
	$(PY) -m herstelmonitor ingest $(EXTRACTS) --db $(DB)

bench: $(STAMP)
	$(PY) -m herstelmonitor bench --scale 1 --scale 10

# 20 and 50 sessions at scale 10, one process and PROCESSES behind nginx, each next to a trivial app.
bench-load: $(STAMP)
	$(PY) -m herstelmonitor bench --load 20 --load 50 --scale 10 --processes $(PROCESSES)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

clean:
	rm -rf $(EXTRACTS) $(EXTRACTS).tmp $(DB) test-artifacts
