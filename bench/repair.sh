#!/usr/bin/env bash
# bench/repair.sh: the topology repair beside mapshaper's -clean on the
# same file: the embedded city's 2,176 grids roughened by fixtures/rough,
# written as GeoJSON; each tool reads it, cleans it and writes GeoJSON,
# timed wall-clock COUNT times. Prints benchstat lines (for out/bench.txt
# and bench/report): BenchmarkRepairVsMapshaper/gridmap and /mapshaper in
# ns/op, and /speedup (mapshaper's median over gridmap's) in x.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-5}
MAPSHAPER=${MAPSHAPER:-node_modules/.bin/mapshaper}
[ -x "$MAPSHAPER" ] || { echo "mapshaper is not installed: run npm ci (package.json pins it)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
go build -o "$TMP/roughcity" ./bench/roughcity
"$TMP/roughcity" -write "$TMP/grids.geojson"

now() { date +%s%N; }
gm=() ms=()
for _ in $(seq "$COUNT"); do
	t0=$(now)
	"$TMP/roughcity" -repair "$TMP/grids.geojson" -o "$TMP/gridmap.geojson" >&2
	t1=$(now)
	"$MAPSHAPER" -quiet -i "$TMP/grids.geojson" -clean -o "$TMP/mapshaper.geojson" force
	t2=$(now)
	gm+=($((t1 - t0))) ms+=($((t2 - t1)))
	echo "BenchmarkRepairVsMapshaper/gridmap 1 $((t1 - t0)) ns/op"
	echo "BenchmarkRepairVsMapshaper/mapshaper 1 $((t2 - t1)) ns/op"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "BenchmarkRepairVsMapshaper/speedup 1 $(awk -v a="$(median "${ms[@]}")" -v b="$(median "${gm[@]}")" 'BEGIN {printf "%.2f", a/b}') x"
