package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// A target is one figure an issue asks for.
type target struct {
	issue int
	what  string
	// bench is "BenchmarkName metric" (median over -count runs), or
	// measure is "scale=N key" from bench/http.sh.
	bench, measure string
	scale          float64 // multiply the raw value (ns -> µs ...)
	unit           string
	limit          float64
	atMost         bool // true: value <= limit passes; false: value >= limit
}

// A ratio compares a benchmark with a baseline run in the same go.
type ratio struct {
	what, bench, baseline string
}

func printReport(w io.Writer, s samples, m map[string]string) {
	fmt.Fprintln(w, "# gridmap benchmark report")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Medians over the -count runs of `make bench` on this machine; HTTP figures from wrk in a second process over loopback.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| issue | figure | target | measured | verdict |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, t := range targets {
		v := valueOf(t, s, m)
		op := ">="
		if t.atMost {
			op = "<="
		}
		verdict := "not measured"
		if !math.IsNaN(v) {
			ok := v >= t.limit
			if t.atMost {
				ok = v <= t.limit
			}
			verdict = map[bool]string{true: "meets", false: "MISSES"}[ok]
		}
		fmt.Fprintf(w, "| #%d | %s | %s %s %s | %s %s | %s |\n", t.issue, t.what, op, fmtNum(t.limit), t.unit, fmtNum(v), t.unit, verdict)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| ratio | measured | baseline | speed-up |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	printRatios(w, s, ratios)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "### wire format: hand-written vs library")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Each hand-written path beside the library it would otherwise be (ns/op, same input, same go); the README's Libraries table says which is kept and why.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| path vs library | hand-written | library | speed-up |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	printRatios(w, s, wireRatios)
}

// printRatios writes one row a ratio: ours, the baseline, baseline/ours.
func printRatios(w io.Writer, s samples, rs []ratio) {
	for _, r := range rs {
		a, b := median(s[r.bench]), median(s[r.baseline])
		fmt.Fprintf(w, "| %s | %s | %s | %.1fx |\n", r.what, fmtNum(a), fmtNum(b), b/a)
	}
}

func valueOf(t target, s samples, m map[string]string) float64 {
	scale := t.scale
	if scale == 0 {
		scale = 1
	}
	if t.bench != "" {
		return median(s[t.bench]) * scale
	}
	raw, ok := m[t.measure]
	if !ok {
		return math.NaN()
	}
	if v, err := strconv.ParseFloat(raw, 64); err == nil {
		return v * scale
	}
	return durationMS(raw) * scale
}

func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case v >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
