# web.mk: the browser map's build and tests. Included by the top-level
# Makefile; paths are relative to the repository root.

WEB_VENDOR   := web/static/vendor
NODE_MODULES := node_modules
MAPLIBRE_SRC := $(NODE_MODULES)/maplibre-gl
NOTO_SRC     := $(NODE_MODULES)/@fontsource/noto-sans-sc

.PHONY: web web-test web-clean

$(MAPLIBRE_SRC)/package.json $(NOTO_SRC)/package.json:
	npm ci --no-audit --no-fund

web: | $(MAPLIBRE_SRC)/package.json $(NOTO_SRC)/package.json ## Copy MapLibre GL JS and Noto Sans SC from node_modules into web/static/vendor (go:embed needs copies, not links)
	rm -rf $(WEB_VENDOR)/maplibre-gl $(WEB_VENDOR)/noto-sans-sc
	mkdir -p $(WEB_VENDOR)/maplibre-gl $(WEB_VENDOR)/noto-sans-sc/files
	cp $(MAPLIBRE_SRC)/dist/maplibre-gl.mjs $(MAPLIBRE_SRC)/dist/maplibre-gl-worker.mjs \
	   $(MAPLIBRE_SRC)/dist/maplibre-gl-shared.mjs $(MAPLIBRE_SRC)/dist/maplibre-gl.css \
	   $(MAPLIBRE_SRC)/LICENSE.txt $(WEB_VENDOR)/maplibre-gl/
	cp $(NOTO_SRC)/files/noto-sans-sc-*-400-normal.woff2 $(WEB_VENDOR)/noto-sans-sc/files/
	cp $(NOTO_SRC)/LICENSE $(WEB_VENDOR)/noto-sans-sc/LICENSE
	sed -e "s/, url([^)]*\.woff) format('woff')//" $(NOTO_SRC)/400.css > $(WEB_VENDOR)/noto-sans-sc/400.css
	@echo "web: vendored maplibre-gl $$(node -p "require('./$(MAPLIBRE_SRC)/package.json').version") and noto-sans-sc $$(node -p "require('./$(NOTO_SRC)/package.json').version") into $(WEB_VENDOR)"

web-test: web ## Run the browser tests (Playwright + /usr/bin/chromium) in three shares at once, each against a fresh `gridmap serve` (SHARES=1: one after another)
	BIN="$(BIN)" web/tests/run.sh

web-clean: ## Remove the vendored web files (keeps the committed README)
	rm -rf $(WEB_VENDOR)/maplibre-gl $(WEB_VENDOR)/noto-sans-sc web/tests/artifacts
