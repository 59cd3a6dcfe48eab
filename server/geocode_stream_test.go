package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/crs"
)

// streamCase is one input row of a stream test and the answer it must get.
type streamCase struct {
	addr string
	bad  bool // the row is refused with an error
	best *address.Match
}

// streamCases returns n rows of messy fixture addresses, every 97th one
// empty or binary, answered by the index directly.
func streamCases(t *testing.T, x *address.Index, n int) []streamCase {
	t.Helper()
	ms := messyAddresses(t, n)
	out := make([]streamCase, n)
	for i, m := range ms {
		c := streamCase{addr: m.Input}
		switch {
		case i%97 == 13:
			c.addr, c.bad = "", true
		case i%97 == 50:
			c.addr, c.bad = "钟山区\x01人民路", true
		}
		if !c.bad {
			res, err := x.Geocode(c.addr)
			if err != nil {
				t.Fatalf("Geocode(%q): %v", c.addr, err)
			}
			c.best = res.Best
		}
		out[i] = c
	}
	return out
}

// csvQuote quotes a CSV field.
func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// postStream posts body to the server at base and returns the response
// body.
func postStream(t *testing.T, base, target, contentType string, body []byte) []byte {
	t.Helper()
	resp, err := http.Post(base+target, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", target, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: reading: %v", target, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s = %d %s", target, resp.StatusCode, out)
	}
	out, _ = splitSummary(out)
	return out
}

// gcjText formats a WGS-84 point's GCJ-02 coordinates as the stream does:
// rounded to 1e-7 degrees, in the shortest decimal that reads back.
func gcjText(m *address.Match) (string, string) {
	p := crs.FromWGS84(crs.GCJ02, m.Point)
	f := func(x float64) string { return strconv.FormatFloat(math.Round(x*1e7)/1e7, 'f', -1, 64) }
	return f(p[0]), f(p[1])
}

// streamServer serves the fixture city with small stream chunks, so that a
// few thousand rows cross many chunk boundaries.
func streamServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{StreamChunkBytes: 8192}, fixtureSnapshot(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGeocodeStreamCSV streams a few thousand rows over a real listener and
// checks that every row comes back once, in order, with its columns kept
// and the index's answer appended.
func TestGeocodeStreamCSV(t *testing.T) {
	s := streamServer(t)
	base, _, _, _ := startServer(t, s)
	cases := streamCases(t, s.view.Load().addresses(), 3000)
	var in strings.Builder
	in.WriteString("id,note,address,extra\r\n")
	for i, c := range cases {
		in.WriteString(strconv.Itoa(i) + `,"note, ""quoted""` + "\n" + `line",` + csvQuote(c.addr) + ",x\r\n")
		if i == 7 {
			in.WriteString("\n1000000,too,many,fields,here\n")
		}
	}
	out := postStream(t, base, "/v1/geocode?crs=gcj02", "text/csv", []byte(in.String()))
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = 4 + len(bulk.GeocodeColumns())
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV answer: %v", err)
	}
	if want := "id,note,address,extra," + strings.Join(bulk.GeocodeColumns(), ","); strings.Join(recs[0], ",") != want {
		t.Errorf("header = %q, want %q", strings.Join(recs[0], ","), want)
	}
	recs = recs[1:]
	if len(recs) != len(cases)+1 {
		t.Fatalf("got %d rows, want %d", len(recs), len(cases)+1)
	}
	if got := recs[8]; got[0] != "1000000" || got[len(got)-1] != "the row has 5 fields, the header 4" {
		t.Errorf("wide row = %q, want it cut to 4 fields with an error", got)
	}
	recs = append(recs[:8:8], recs[9:]...)
	for i, rec := range recs {
		c := cases[i]
		if rec[0] != strconv.Itoa(i) || rec[1] != "note, \"quoted\"\nline" || rec[2] != c.addr || rec[3] != "x" {
			t.Fatalf("row %d echoes %q, want id %d and its fields", i, rec[:4], i)
		}
		if msg := checkCSVAnswer(rec[4:], c); msg != "" {
			t.Errorf("row %d (%q): %s", i, c.addr, msg)
		}
	}
}

