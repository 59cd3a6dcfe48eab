package main

// targets lists every speed figure the issues ask for, beside the benchmark
// or measurement that answers it.
var targets = []target{
	// Issue 2: the embedded city and point-in-grid.
	{issue: 2, what: "single lookup in process, median", bench: "BenchmarkLocateCity median-ns", scale: 1e-3, unit: "µs", limit: 1, atMost: true},
	{issue: 2, what: "batch lookup, one core", bench: "BenchmarkLocateBatchCity points/s", unit: "points/s", limit: 1e6},
	{issue: 2, what: "HTTP GET /v1/lookup, keep-alive, 8 connections (scale 1)", measure: "scale=1 http_rps", unit: "req/s", limit: 100000},
	{issue: 2, what: "HTTP GET /v1/lookup p99 (8 connections, scale 1)", measure: "scale=1 http_p99", unit: "ms", limit: 2, atMost: true},
	{issue: 2, what: "HTTP GET /v1/lookup, 64 connections (scale 1)", measure: "scale=1 http_rps_c64", unit: "req/s", limit: 100000},
	{issue: 2, what: "HTTP GET /v1/lookup p99, 64 connections (scale 1)", measure: "scale=1 http_p99_c64", unit: "ms", limit: 2, atMost: true},
	{issue: 2, what: "a million points through the bulk stream (scale 1)", measure: "scale=1 stream_ms", scale: 1e-3, unit: "s", limit: 1, atMost: true},
	{issue: 2, what: "first start-up to ready, store created (scale 1)", measure: "scale=1 startup_ms", scale: 1e-3, unit: "s", limit: 2, atMost: true},
	{issue: 2, what: "restart to ready on an existing store (scale 1)", measure: "scale=1 restart_ms", scale: 1e-3, unit: "s", limit: 2, atMost: true},
	{issue: 2, what: "resident memory, restarted, all indexes warm, idle (scale 1)", measure: "scale=1 rss_restart_warm_mb", unit: "MB", limit: 300, atMost: true},
	{issue: 2, what: "resident memory after lookup load and a 1M stream (scale 1)", measure: "scale=1 rss_after_load_mb", unit: "MB", limit: 300, atMost: true},
	{issue: 2, what: "HTTP GET /v1/lookup, keep-alive, 8 connections (scale 10)", measure: "scale=10 http_rps", unit: "req/s", limit: 100000},
	{issue: 2, what: "HTTP GET /v1/lookup p99 (8 connections, scale 10)", measure: "scale=10 http_p99", unit: "ms", limit: 2, atMost: true},
	{issue: 2, what: "HTTP GET /v1/lookup, 64 connections (scale 10)", measure: "scale=10 http_rps_c64", unit: "req/s", limit: 100000},
	{issue: 2, what: "HTTP GET /v1/lookup p99, 64 connections (scale 10)", measure: "scale=10 http_p99_c64", unit: "ms", limit: 2, atMost: true},
	{issue: 2, what: "a million points through the bulk stream (scale 10)", measure: "scale=10 stream_ms", scale: 1e-3, unit: "s", limit: 1, atMost: true},
	{issue: 2, what: "first start-up to ready, store created (scale 10)", measure: "scale=10 startup_ms", scale: 1e-3, unit: "s", limit: 2, atMost: true},
	{issue: 2, what: "restart to ready on an existing store (scale 10)", measure: "scale=10 restart_ms", scale: 1e-3, unit: "s", limit: 2, atMost: true},
	{issue: 2, what: "resident memory, restarted, all indexes warm, idle (scale 10)", measure: "scale=10 rss_restart_warm_mb", unit: "MB", limit: 300, atMost: true},
	{issue: 2, what: "resident memory after lookup load and a 1M stream (scale 10)", measure: "scale=10 rss_after_load_mb", unit: "MB", limit: 300, atMost: true},

	// Issue 3: vector tiles.
	{issue: 3, what: "uncached tile render z10-z16 over 钟山区, median", bench: "BenchmarkRenderZ14 median-ms", unit: "ms", limit: 1, atMost: true},
	{issue: 3, what: "uncached tile render z10-z16 over 钟山区, worst", bench: "BenchmarkRenderZ14 max-ms", unit: "ms", limit: 20, atMost: true},
	{issue: 3, what: "every tile of the city z8-z16", bench: "BenchmarkRenderCityAll ns/op", scale: 1e-9, unit: "s", limit: 60, atMost: true},
	{issue: 3, what: "uncached tiles over HTTP", measure: "scale=1 tiles_uncached_rps", unit: "tiles/s", limit: 3000},
	{issue: 3, what: "cached tiles over HTTP", measure: "scale=1 tiles_cached_rps", unit: "tiles/s", limit: 20000},

	// Issue 4: 15-minute service circles.
	{issue: 4, what: "one station's 15-min reach + buildings, median (scale 1)", bench: "BenchmarkStationReach15/scale=1 median-ms", unit: "ms", limit: 0.2, atMost: true},
	{issue: 4, what: "its display polygon, median (scale 1)", bench: "BenchmarkStationCircle15/scale=1 median-ms", unit: "ms", limit: 2, atMost: true},
	{issue: 4, what: "whole-city coverage, 251 stations (scale 1)", bench: "BenchmarkCoverage15/scale=1 ns/op", scale: 1e-9, unit: "s", limit: 0.2, atMost: true},
	{issue: 4, what: "what-if circle, median (scale 1)", bench: "BenchmarkWhatIfCircle15/scale=1 median-ms", unit: "ms", limit: 2, atMost: true},
	{issue: 4, what: "suggest 5 sites (scale 1)", bench: "BenchmarkSuggest5/scale=1 ns/op", scale: 1e-9, unit: "s", limit: 2, atMost: true},
	{issue: 4, what: "one station's 15-min reach + buildings, median (scale 10)", bench: "BenchmarkStationReach15/scale=10 median-ms", unit: "ms", limit: 0.2, atMost: true},
	{issue: 4, what: "its display polygon, median (scale 10)", bench: "BenchmarkStationCircle15/scale=10 median-ms", unit: "ms", limit: 2, atMost: true},
	{issue: 4, what: "whole-city coverage (scale 10)", bench: "BenchmarkCoverage15/scale=10 ns/op", scale: 1e-9, unit: "s", limit: 0.2, atMost: true},
	{issue: 4, what: "what-if circle, median (scale 10)", bench: "BenchmarkWhatIfCircle15/scale=10 median-ms", unit: "ms", limit: 2, atMost: true},
	{issue: 4, what: "suggest 5 sites (scale 10)", bench: "BenchmarkSuggest5/scale=10 ns/op", scale: 1e-9, unit: "s", limit: 2, atMost: true},

	// Issue 5: address-to-grid.
	{issue: 5, what: "addresses per second, one core, batch", bench: "BenchmarkGeocode addr/s", unit: "addr/s", limit: 20000},
	{issue: 5, what: "p99 per address in process", bench: "BenchmarkGeocode p99-µs", scale: 1e-3, unit: "ms", limit: 1, atMost: true},
	{issue: 5, what: "index memory for the city", bench: "BenchmarkNewIndex index-MiB", unit: "MiB", limit: 100, atMost: true},

	// Issue 6: planners' edits.
	{issue: 6, what: "validate + preview + commit one grid re-draw over HTTP (store fsyncs)", bench: "BenchmarkCommitHandler ns/op", scale: 1e-6, unit: "ms", limit: 50, atMost: true},
	{issue: 6, what: "re-code a community over HTTP", bench: "BenchmarkRecodeHandler ns/op", scale: 1e-6, unit: "ms", limit: 100, atMost: true},
	{issue: 6, what: "store open + load after 10,199 changesets", bench: "BenchmarkOpenAfter10kChangesets ns/op", scale: 1e-9, unit: "s", limit: 2, atMost: true},
	{issue: 10, what: "noisy city from a Shapefile in EPSG:4544 + GCJ-02 CSV, imported and repaired (scale 1)", bench: "BenchmarkImportNoisyShapefile/scale=1 ns/op", scale: 1e-9, unit: "s", limit: 3, atMost: true},
	{issue: 10, what: "noisy city from a Shapefile in EPSG:4544 + GCJ-02 CSV, imported and repaired (scale 10)", bench: "BenchmarkImportNoisyShapefile/scale=10 ns/op", scale: 1e-9, unit: "s", limit: 30, atMost: true},
	{issue: 10, what: "import peak resident memory (scale 10, VmHWM of the benchmark process)", bench: "BenchmarkImportNoisyShapefile/scale=10 peak-rss-MB", unit: "MB", limit: 1000, atMost: true},
	{issue: 10, what: "topology repair of the noisy city (2,176 grids, 224 community boundaries), in process", bench: "BenchmarkRepairNoisyCity ns/op", scale: 1e-9, unit: "s", limit: 3, atMost: true},
	{issue: 10, what: "repair vs mapshaper -clean on the same noisy city (GeoJSON in and out, wall; mapshaper's time over ours)", bench: "BenchmarkRepairVsMapshaper/speedup x", unit: "x", limit: 1},

	// Issue 11: tile archives and the change feed.
	{issue: 11, what: "whole city z8-z16 exported to PMTiles (renderer built, tiles rendered, archive written)", bench: "BenchmarkExportCityPMTiles ns/op", scale: 1e-9, unit: "s", limit: 10, atMost: true},
	{issue: 11, what: "change feed: commit sent -> its event received over SSE, median", bench: "BenchmarkFeedLatency event_ms", unit: "ms", limit: 50, atMost: true},
	// Issue 12: edits at scale (bench/commits, 100 grid splits back to back).
	{issue: 12, what: "commit of one grid split over HTTP, median (scale 1)", measure: "scale=1 commit_median_ms", unit: "ms", limit: 30, atMost: true},
	{issue: 12, what: "commit, worst of 100 back to back (scale 1)", measure: "scale=1 commit_max_ms", unit: "ms", limit: 100, atMost: true},
	{issue: 12, what: "every derived view serving the new version after the commit's answer, worst (scale 1)", measure: "scale=1 fresh_max_ms", unit: "ms", limit: 200, atMost: true},
	{issue: 12, what: "resident memory after 100 commits over warm (scale 1)", measure: "scale=1 commit_rss_growth_pct", unit: "%", limit: 10, atMost: true},
	{issue: 12, what: "lookup p99 while commits stream over quiet p99 (scale 1)", measure: "scale=1 lookup_p99_ratio", unit: "x", limit: 1.5, atMost: true},
	{issue: 12, what: "commit of one grid split over HTTP, median (scale 10)", measure: "scale=10 commit_median_ms", unit: "ms", limit: 30, atMost: true},
	{issue: 12, what: "commit, worst of 100 back to back (scale 10)", measure: "scale=10 commit_max_ms", unit: "ms", limit: 100, atMost: true},
	{issue: 12, what: "every derived view serving the new version after the commit's answer, worst (scale 10)", measure: "scale=10 fresh_max_ms", unit: "ms", limit: 200, atMost: true},
	{issue: 12, what: "resident memory after 100 commits over warm (scale 10)", measure: "scale=10 commit_rss_growth_pct", unit: "%", limit: 10, atMost: true},
	{issue: 12, what: "lookup p99 while commits stream over quiet p99 (scale 10)", measure: "scale=10 lookup_p99_ratio", unit: "x", limit: 1.5, atMost: true},
	{issue: 12, what: "commit of one grid split over HTTP, median (scale 50)", measure: "scale=50 commit_median_ms", unit: "ms", limit: 30, atMost: true},
	{issue: 12, what: "commit, worst of 100 back to back (scale 50)", measure: "scale=50 commit_max_ms", unit: "ms", limit: 100, atMost: true},
	{issue: 12, what: "every derived view serving the new version after the commit's answer, worst (scale 50)", measure: "scale=50 fresh_max_ms", unit: "ms", limit: 200, atMost: true},
	{issue: 12, what: "resident memory after 100 commits over warm (scale 50)", measure: "scale=50 commit_rss_growth_pct", unit: "%", limit: 10, atMost: true},
	{issue: 12, what: "lookup p99 while commits stream over quiet p99 (scale 50)", measure: "scale=50 lookup_p99_ratio", unit: "x", limit: 1.5, atMost: true},
	{issue: 12, what: "warm resident memory (scale 10)", measure: "scale=10 commit_rss_warm_mb", unit: "MB", limit: 350, atMost: true},
	{issue: 12, what: "warm resident memory (scale 50)", measure: "scale=50 commit_rss_warm_mb", unit: "MB", limit: 1500, atMost: true},
	{issue: 12, what: "restart to ready on an existing store (scale 10)", measure: "scale=10 commit_restart_ms", scale: 1e-3, unit: "s", limit: 1, atMost: true},
	{issue: 12, what: "restart to ready on an existing store (scale 50)", measure: "scale=50 commit_restart_ms", scale: 1e-3, unit: "s", limit: 5, atMost: true},
}

