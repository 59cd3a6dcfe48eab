package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/bulk"
)

// strictCSV parses out with encoding/csv in its strict RFC 4180 mode and
// checks every record has width fields.
func strictCSV(t *testing.T, out []byte, width int) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = width
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the output is not valid CSV of %d columns: %v\n%.600s", width, err, out)
	}
	return recs
}

// wantSummary checks a stream's summary line against the counts.
func wantSummary(t *testing.T, got string, in, out, errs int) {
	t.Helper()
	want := fmt.Sprintf("rows_in=%d rows_out=%d rows_error=%d", in, out, errs)
	if strings.HasPrefix(got, "{") {
		want = fmt.Sprintf(`{"summary":{"rows_in":%d,"rows_out":%d,"rows_error":%d}}`, in, out, errs)
	}
	if !strings.Contains(got, want) {
		t.Errorf("summary = %q, want %q", got, want)
	}
}

// TestStreamCSVStrayQuote is the 5" screen fault: a quote inside an
// unquoted field is an ordinary character, every row after it is looked
// up, and the row is echoed as valid CSV.
func TestStreamCSVStrayQuote(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxStreamPoints = 10_000 })
	var in strings.Builder
	in.WriteString("note,lon,lat\n")
	const rows = 1000
	for i := range rows {
		note := fmt.Sprintf("row %d", i)
		if i == 5 {
			note = `5" screen`
		}
		fmt.Fprintf(&in, "%s,104.805,26.595\n", note)
	}
	r := do(t, s, http.MethodPost, "/v1/lookup", "text/csv", in.String())
	recs := strictCSV(t, r.body, 8)
	if len(recs) != 1+rows {
		t.Fatalf("%d records, want the header and %d rows", len(recs), rows)
	}
	for i, rec := range recs[1:] {
		if rec[3] != "520201001001001" || rec[7] != "" {
			t.Fatalf("row %d = %q, want grid 520201001001001 and no error", i, rec)
		}
	}
	if recs[6][0] != `5" screen` {
		t.Errorf("row 5's note = %q, want 5\" screen", recs[6][0])
	}
	wantSummary(t, r.summary, rows, rows, 0)
}

func TestStreamCSVUnterminatedQuote(t *testing.T) {
	s := newTestServer(t)
	in := "note,lon,lat\n\"open,104.805,26.595\n" + strings.Repeat("ok,104.805,26.595\n", 10)
	r := do(t, s, http.MethodPost, "/v1/lookup", "text/csv", in)
	recs := strictCSV(t, r.body, 8)
	if len(recs) != 12 {
		t.Fatalf("%d records, want the header, the bad row and 10 rows:\n%s", len(recs), r.body)
	}
	if recs[1][7] != "unterminated quoted field" {
		t.Errorf("bad row = %q, want the unterminated-quote error", recs[1])
	}
	for i, rec := range recs[2:] {
		if rec[3] != "520201001001001" {
			t.Errorf("row %d after the bad one = %q, want it looked up", i, rec)
		}
	}
	wantSummary(t, r.summary, 11, 11, 1)
}

func TestStreamLineEnds(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, ct, in string
		rows         int
	}{
		{"csv bare CR", "text/csv", "lon,lat\r104.805,26.595\r104.805,26.595\r104.805,26.595", 3},
		{"csv CRLF", "text/csv", "lon,lat\r\n104.805,26.595\r\n104.805,26.595\r\n", 2},
		{"csv quoted bare CR", "text/csv", "a,lon,lat\r\"x\",104.805,26.595\r\"y\",104.805,26.595\r", 2},
		{"ndjson bare CR", "application/x-ndjson", "[104.805,26.595]\r[104.805,26.595]\r[104.805,26.595]", 3},
		{"ndjson BOM", "application/x-ndjson", "\xef\xbb\xbf[104.805,26.595]\n[104.805,26.595]\n", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/v1/lookup", tc.ct, tc.in)
			lines := strings.Split(strings.TrimSuffix(string(r.body), "\n"), "\n")
			if tc.ct == "text/csv" {
				lines = lines[1:]
			}
			if len(lines) != tc.rows {
				t.Fatalf("%d rows, want %d:\n%s", len(lines), tc.rows, r.body)
			}
			for _, l := range lines {
				if !strings.Contains(l, "520201001001001") {
					t.Errorf("row %q, want it looked up", l)
				}
			}
			wantSummary(t, r.summary, tc.rows, tc.rows, 0)
		})
	}
}

// TestStreamOverlongRecordGoesOn: a record longer than the record limit
// with no line end in reach is one error row, and the stream goes on.
func TestStreamOverlongRecordGoesOn(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range []struct{ ct, in string }{
		{"text/csv", "lon,lat\n104.805,26.595\n" + strings.Repeat("9", 20_000) + ",1\n104.805,26.595\n"},
		{"text/csv", "a,lon,lat\n\"" + strings.Repeat("x", 20_000) + "\n,104.805,26.595\n"},
		{"application/x-ndjson", "[104.805,26.595]\n[" + strings.Repeat("1", 20_000) + "]\n[104.805,26.595]\n"},
	} {
		r := do(t, s, http.MethodPost, "/v1/lookup", tc.ct, tc.in)
		if n := bytes.Count(r.body, []byte("520201001001001")); n < 1 {
			t.Errorf("%s: no row looked up:\n%.300s", tc.ct, r.body)
		}
		if !strings.Contains(r.summary, "rows_error=1") && !strings.Contains(r.summary, `"rows_error":1`) {
			t.Errorf("%s: summary %q, want one row in error:\n%.300s", tc.ct, r.summary, r.body)
		}
		if !bytes.HasSuffix(bytes.TrimSpace(r.body), []byte("520201000000,")) && !bytes.HasSuffix(bytes.TrimSpace(r.body), []byte(`"520201000000"}`)) &&
			!strings.Contains(tc.in, `"x`) {
			t.Errorf("%s: the row after the long record was not looked up:\n%.300s", tc.ct, r.body)
		}
	}
}

// TestGeocodeStreamStrayQuote: the geocode stream shares the parser.
func TestGeocodeStreamStrayQuote(t *testing.T) {
	s := newTestServer(t)
	in := "id,address\n1,人民中路5号\n2,钟山区\"人民中路3号\n3,人民中路5号\n"
	r := do(t, s, http.MethodPost, "/v1/geocode", "text/csv", in)
	recs := strictCSV(t, r.body, 2+len(bulk.GeocodeColumns()))
	if len(recs) != 4 {
		t.Fatalf("%d records, want the header and 3 rows:\n%s", len(recs), r.body)
	}
	if recs[2][1] != `钟山区"人民中路3号` || recs[3][0] != "3" {
		t.Errorf("rows = %q, want the quote kept as text and row 3 answered", recs[1:])
	}
	wantSummary(t, r.summary, 3, 3, 0)
}

func TestStreamNDJSONSummary(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodPost, "/v1/lookup", "application/x-ndjson", "[104.805,26.595]\nnot json\n{\"lon\":0,\"lat\":0}\n")
	var v struct {
		Summary struct{ RowsIn, RowsOut, RowsError int }
	}
	if err := json.Unmarshal([]byte(r.summary), &v); err != nil {
		t.Fatalf("summary %q: %v", r.summary, err)
	}
	wantSummary(t, r.summary, 3, 3, 2)
}
