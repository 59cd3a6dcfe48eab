package bulk

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/crs"
)

var (
	idxOnce sync.Once
	cityIdx *address.Index
)

// testCity returns the answers of the reference city (fixtures.Reference)
// and its address index, built once per test binary.
func testCity(tb testing.TB) (*Answers, *address.Index) {
	tb.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		tb.Fatalf("generating the reference city: %v", err)
	}
	idxOnce.Do(func() { cityIdx = address.NewIndex(snap) })
	return NewAnswers(nil, snap), cityIdx
}

// streamThrough runs body through a pipeline that cuts the input into
// 16-byte chunks, so that fuzz inputs cross many chunk boundaries, and
// returns the output without its summary line.
func streamThrough(t *testing.T, codec Codec, header, body []byte) []byte {
	t.Helper()
	p := Start(Options{Workers: 2, ChunkBytes: 16, MaxRecordBytes: 1 << 20, MaxRows: 1 << 20}, bytes.NewReader(body), codec, nil, header)
	out, err := io.ReadAll(p)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("streaming %q: %v", body, err)
	}
	out = bytes.TrimSuffix(out, []byte("\n"))
	i := bytes.LastIndexByte(out, '\n') + 1
	if !bytes.Contains(out[i:], []byte("summary")) {
		t.Fatalf("streaming %q: no summary line at the end", body)
	}
	return out[:i]
}

// chunkedAsWhole checks that a CSV stream's rest (the input past the
// header) cut into tiny chunks gives what it gives as one chunk, and
// returns the output.
func chunkedAsWhole(t *testing.T, codec Codec, header, rest, body []byte) []byte {
	t.Helper()
	rest = append([]byte(nil), rest...)
	got := streamThrough(t, codec, header, rest)
	want := append(append([]byte(nil), header...), wholeChunk(codec, rest)...)
	if !bytes.Equal(got, want) {
		t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
	}
	return got
}

// nonBlankLines counts the lines of body that hold more than spaces and
// tabs, a line ending at LF, CRLF or a bare CR, as the streams read them.
func nonBlankLines(body []byte) int {
	n := 0
	for _, l := range bytes.FieldsFunc(body, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if len(bytes.Trim(l, " \t")) > 0 {
			n++
		}
	}
	return n
}

// wholeChunk processes all of in as one chunk.
func wholeChunk(codec Codec, in []byte) []byte {
	c := getChunk(len(in))
	c.in = append(c.in, in...)
	codec.process(c)
	return c.out
}

func FuzzCSVStream(f *testing.F) {
	for _, b := range []string{"lon,lat\n104.805,26.595\n", "id,\"lat\",lon\r\n1,26.5,104.8\r\n\r\n2,\"a\nb\",x\n",
		"lon,lat\n\"104.8\"\"\",1\n\"unterminated", "x,lon,lat,y\n,,,\n1,2,3,4,5\n1"} {
		f.Add([]byte(b))
	}
	a, _ := testCity(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec, rest, header, err := LookupCodec(CSV, bytes.NewReader(body), a, crs.GCJ02, 1<<20)
		if err != nil {
			return
		}
		chunkedAsWhole(t, codec, header, rest, body)
	})
}

func FuzzNDJSONStream(f *testing.F) {
	for _, b := range []string{`{"lon":104.805,"lat":26.595}` + "\n[104.8,26.5]\n", `{"a":[1,{"b":"\u00e9"}],"lon":1,"lat":2}`,
		"[1,2,3]\n\n{}\n\"x\"\n", `{"lon":1e999,"lat":-0}`, "[[[[[[[[[[[[[[1]]]]]]]]]]]]]]\n{\"lon\":"} {
		f.Add([]byte(b))
	}
	a, _ := testCity(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec, _, _, _ := LookupCodec(NDJSON, nil, a, crs.WGS84, 1<<20)
		got := streamThrough(t, codec, nil, body)
		if want := wholeChunk(codec, body); !bytes.Equal(got, want) {
			t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
		}
		outLines := bytes.Split(bytes.TrimSuffix(got, []byte("\n")), []byte("\n"))
		if len(got) == 0 {
			outLines = nil
		}
		if lines := nonBlankLines(body); len(outLines) != lines {
			t.Fatalf("%d output lines for %d non-blank input lines of %q", len(outLines), lines, body)
		}
		for _, l := range outLines {
			if !json.Valid(l) {
				t.Fatalf("output line %q of input %q is not valid JSON", l, body)
			}
		}
	})
}

func FuzzGeocodeCSVStream(f *testing.F) {
	for _, b := range []string{"address\n钟山区人民中路5号\n", "id,\"Address\"\r\n1,\"人民中路,5号\"\r\n\r\n2,\"a\nb\"\n",
		"地址,x\n\"人民中路\"\"5号\",1\n\"unterminated", "x,address,y\n,,\n1,2,3,4\n1", "\xef\xbb\xbfaddr\n\xff\xfe\n"} {
		f.Add([]byte(b))
	}
	a, idx := testCity(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec, rest, header, err := GeocodeCodec(CSV, bytes.NewReader(body), a, idx, crs.GCJ02, "", 1<<20)
		if err != nil {
			return
		}
		got := chunkedAsWhole(t, codec, header, rest, body)
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
	a, idx := testCity(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec, _, _, err := GeocodeCodec(NDJSON, bytes.NewReader(body), a, idx, crs.GCJ02, "", 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		got := streamThrough(t, codec, nil, body)
		if want := wholeChunk(codec, body); !bytes.Equal(got, want) {
			t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
		}
		lines := nonBlankLines(body)
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
