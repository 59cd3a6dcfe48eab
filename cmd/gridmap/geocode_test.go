package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/messy"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
)

// messyFile writes n messy addresses of the fixture city (seed 1, scale 1)
// to a CSV file with an id column and a note holding a comma, and returns
// the path, the cases and the city's address index.
func messyFile(t *testing.T, n int) (string, []messy.Case, *address.Index) {
	t.Helper()
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	cases := messy.Generate(city, n, 7)
	var b strings.Builder
	b.WriteString("id,note,address\n")
	for i, c := range cases {
		b.WriteString(strconv.Itoa(i) + `,"a, b","` + strings.ReplaceAll(c.Input, `"`, `""`) + "\"\n")
	}
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, cases, address.NewCityIndex(city)
}

// TestGeocodeCommandCSV round-trips a CSV file: one output row per input
// row, in order, the input columns kept, and each answer the index's.
func TestGeocodeCommandCSV(t *testing.T) {
	in, cases, idx := messyFile(t, 600)
	out := filepath.Join(filepath.Dir(in), "out.csv")
	if _, err := run(t, context.Background(), "geocode", "--in", in, "--out", out, "--workers", "2"); err != nil {
		t.Fatalf("gridmap geocode: %v", err)
	}
	body, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", out, err)
	}
	if want := "id,note,address," + strings.Join(bulk.GeocodeColumns(), ","); strings.Join(recs[0], ",") != want {
		t.Errorf("header = %q, want %q", strings.Join(recs[0], ","), want)
	}
	if len(recs) != len(cases)+2 {
		t.Fatalf("got %d rows, want %d and the summary", len(recs)-1, len(cases))
	}
	if last := recs[len(recs)-1]; !strings.HasPrefix(last[len(last)-1], "#summary rows_in=600 rows_out=600 ") {
		t.Errorf("last row = %q, want the stream's summary", last)
	}
	recs = recs[:len(recs)-1]
	rightGrid := 0
	for i, rec := range recs[1:] {
		c := cases[i]
		if rec[0] != strconv.Itoa(i) || rec[1] != "a, b" || rec[2] != c.Input {
			t.Fatalf("row %d = %q, want id %d and its fields kept", i, rec[:3], i)
		}
		res, err := idx.Geocode(c.Input)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if res.Best.Building != nil {
			want = strconv.FormatUint(uint64(res.Best.Building.ID), 10)
		}
		if rec[3] != want {
			t.Errorf("row %d %q: building %q, want %q", i, c.Input, rec[3], want)
		}
		if rec[4] == c.Grid.String() {
			rightGrid++
		}
	}
	if rightGrid < len(cases)*95/100 {
		t.Errorf("%d of %d rows in the labelled grid, want at least 95%%", rightGrid, len(cases))
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".out.csv.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestGeocodeCommandNDJSON geocodes an NDJSON file, its format told by the
// extension, to stdout in GCJ-02.
func TestGeocodeCommandNDJSON(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.jsonl")
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	bs := []*geo.Building{city.Buildings[10], city.Buildings[500], city.Buildings[2000]}
	var b strings.Builder
	for i, bl := range bs {
		line, _ := json.Marshal(map[string]any{"n": i, "address": bl.Address.String()})
		b.Write(line)
		b.WriteString("\n")
	}
	b.WriteString("{\"n\":3}\n")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, err := run(t, context.Background(), "geocode", "--in", in, "--out", "-", "--crs", "gcj02")
	if err != nil {
		t.Fatalf("gridmap geocode: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want 4 and the summary:\n%s", len(lines), stdout)
	}
	if want := `{"summary":{"rows_in":4,"rows_out":4,"rows_error":1}}`; lines[4] != want {
		t.Errorf("last line = %s, want %s", lines[4], want)
	}
	lines = lines[:4]
	for i, l := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d %q: %v", i, l, err)
		}
		if got["n"] != float64(i) {
			t.Errorf("line %d has n %v, want %d", i, got["n"], i)
		}
		if i < 3 && (got["building"] != float64(bs[i].ID) || got["grid"] != bs[i].Grid.String()) {
			t.Errorf("line %d = %s, want building %d in grid %s", i, l, bs[i].ID, bs[i].Grid)
		}
		if i == 3 && got["error"] == nil {
			t.Errorf("line 3 = %s, want an error", l)
		}
	}
}

// TestGeocodeCommandErrors checks the command's refusals.
func TestGeocodeCommandErrors(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "in.txt")
	noCol := filepath.Join(dir, "nocol.csv")
	for path, body := range map[string]string{txt: "address\nx\n", noCol: "id,name\n1,x\n"} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "out.csv")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no --in", []string{"--out", out}, "in"},
		{"unknown extension", []string{"--in", txt, "--out", filepath.Join(dir, "out.txt")}, "--format"},
		{"bad format", []string{"--in", txt, "--out", out, "--format", "xml"}, "xml"},
		{"missing file", []string{"--in", filepath.Join(dir, "none.csv"), "--out", out}, "no such file"},
		{"no address column", []string{"--in", noCol, "--out", out}, "address column"},
		{"bad crs", []string{"--in", noCol, "--out", out, "--crs", "mars"}, "crs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, context.Background(), append([]string{"geocode"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("gridmap geocode %v = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s (stat: %v)", out, err)
	}
}

// TestGeocodeProgress checks that the progress bar draws when shown and
// stays silent otherwise.
func TestGeocodeProgress(t *testing.T) {
	for _, show := range []bool{true, false} {
		var buf bytes.Buffer
		bar := newProgress(&buf, 1000, show)
		_, _ = bar.Write(make([]byte, 1000))
		_ = bar.Finish()
		if got := buf.Len() > 0; got != show {
			t.Errorf("newProgress(show %v) wrote %q", show, buf.String())
		}
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("isTerminal(buffer) = true")
	}
}
