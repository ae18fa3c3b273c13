# Shortcuts; each target is one command you can also run by hand.
PY ?= python

.PHONY: install test score crossval model bench build lint

EVAL ?= ../shared/eval

install:
	$(PY) -m pip install ".[test]"

test:
	$(PY) -m pytest tests

score:            ## quality on the gold passages (dev by default; they are in the shipped model's training data)
	$(PY) bench/score_dev.py

crossval:         ## cross-validated quality: fit on dev + 4 folds of train, score the 5th (official scorer)
	$(PY) bench/crossval.py

model:            ## retrain the shipped model on train + dev (prints its cross-validated scores first)
	kg train $(EVAL)/train.jsonl --always $(EVAL)/dev.jsonl --out extractors/models/default

bench:            ## build throughput, scaling, SPARQL and HTML timings (ratios in one run)
	$(PY) bench/bench_build.py

build:
	kg build --out out

lint:
	ruff check kg extractors exports tests bench
