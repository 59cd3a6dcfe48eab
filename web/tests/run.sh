#!/bin/sh
# run.sh: the browser tests against a real gridmap. Builds the binary (or
# uses $BIN) and runs web/tests/browser.test.mjs in shares at the same
# time: each share serves the embedded city from a throw-away store of its
# own on a free localhost port, with a planner token for the editing
# tests, and runs its test files in a chromium of its own. The page's pure
# modules are tested in Node first (web/tests/unit*.test.mjs).
# SHARES=3 (the default), 2 or 1 (every file in one share, one test after
# another).
# With GRIDMAP_URL set, tests that server instead and starts nothing (the
# editing tests then need GRIDMAP_TOKEN, a planner token for 520201).
# Logs: web/tests/artifacts/browser-NAME.log and server-NAME.log.
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

# The shares: NAME:FILES, split so they take about as long (per-file times
# from the spec reporter, a serial run: planner 253 s, planner-commit 166,
# head 161, basics 149, coverage 145, edit 130, links 94, the rest 233,
# on a loaded machine). A file that edits the city (edit, planner,
# planner-commit) runs after the share's other files, so those see the
# city unedited (browser.test.mjs keeps that order within a share).
case "${SHARES:-3}" in
1) SHARE_LIST="all:" ;;
2) SHARE_LIST="read:basics,address,links,coords,archive,outage,unitcov,gridbuildings,staff,a11y,head
edit:coverage,edit,planner,planner-commit" ;;
3) SHARE_LIST="a:basics,outage,unitcov,planner
b:links,coords,archive,edit,planner-commit
c:coverage,address,gridbuildings,staff,a11y,head" ;;
*) echo "web-test: SHARES is 1, 2 or 3, not ${SHARES}" >&2; exit 2 ;;
esac
if [ "${SHARES:-3}" != 1 ]; then
  listed=$(printf '%s\n' "$SHARE_LIST" | sed 's/^[^:]*://' | tr ',' '\n' | sort)
  have=$(ls web/tests/*.browser.mjs | sed 's|.*/||; s|[.]browser[.]mjs$||' | sort)
  if [ "$listed" != "$have" ]; then
    echo "web-test: the shares in run.sh must name each web/tests/*.browser.mjs once; they name:" $listed "; the files are:" $have >&2
    exit 2
  fi
fi

rm -f "$ARTIFACTS"/browser-*.log "$ARTIFACTS"/server-*.log
WORK=$(mktemp -d)
cleanup() {
  # Each share writes the ids of its server and its test run to pids.
  for f in "$WORK"/*/pids; do
    [ -f "$f" ] && kill $(cat "$f") 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${BIN:-}" ]; then
  BIN="$WORK/gridmap"
  echo "web-test: building $BIN"
  go build -o "$BIN" ./cmd/gridmap
fi

# One free port per share, all chosen at once so no two are the same.
PORTS=$(printf '%s\n' "$SHARE_LIST" | node -e '
const n = require("fs").readFileSync(0, "utf8").trim().split("\n").length;
const net = require("net");
const servers = Array.from({ length: n }, () => net.createServer().listen(0, "127.0.0.1"));
Promise.all(servers.map((s) => new Promise((r) => s.on("listening", r)))).then(() => {
  console.log(servers.map((s) => s.address().port).join(" "));
  servers.forEach((s) => s.close());
});')

# share NAME FILES PORT serves a fresh store on PORT and runs the test
# FILES (comma-separated; all when empty) against it; the test run's exit
# code goes to $WORK/NAME/rc.
share() {
  name=$1 files=$2 port=$3
  dir="$WORK/$name" url="http://127.0.0.1:$port"
  store="$dir/store" log="$ARTIFACTS/server-$name.log"
  mkdir -p "$dir"
  : >"$log"
  # The first run creates the store from the embedded city. bbolt lets one
  # process hold it, so the server stops while the planner token of the
  # editing tests (scoped to 钟山区) is created, then serves again.
  serve "$name" "$url" "$store" "$log"
  kill "$(cat "$dir/pids")" 2>/dev/null || true
  wait "$(cat "$dir/pids")" 2>/dev/null || true
  token=$("$BIN" tokens create --role planner --scope 520201 --name e2e --store "$store" 2>>"$log")
  serve "$name" "$url" "$store" "$log"
  echo "web-test: [$name] gridmap ready at $url (store $store)${files:+: $files}"
  GRIDMAP_URL="$url" GRIDMAP_TOKEN="$token" BROWSER_FILES="$files" node \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=spec --test-reporter-destination="$ARTIFACTS/browser-$name.log" \
    web/tests/browser.test.mjs &
  echo "$(cat "$dir/pids") $!" >"$dir/pids"
  rc=0
  wait $! || rc=$?
  echo "$rc" >"$dir/rc"
  kill "$(cut -d' ' -f1 "$dir/pids")" 2>/dev/null || true
}

# serve NAME URL STORE LOG starts gridmap on URL's port and waits for
# /readyz; its id goes to $WORK/NAME/pids.
serve() {
  "$BIN" serve --addr "${2#http://}" --store "$3" >>"$4" 2>&1 &
  echo $! >"$WORK/$1/pids"
  i=0
  until curl -fsS "$2/readyz" >/dev/null 2>&1; do
    i=$((i + 1))
    if ! kill -0 "$(cat "$WORK/$1/pids")" 2>/dev/null; then
      echo "web-test: [$1] gridmap exited; its log:" >&2; cat "$4" >&2; return 1
    fi
    if [ "$i" -ge 300 ]; then
      echo "web-test: [$1] $2/readyz not ready after 60 s" >&2; return 1
    fi
    sleep 0.2
  done
}

set -- $PORTS
for s in $SHARE_LIST; do
  share "${s%%:*}" "${s#*:}" "$1" &
  shift
done
wait

# A share whose server never came up has no rc; one whose tests failed a
# non-zero one. Their logs say why.
failed=""
for s in $SHARE_LIST; do
  name=${s%%:*}
  rc=$(cat "$WORK/$name/rc" 2>/dev/null || echo none)
  summary=$(grep -E '^ℹ (tests|pass|fail) ' "$ARTIFACTS/browser-$name.log" 2>/dev/null | tr '\n' ' ' | sed 's/ℹ //g')
  echo "web-test: [$name] exit ${rc}: ${summary:-no test ran} (logs $ARTIFACTS/browser-$name.log, $ARTIFACTS/server-$name.log)"
  [ "$rc" = 0 ] || failed="$failed $name"
done
if [ -n "$failed" ]; then
  for name in $failed; do
    echo "web-test: ---- [$name] failed; its test log:"
    cat "$ARTIFACTS/browser-$name.log" 2>/dev/null || true
  done
  exit 1
fi
