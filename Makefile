# gridmap: maps a city's governance grids. `make help` lists the targets.
GO       ?= go
BIN      ?= bin/gridmap
# ADDR chooses the listen address of `make run`; unset, `gridmap serve`
# reads GRIDMAP_ADDR and falls back to :8080.
ADDR     ?=
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
GOFLAGS_TEST ?=

.DEFAULT_GOAL := help
.PHONY: help deps build run test test-go test-web bench lint fixtures web clean

help: ## List the targets with what they do.
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z_-]+:.*## /{printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

include web/web.mk

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

build: web ## Build bin/gridmap (web assets embedded, -trimpath, version stamped).
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/gridmap

run: build ## Build everything and serve the embedded city on http://localhost:8080 (ADDR=:9090 or GRIDMAP_ADDR to choose).
	./$(BIN) serve $(if $(ADDR),--addr $(ADDR))

deps: ## Install what a fresh Debian machine lacks for the tests (apt and npm; nothing when all is there).
	bash .ci/deps

test: deps ## Every test: installs what is missing, then lint, unit, HTTP, PostgreSQL, GDAL/PROJ, decoder, browser.
	$(MAKE) --no-print-directory lint test-go test-web

test-go: web ## Go tests (unit, HTTP on real ports, PostgreSQL, tile decoder check in Node).
	@# Build every test binary in parallel first, then run the packages one
	@# at a time: several of them start servers, PostgreSQL clusters and
	@# child processes, and timing-sensitive checks should not fight for the
	@# two cores.
	$(GO) test -run '^$$' ./... >/dev/null
	$(GO) test -p 1 -count=1 -timeout 30m $(GOFLAGS_TEST) ./...

test-web: build ## Browser tests: Playwright driving Debian's chromium against a real server.
	$(MAKE) --no-print-directory web-test BIN=$(BIN)

bench: deps build ## Benchmarks and HTTP load; writes out/bench.txt (benchstat) and out/bench-report.md.
	bash bench/run.sh

STATICCHECK ?= $(shell $(GO) env GOPATH)/bin/staticcheck

lint: ## gofmt, go vet, staticcheck; ESLint and tsc --noEmit (JSDoc types; every page module must be // @ts-check) on the web page.
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^node_modules/')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@[ -x $(STATICCHECK) ] || { echo "staticcheck missing: run make deps"; exit 1; }
	$(STATICCHECK) ./...
	@[ -x node_modules/.bin/eslint ] || { echo "eslint missing: run make deps (npm ci)"; exit 1; }
	node_modules/.bin/eslint --max-warnings 0 .
	@missing=$$(grep -L '^// @ts-check' $$(find web/static/js -name '*.js')); if [ -n "$$missing" ]; then echo "// @ts-check missing (tsc checks only marked modules):"; echo "$$missing"; exit 1; fi
	node_modules/.bin/tsc -p tsconfig.json

fixtures: build ## Write the embedded city as GeoJSON to out/city (SCALE=N for N cities).
	./$(BIN) fixtures --out out/city --scale $${SCALE:-1}

clean: ## Remove build outputs.
	rm -rf bin out