// checkCSVAnswer compares the answer columns of a row with the index's
// answer and says what differs.
func checkCSVAnswer(got []string, c streamCase) string {
	col := func(name string) string {
		for i, n := range bulk.GeocodeColumns() {
			if n == name {
				return got[i]
			}
		}
		return "?"
	}
	if c.bad {
		if col("error") == "" || col("grid") != "" || col("building") != "" {
			return "want an error and no answer, got " + strings.Join(got, "|")
		}
		return ""
	}
	m := c.best
	wantBuilding, wantStd := "", ""
	if m.Building != nil {
		wantBuilding = strconv.FormatUint(uint64(m.Building.ID), 10)
		wantStd = address.StandardAddress(m.Building)
	}
	wantGrid := ""
	if m.Grid != 0 {
		wantGrid = m.Grid.String()
	}
	lon, lat := gcjText(m)
	switch {
	case col("building") != wantBuilding || col("grid") != wantGrid:
		return "building " + col("building") + " grid " + col("grid") + ", want " + wantBuilding + " " + wantGrid
	case wantGrid != "" && (col("lon") != lon || col("lat") != lat):
		return "point " + col("lon") + "," + col("lat") + ", want " + lon + "," + lat
	case wantGrid != "" && !strings.HasPrefix(col("grid"), col("community")):
		return "community " + col("community") + " is not the grid's"
	case col("confidence") != strconv.FormatFloat(m.Confidence, 'f', -1, 64):
		return "confidence " + col("confidence")
	case col("standard_address") != wantStd || col("reason") != m.Reason || col("error") != "":
		return "address, reason or error differ: " + strings.Join(got, "|")
	}
	return ""
}

// TestGeocodeStreamNDJSON streams objects, bare strings and bad lines over
// a real listener and checks order, kept members and answers.
func TestGeocodeStreamNDJSON(t *testing.T) {
	s := streamServer(t)
	base, _, _, _ := startServer(t, s)
	cases := streamCases(t, s.view.Load().addresses(), 2000)
	var in bytes.Buffer
	for i, c := range cases {
		a, _ := json.Marshal(c.addr)
		if i%5 == 4 {
			in.Write(a)
		} else {
			in.WriteString(`{"id":` + strconv.Itoa(i) + `,"tags":[1,{"x":null}],"address":` + string(a) + `}`)
		}
		in.WriteString("\n")
	}
	in.WriteString("not json\n\n{\"id\":-1}\n{\"address\":12}\n")
	out := postStream(t, base, "/v1/geocode?crs=gcj02", "application/x-ndjson", in.Bytes())
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(cases)+3 {
		t.Fatalf("got %d lines, want %d", len(lines), len(cases)+3)
	}
	for i, c := range cases {
		var got map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d %q: %v", i, lines[i], err)
		}
		if got["address"] != c.addr || (i%5 != 4 && (got["id"] != float64(i) || got["tags"] == nil)) {
			t.Fatalf("line %d = %s, want id %d and address %q kept", i, lines[i], i, c.addr)
		}
		if msg := checkNDJSONAnswer(got, c); msg != "" {
			t.Errorf("line %d (%q): %s", i, c.addr, msg)
		}
	}
	tail := lines[len(cases):]
	for i, want := range []string{`{"error":`, `{"id":-1,"building":null,`, `{"address":12,"building":null,`} {
		if !strings.HasPrefix(tail[i], want) || !strings.Contains(tail[i], `"error":`) {
			t.Errorf("bad line %d = %s, want prefix %s and an error", i, tail[i], want)
		}
	}
}

