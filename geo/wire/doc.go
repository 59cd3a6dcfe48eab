// Package wire is the project's one wire-format layer: a JSON scanner that
// walks a text without reflection, the JSON string quoter, the GeoJSON
// number rule and position writers, and the line and CSV record splitters
// of the bulk streams. The readers (geo/cityio), the bulk pipeline and the
// HTTP server all use it, so that a rule of the format is written once.
//
// Each hand-written path stands beside a library baseline in its
// benchmarks (bench_test.go): encoding/json's jsontext for the scanner and
// encoding/csv for the CSV splitter. bench/REPORT.md keeps the ratios.
package wire
