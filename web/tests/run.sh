#!/bin/sh
# run.sh: the browser tests against a real gridmap. Builds the binary (or
# uses $BIN), serves the embedded city from a throw-away store on a free
# localhost port with a planner token for the editing tests, waits for
# /readyz, runs web/tests/browser.test.mjs and stops the server. The page's
# pure modules are tested in Node first (web/tests/unit*.test.mjs).
# With GRIDMAP_URL set, tests that server instead and starts nothing (the
# editing tests then need GRIDMAP_TOKEN, a planner token for 520201).
set -eu
cd "$(dirname "$0")/../.."
ARTIFACTS=web/tests/artifacts
mkdir -p "$ARTIFACTS"

if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
  echo "web-test: /usr/bin/chromium is missing: apt-get install -y chromium (or set CHROMIUM=path)" >&2
  exit 1
fi
if [ ! -f web/static/vendor/maplibre-gl/maplibre-gl.mjs ]; then
  echo "web-test: vendored MapLibre missing: run make web (and rebuild) first" >&2
  exit 1
fi

echo "web-test: unit tests of the page's modules"
node --test --test-reporter=dot web/tests/unit.test.mjs web/tests/unit-circles.test.mjs web/tests/unit-edit.test.mjs web/tests/unit-head.test.mjs web/tests/unit-planner.test.mjs

if [ -n "${GRIDMAP_URL:-}" ]; then
  exec node --test-reporter=spec web/tests/browser.test.mjs
fi

WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${BIN:-}" ]; then
  BIN="$WORK/gridmap"
  echo "web-test: building $BIN"
  go build -o "$BIN" ./cmd/gridmap
fi

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
GRIDMAP_URL="http://127.0.0.1:$PORT"
STORE="$WORK/store"
: >"$ARTIFACTS/server.log"

# start_server serves the throw-away store on $PORT and waits for /readyz.
start_server() {
  "$BIN" serve --addr "127.0.0.1:$PORT" --store "$STORE" >>"$ARTIFACTS/server.log" 2>&1 &
  PID=$!
  i=0
  until curl -fsS "$GRIDMAP_URL/readyz" >/dev/null 2>&1; do
    i=$((i + 1))
    if ! kill -0 "$PID" 2>/dev/null; then
      echo "web-test: gridmap exited; its log:" >&2; cat "$ARTIFACTS/server.log" >&2; exit 1
    fi
    if [ "$i" -ge 300 ]; then
      echo "web-test: $GRIDMAP_URL/readyz not ready after 60 s" >&2; exit 1
    fi
    sleep 0.2
  done
}

stop_server() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
}

# The first run creates the store from the embedded city. bbolt lets one
# process hold it, so the server stops while the planner token of the
# editing tests (scoped to 钟山区) is created, then serves again.
start_server
stop_server
GRIDMAP_TOKEN=$("$BIN" tokens create --role planner --scope 520201 --name e2e --store "$STORE" 2>>"$ARTIFACTS/server.log")
start_server
echo "web-test: gridmap ready at $GRIDMAP_URL (store $STORE)"
GRIDMAP_URL="$GRIDMAP_URL" GRIDMAP_TOKEN="$GRIDMAP_TOKEN" node --test-reporter=spec web/tests/browser.test.mjs