// checkNDJSONAnswer compares a decoded output line with the index's answer.
func checkNDJSONAnswer(got map[string]any, c streamCase) string {
	if c.bad {
		if got["error"] == nil || got["grid"] != nil || got["building"] != nil {
			return "want an error and null answer"
		}
		return ""
	}
	m := c.best
	var wantBuilding, wantStd, wantGrid any
	if m.Building != nil {
		wantBuilding, wantStd = float64(m.Building.ID), address.StandardAddress(m.Building)
	}
	if m.Grid != 0 {
		wantGrid = m.Grid.String()
	}
	lon, _ := gcjText(m)
	switch {
	case got["building"] != wantBuilding || got["grid"] != wantGrid || got["standard_address"] != wantStd:
		return "building, grid or address differ"
	case wantGrid != nil && strconv.FormatFloat(got["lon"].(float64), 'f', -1, 64) != lon:
		return "lon differs"
	case got["confidence"] != m.Confidence || got["reason"] != m.Reason || got["error"] != nil:
		return "confidence, reason or error differ"
	}
	return ""
}

// TestGeocodeStreamColumn names the address column with ?column= and
// checks blank lines are skipped.
func TestGeocodeStreamColumn(t *testing.T) {
	s := newTestServer(t)
	in := "\r\n编号,地点,address\n1,钟山区人民中路5号,ignored\n\n2,\"钟山区钟山大道4号\",x\n"
	r := do(t, s, http.MethodPost, "/v1/geocode?column="+url.QueryEscape("地点"), "text/csv", in)
	if r.status != http.StatusOK {
		t.Fatalf("status = %d (%s)", r.status, r.body)
	}
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"1", "3"}, {"2", "5"}}
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3: %q", len(recs), r.body)
	}
	for i, w := range want {
		if recs[i+1][0] != w[0] || recs[i+1][3] != w[1] {
			t.Errorf("row %d = %q, want id %s building %s", i, recs[i+1], w[0], w[1])
		}
	}
}

// TestGeocodeStreamMatchesHTTP checks that GeocodeStream, the offline
// form, writes the same bytes as the HTTP stream.
func TestGeocodeStreamMatchesHTTP(t *testing.T) {
	s := streamServer(t)
	var in strings.Builder
	in.WriteString("address,id\n")
	for i, c := range messyAddresses(t, 500) {
		in.WriteString(csvQuote(c.Input) + "," + strconv.Itoa(i) + "\n")
	}
	r := do(t, s, http.MethodPost, "/v1/geocode?crs=bd09", "text/csv", in.String())
	var out bytes.Buffer
	n, err := bulk.GeocodeStream(context.Background(), s.Snapshot(), s.view.Load().addresses(),
		strings.NewReader(in.String()), &out, bulk.GeocodeOptions{CRS: crs.BD09, ChunkBytes: 4096, Workers: 2})
	if err != nil || n != 500 {
		t.Fatalf("GeocodeStream = %d, %v; want 500 rows", n, err)
	}
	if want := string(r.body) + r.summary + "\n"; out.String() != want {
		t.Errorf("GeocodeStream output differs from the HTTP stream's:\n%.400s\n%.400s", out.Bytes(), want)
	}
}

// BenchmarkGeocodeStream measures the geocode streams, 20,000 messy
// addresses a run, without the network, on GOMAXPROCS workers.
func BenchmarkGeocodeStream(b *testing.B) {
	s := benchServer(b)
	v := s.view.Load()
	cases := messyAddresses(b, 20_000)
	for _, form := range []bulk.Format{bulk.CSV, bulk.NDJSON} {
		var body bytes.Buffer
		name := "ndjson"
		if form == bulk.CSV {
			name = "csv"
			body.WriteString("id,address\n")
		}
		for i, c := range cases {
			if form == bulk.CSV {
				body.WriteString(strconv.Itoa(i) + "," + csvQuote(c.Input) + "\n")
			} else {
				a, _ := json.Marshal(c.Input)
				body.WriteString(`{"id":` + strconv.Itoa(i) + `,"address":` + string(a) + "}\n")
			}
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(body.Len()))
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				src := bytes.NewReader(body.Bytes())
				codec, initial, header, err := bulk.GeocodeCodec(form, src, v.answers, v.addresses(), 0, "", s.cfg.MaxRecordBytes)
				if err != nil {
					b.Fatal(err)
				}
				p := s.newPipeline(src, nil, codec, initial, header, "bench")
				if _, err := io.Copy(io.Discard, p); err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
			b.ReportMetric(float64(len(cases)*b.N)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