// ratios compares our hot paths with baselines run in the same go.
var ratios = []ratio{
	{what: "single lookup vs rtree + orb MultiPolygonContains (fixture city)", bench: "BenchmarkLocateCity median-ns", baseline: "BenchmarkLocateBaselineOrbCity median-ns"},
}

// wireRatios put each hand-written wire-format path beside its library
// baseline (issue 9).
var wireRatios = []ratio{
	{what: "GeoJSON, every token read (buildings layer): geo/wire scanner vs jsontext (encoding/json/v2)", bench: "BenchmarkScanGeoJSON/wire ns/op", baseline: "BenchmarkScanGeoJSON/jsontext ns/op"},
	{what: "CSV, 100,000 rows into fields: geo/wire splitter and lexer vs encoding/csv", bench: "BenchmarkCSVRecords/wire ns/op", baseline: "BenchmarkCSVRecords/encoding-csv ns/op"},
	{what: "NDJSON, 100,000 lines cut: geo/wire Lines vs bufio.Scanner", bench: "BenchmarkNDJSONLines/wire ns/op", baseline: "BenchmarkNDJSONLines/bufio ns/op"},
	{what: "one z14 tile of 钟山区: tiles renderer and encoder vs orb encoding/mvt (clone, project, clip, simplify, marshal)", bench: "BenchmarkRenderTile ns/op", baseline: "BenchmarkRenderTileOrbBaseline ns/op"},
}
