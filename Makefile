# Herstelmonitor: `make run` starts the dashboard on the built-in sample data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
EXTRACTS := data/extracts
DB := data/herstelmonitor.duckdb
SEED := 1
PORT := 8501

.PHONY: run test sample ingest bench clean

run: ingest
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

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

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

clean:
	rm -rf $(EXTRACTS) $(EXTRACTS).tmp $(DB) test-artifacts
