#!/usr/bin/env bash
# make bench: Go benchmarks (benchstat format) plus measurements of the real
# binary over real HTTP (start-up, memory, keep-alive load with wrk, the bulk
# stream). Writes out/bench.txt and out/bench-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
BIN=${BIN:-bin/gridmap}
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
: >out/bench.txt
: >out/measure.txt

gobench() { # pkg regexp [benchtime]
	echo "== go test $1 -bench $2" >&2
	go test -run '^$' -bench "$2" -benchmem -count "$COUNT" -benchtime "${3:-$BENCHTIME}" "$1" | tee -a out/bench.txt | grep -E '^(Benchmark|ok|FAIL)' >&2
}

source bench/benchmarks.sh

command -v wrk >/dev/null || { echo "wrk is needed for the HTTP load figures: apt-get install -y wrk" >&2; exit 1; }
for scale in 1 10; do
	bash bench/http.sh "$BIN" "$scale" >>out/measure.txt
done
# Issue 12: 100 grid splits back to back on the real binary per scale
# (COMMIT_SCALES="1 10 50" adds scale 50, which needs about 2 GB and minutes).
for scale in ${COMMIT_SCALES:-1 10}; do
	go run ./bench/commits -bin "$BIN" -scale "$scale" -n 100 >>out/measure.txt
done
# Issue 13: lookup latency beside 2,000 idle connections, resident memory
# with 100 concurrent bulk streams.
go run ./bench/hostile -bin "$BIN" >>out/measure.txt
go run ./bench/report out/bench.txt out/measure.txt >out/bench-report.md
cat out/bench-report.md
