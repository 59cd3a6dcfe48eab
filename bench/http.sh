#!/usr/bin/env bash
# bench/http.sh BIN SCALE: starts the real server on a free loopback port,
# measures start-up to ready and resident memory, loads GET /v1/lookup with
# wrk (keep-alive, a second process), streams a million points through the
# bulk form, and prints one "measure" line of key=value pairs.
set -euo pipefail
BIN=$1 SCALE=$2
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
TMP=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT

t0=$(date +%s%N)
"$BIN" serve --addr 127.0.0.1:$PORT --scale "$SCALE" --store "$TMP/store" >"$TMP/server.log" 2>&1 &
PID=$!
until curl -sf "$URL/readyz" >/dev/null; do
	kill -0 $PID 2>/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
	sleep 0.01
done
t1=$(date +%s%N)
startup_ms=$(( (t1 - t0) / 1000000 ))
rss_kb=$(awk '/VmRSS/{print $2}' /proc/$PID/status)

# Wait for the background warmers: each of these blocks until its index
# (walking network and coverage, address index, search, tiles) is built.
curl -sf "$URL/v1/coverage?level=district" -o /dev/null
curl -sf "$URL/v1/geocode?address=%E4%BA%BA%E6%B0%91%E8%B7%AF" -o /dev/null
curl -sf "$URL/v1/search?q=520201" -o /dev/null
curl -sf "$URL/tiles/13/6577/3460.mvt" -o /dev/null || true
rss_warm_kb=$(awk '/VmRSS/{print $2}' /proc/$PID/status)
curl -sf "$URL/v1/export/buildings.geojson" -o "$TMP/buildings.geojson"
go run ./bench/points -in "$TMP/buildings.geojson" -n 1000000 -csv "$TMP/points.csv" -lua "$TMP/points.lua" -luan 10000

cat >"$TMP/lookup.lua" <<LUA
dofile("$TMP/points.lua")
local i = 0
request = function()
  i = i % #pts + 1
  return wrk.format("GET", "/v1/lookup?lon=" .. pts[i][1] .. "&lat=" .. pts[i][2])
end
LUA
wrk -t1 -c32 -d3s -s "$TMP/lookup.lua" "$URL" >/dev/null 2>&1 || true   # warm-up
wrk -t1 -c64 -d10s --latency -s "$TMP/lookup.lua" "$URL" >"$TMP/wrk64.txt"
rps64=$(awk '/Requests\/sec/{print $2}' "$TMP/wrk64.txt")
p99_64=$(awk '$1=="99%"{print $2}' "$TMP/wrk64.txt")
wrk -t1 -c8 -d10s --latency -s "$TMP/lookup.lua" "$URL" >"$TMP/wrk.txt"
rps=$(awk '/Requests\/sec/{print $2}' "$TMP/wrk.txt")
p50=$(awk '$1=="50%"{print $2}' "$TMP/wrk.txt")
p99=$(awk '$1=="99%"{print $2}' "$TMP/wrk.txt")
non2xx=$(awk '/Non-2xx/{print $NF}' "$TMP/wrk.txt"); non2xx=${non2xx:-0}
rss_load_kb=$(awk '/VmRSS/{print $2}' /proc/$PID/status)

s0=$(date +%s%N)
curl -sf -H 'Content-Type: text/csv' --data-binary @"$TMP/points.csv" "$URL/v1/lookup" -o "$TMP/out.csv"
s1=$(date +%s%N)
stream_ms=$(( (s1 - s0) / 1000000 ))
rows=$(( $(wc -l <"$TMP/out.csv") - 1 ))

# Tiles (issue 3), scale 1 only: cached on this server, uncached on a second
# one started with the tile cache off.
tiles=""
if [ "$SCALE" = 1 ] && [ -f server/testdata/tiles.lua ]; then
	wrk -t1 -c32 -d3s -s server/testdata/tiles.lua "$URL" >/dev/null 2>&1 || true
	cached=$(wrk -t1 -c32 -d10s -s server/testdata/tiles.lua "$URL" | awk '/Requests\/sec/{print $2}')
	"$BIN" serve --addr 127.0.0.1:$((PORT+1)) --tile-cache-mb 0 --store "$TMP/store2" >"$TMP/server2.log" 2>&1 &
	PID2=$!
	until curl -sf "http://127.0.0.1:$((PORT+1))/readyz" >/dev/null; do
		kill -0 $PID2 2>/dev/null || { cat "$TMP/server2.log" >&2; exit 1; }
		sleep 0.01
	done
	curl -sf "http://127.0.0.1:$((PORT+1))/tiles/14/13155/6920.mvt" -o /dev/null || true  # renderer warm
	uncached=$(wrk -t1 -c32 -d10s -s server/testdata/tiles.lua "http://127.0.0.1:$((PORT+1))" | awk '/Requests\/sec/{print $2}')
	kill $PID2; wait $PID2 2>/dev/null || true
	tiles="tiles_cached_rps=$cached tiles_uncached_rps=$uncached"
fi

# Restart on the store the first run created (the usual start).
kill $PID; wait $PID 2>/dev/null || true
r0=$(date +%s%N)
"$BIN" serve --addr 127.0.0.1:$PORT --scale "$SCALE" --store "$TMP/store" >"$TMP/server3.log" 2>&1 &
PID=$!
until curl -sf "$URL/readyz" >/dev/null; do
	kill -0 $PID 2>/dev/null || { cat "$TMP/server3.log" >&2; exit 1; }
	sleep 0.01
done
r1=$(date +%s%N)
restart_ms=$(( (r1 - r0) / 1000000 ))
sleep 5
rss_restart_kb=$(awk '/VmRSS/{print $2}' /proc/$PID/status)

echo "measure scale=$SCALE restart_ms=$restart_ms rss_restart_warm_mb=$((rss_restart_kb/1024)) startup_ms=$startup_ms rss_mb=$((rss_kb/1024)) rss_warm_mb=$((rss_warm_kb/1024)) rss_after_load_mb=$((rss_load_kb/1024)) http_rps=$rps http_p50=$p50 http_p99=$p99 http_non2xx=$non2xx http_rps_c64=$rps64 http_p99_c64=$p99_64 stream_rows=$rows stream_ms=$stream_ms $tiles"
