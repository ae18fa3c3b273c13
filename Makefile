# Shortcuts; each target is one command you can also run by hand.
PY ?= python

.PHONY: install test score bench build lint

install:
	$(PY) -m pip install ".[test]"

test:
	$(PY) -m pytest tests

score:            ## extraction quality on ../shared/eval/dev.jsonl
	$(PY) bench/score_dev.py

bench:            ## build throughput, scaling, SPARQL and HTML timings (ratios in one run)
	$(PY) bench/bench_build.py

build:
	kg build --out out

lint:
	ruff check kg extractors exports tests bench
