package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

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

// gcjText formats a WGS-84 point's GCJ-02 coordinates as the stream does.
func gcjText(m *address.Match) (string, string) {
	p := crs.FromWGS84(crs.GCJ02, m.Point)
	return strconv.FormatFloat(p[0], 'f', 7, 64), strconv.FormatFloat(p[1], 'f', 7, 64)
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
	r.FieldsPerRecord = 4 + len(GeocodeColumns())
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV answer: %v", err)
	}
	if want := "id,note,address,extra," + strings.Join(GeocodeColumns(), ","); strings.Join(recs[0], ",") != want {
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
		for i, n := range GeocodeColumns() {
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
	case wantGrid != nil && strconv.FormatFloat(got["lon"].(float64), 'f', 7, 64) != lon:
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
	n, err := GeocodeStream(context.Background(), s.Snapshot(), s.view.Load().addresses(),
		strings.NewReader(in.String()), &out, GeocodeOptions{CRS: crs.BD09, ChunkBytes: 4096, Workers: 2})
	if err != nil || n != 500 {
		t.Fatalf("GeocodeStream = %d, %v; want 500 rows", n, err)
	}
	if want := string(r.body) + r.summary + "\n"; out.String() != want {
		t.Errorf("GeocodeStream output differs from the HTTP stream's:\n%.400s\n%.400s", out.Bytes(), want)
	}
}

// TestGeocodeStreamErrors checks GeocodeStream's failures.
func TestGeocodeStreamErrors(t *testing.T) {
	snap := testSnapshot(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		in   string
		o    GeocodeOptions
		want error
	}{
		{"bad format", context.Background(), "address\n", GeocodeOptions{Format: "xml"}, nil},
		{"no address column", context.Background(), "id\n1\n", GeocodeOptions{}, nil},
		{"cancelled", cancelled, "address\n人民中路5号\n", GeocodeOptions{}, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GeocodeStream(tc.ctx, snap, nil, strings.NewReader(tc.in), io.Discard, tc.o)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("GeocodeStream = %v, want an error (%v)", err, tc.want)
			}
		})
	}
}

// geocodeFuzzCodec builds a stream codec over the test city.
func geocodeFuzzCodec(s *Server, f streamFormat, body []byte) (rowCodec, []byte, []byte, error) {
	v := s.view.Load()
	g := &geocoder{v: v, idx: v.addresses(), crs: crs.GCJ02, maxRec: 1 << 20}
	return newGeocodeCodec(bytes.NewReader(body), g, f, "")
}

func FuzzGeocodeCSVStream(f *testing.F) {
	for _, b := range []string{"address\n钟山区人民中路5号\n", "id,\"Address\"\r\n1,\"人民中路,5号\"\r\n\r\n2,\"a\nb\"\n",
		"地址,x\n\"人民中路\"\"5号\",1\n\"unterminated", "x,address,y\n,,\n1,2,3,4\n1", "\xef\xbb\xbfaddr\n\xff\xfe\n"} {
		f.Add([]byte(b))
	}
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec, rest, header, err := geocodeFuzzCodec(s, formatCSV, body)
		if err != nil {
			return
		}
		rest = append([]byte(nil), rest...)
		got := streamThrough(t, s, codec, nil, header, rest)
		want := append(append([]byte(nil), header...), wholeChunk(codec, rest)...)
		if !bytes.Equal(got, want) {
			t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
		}
		if bytes.IndexByte(body, '"') < 0 {
			checkPlainCSV(t, body, got)
		}
	})
}

// checkPlainCSV checks, for an input without quotes, that the header and
// every non-empty line after it have one output line each, all as wide as
// the output header.
func checkPlainCSV(t *testing.T, body, got []byte) {
	t.Helper()
	var in []string
	for _, l := range strings.Split(string(body), "\n") {
		if len(in) == 0 && strings.TrimSpace(l) != "" || len(in) > 0 && strings.TrimSuffix(l, "\r") != "" {
			in = append(in, l)
		}
	}
	out := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(out) != len(in) {
		t.Fatalf("%d output lines for %d input lines of %q", len(out), len(in), body)
	}
	width := strings.Count(out[0], ",")
	for _, l := range out[1:] {
		if strings.Count(l, ",") != width && !strings.Contains(l, `"`) {
			t.Fatalf("output line %q has not the header's %d commas (input %q)", l, width, body)
		}
	}
}

func FuzzGeocodeNDJSONStream(f *testing.F) {
	for _, b := range []string{`{"address":"钟山区人民中路5号","id":1}` + "\n\"人民中路3号\"\n", `{"a":[1,{"b":"\u00e9"}],"address":"\u4eba"}`,
		"[1,2]\n\n{}\n\"\"\n", `{"address":null}`, "{\"address\":\"\xff\"}\n{\"address\":"} {
		f.Add([]byte(b))
	}
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec, _, _, err := geocodeFuzzCodec(s, formatNDJSON, body)
		if err != nil {
			t.Fatal(err)
		}
		got := streamThrough(t, s, codec, nil, nil, body)
		if want := wholeChunk(codec, body); !bytes.Equal(got, want) {
			t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
		}
		lines := 0
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if len(bytes.Trim(sc.Bytes(), " \t\r")) > 0 {
				lines++
			}
		}
		var outLines []string
		if len(got) > 0 {
			outLines = strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
		}
		if len(outLines) != lines {
			t.Fatalf("%d output lines for %d non-blank input lines of %q", len(outLines), lines, body)
		}
		for _, l := range outLines {
			if !json.Valid([]byte(l)) {
				t.Fatalf("output line %q of input %q is not valid JSON", l, body)
			}
		}
	})
}

// BenchmarkGeocodeStream measures the geocode streams, 20,000 messy
// addresses a run, without the network, on GOMAXPROCS workers.
func BenchmarkGeocodeStream(b *testing.B) {
	s := benchServer(b)
	v := s.view.Load()
	cases := messyAddresses(b, 20_000)
	for _, form := range []streamFormat{formatCSV, formatNDJSON} {
		var body bytes.Buffer
		name := "ndjson"
		if form == formatCSV {
			name = "csv"
			body.WriteString("id,address\n")
		}
		for i, c := range cases {
			if form == formatCSV {
				body.WriteString(strconv.Itoa(i) + "," + csvQuote(c.Input) + "\n")
			} else {
				a, _ := json.Marshal(c.Input)
				body.WriteString(`{"id":` + strconv.Itoa(i) + `,"address":` + string(a) + "}\n")
			}
		}
		b.Run(name, func(b *testing.B) {
			g := &geocoder{v: v, idx: v.addresses(), maxRec: s.cfg.MaxRecordBytes}
			b.SetBytes(int64(body.Len()))
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				src := bytes.NewReader(body.Bytes())
				codec, initial, header, err := newGeocodeCodec(src, g, form, "")
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
