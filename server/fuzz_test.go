package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/valyala/fasthttp"
)

func FuzzParseLookupQuery(f *testing.F) {
	for _, q := range []string{"lon=104.8&lat=26.5", "lon=1e400&lat=0", "lon=NaN&lat=1&crs=gcj02",
		"lat=-90&lon=-180&crs=BD-09", "lon=0x1p-2&lat=1_0", "lon=%00&lat=", "crs=%ff"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		var args fasthttp.Args
		args.Parse(q)
		p, c, err := parseLookupArgs(&args)
		if err != nil {
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("parseLookupArgs(%q) error %T %v, want *FieldError", q, err, err)
			}
			return
		}
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 || !c.Valid() {
			t.Fatalf("parseLookupArgs(%q) = %v %v, accepted a bad point", q, p, c)
		}
	})
}

func FuzzParseBatch(f *testing.F) {
	for _, b := range []string{`{"points":[[104.8,26.5]]}`, `{"crs":"gcj02","points":[[1,2],[3,4]]}`,
		`{"points":[[1,2,3]]}`, `{"p\u006fints":[]}`, `{"points":[[-0.0e-0,1E+2]]} `, `[`, `{"points":[[[[[[`} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseBatch(body, 20)
		if err != nil {
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("parseBatch(%q) error %T %v, want *FieldError", body, err, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("parseBatch accepted invalid JSON %q", body)
		}
		if len(req.points) == 0 || len(req.points) > 20 || !req.crs.Valid() {
			t.Fatalf("parseBatch(%q) = %d points, crs %v", body, len(req.points), req.crs)
		}
		for _, p := range req.points {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
				t.Fatalf("parseBatch(%q) accepted %v", body, p)
			}
		}
	})
}

// streamThrough runs body through a pipeline with tiny chunks and returns
// the output.
func streamThrough(t *testing.T, s *Server, codec rowCodec, initial, header []byte, body []byte) []byte {
	t.Helper()
	p := s.newPipeline(bytes.NewReader(body), nil, codec, initial, header, "fuzz")
	out, err := io.ReadAll(p)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("streaming %q: %v", body, err)
	}
	out, summary := splitSummary(out)
	if summary == "" {
		t.Fatalf("streaming %q: no summary line at the end", body)
	}
	return out
}

// wholeChunk processes all of in as one chunk.
func wholeChunk(codec rowCodec, in []byte) []byte {
	c := getChunk(len(in))
	c.in = append(c.in, in...)
	codec.process(c)
	return c.out
}

// fuzzServer returns a server whose streams cut the input into 16-byte
// chunks, so that fuzz inputs cross many chunk boundaries.
func fuzzServer(tb testing.TB) *Server {
	s := newTestServer(tb, func(c *Config) { c.MaxStreamPoints = 1 << 20; c.MaxRecordBytes = 1 << 20 })
	s.cfg.StreamChunkBytes = 16
	return s
}

func FuzzCSVStream(f *testing.F) {
	for _, b := range []string{"lon,lat\n104.805,26.595\n", "id,\"lat\",lon\r\n1,26.5,104.8\r\n\r\n2,\"a\nb\",x\n",
		"lon,lat\n\"104.8\"\"\",1\n\"unterminated", "x,lon,lat,y\n,,,\n1,2,3,4,5\n1"} {
		f.Add([]byte(b))
	}
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		v := s.view.Load()
		codec, rest, err := s.readCSVHeader(bytes.NewReader(body), v, crs.GCJ02)
		if err != nil {
			return
		}
		rest = append([]byte(nil), rest...)
		got := streamThrough(t, s, codec, nil, codec.outHeader, rest)
		want := append(append([]byte(nil), codec.outHeader...), wholeChunk(codec, rest)...)
		if !bytes.Equal(got, want) {
			t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
		}
	})
}

func FuzzNDJSONStream(f *testing.F) {
	for _, b := range []string{`{"lon":104.805,"lat":26.595}` + "\n[104.8,26.5]\n", `{"a":[1,{"b":"\u00e9"}],"lon":1,"lat":2}`,
		"[1,2,3]\n\n{}\n\"x\"\n", `{"lon":1e999,"lat":-0}`, "[[[[[[[[[[[[[[1]]]]]]]]]]]]]]\n{\"lon\":"} {
		f.Add([]byte(b))
	}
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		codec := &ndjsonCodec{v: s.view.Load(), crs: crs.WGS84, maxRec: 1 << 20}
		got := streamThrough(t, s, codec, nil, nil, body)
		if want := wholeChunk(codec, body); !bytes.Equal(got, want) {
			t.Fatalf("chunked output differs from whole output for %q:\n got %q\nwant %q", body, got, want)
		}
		lines, blank := 0, 0
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if len(bytes.Trim(sc.Bytes(), " \t\r")) == 0 {
				blank++
			}
			lines++
		}
		outLines := bytes.Split(bytes.TrimSuffix(got, []byte("\n")), []byte("\n"))
		if len(got) == 0 {
			outLines = nil
		}
		if len(outLines) != lines-blank {
			t.Fatalf("%d output lines for %d non-blank input lines of %q", len(outLines), lines-blank, body)
		}
		for _, l := range outLines {
			if !json.Valid(l) {
				t.Fatalf("output line %q of input %q is not valid JSON", l, body)
			}
		}
	})
}
