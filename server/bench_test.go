package server

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gridmap/gridmap/bulk"
	"github.com/paulmach/orb"
	"github.com/valyala/fasthttp"
)

// benchPoints returns n reproducible points inside the benchmark city.
func benchPoints(s *Server, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(1, 2))
	bs := s.Snapshot().City.Buildings
	ps := make([]orb.Point, n)
	for i := range ps {
		b := bs[rng.IntN(len(bs))]
		ps[i] = orb.Point{b.Point[0] + (rng.Float64()-0.5)*1e-4, b.Point[1] + (rng.Float64()-0.5)*1e-4}
	}
	return ps
}

// BenchmarkLookupHandler measures GET /v1/lookup through Fiber's handler,
// without the network.
func BenchmarkLookupHandler(b *testing.B) {
	s := benchServer(b)
	h := s.App().Handler()
	ps := benchPoints(s, 1024)
	uris := make([][]byte, len(ps))
	for i, p := range ps {
		uris[i] = []byte("/v1/lookup?lon=" + ftoa(p[0]) + "&lat=" + ftoa(p[1]))
	}
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(http.MethodGet)
	ctx.Request.SetRequestURIBytes(uris[0])
	h(&ctx)
	if ctx.Response.StatusCode() != http.StatusOK {
		b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx.Request.SetRequestURIBytes(uris[i&1023])
		ctx.Response.Reset()
		h(&ctx)
		i++
	}
}

// streamBody builds a CSV or NDJSON body of the points.
func streamBody(ps []orb.Point, form string) []byte {
	var buf bytes.Buffer
	if form == "csv" {
		buf.WriteString("id,lon,lat\n")
	}
	for i, p := range ps {
		if form == "csv" {
			fmt.Fprintf(&buf, "%d,%s,%s\n", i, strconv.FormatFloat(p[0], 'f', 6, 64), strconv.FormatFloat(p[1], 'f', 6, 64))
		} else {
			fmt.Fprintf(&buf, `{"id":%d,"lon":%s,"lat":%s}`+"\n", i, strconv.FormatFloat(p[0], 'f', 6, 64), strconv.FormatFloat(p[1], 'f', 6, 64))
		}
	}
	return buf.Bytes()
}

func benchStream(b *testing.B, form string) {
	s := benchServer(b)
	const n = 100_000
	body := streamBody(benchPoints(s, n), form)
	v := s.view.Load()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		src := bytes.NewReader(body)
		f := bulk.NDJSON
		if form == "csv" {
			f = bulk.CSV
		}
		codec, initial, header, err := bulk.LookupCodec(f, src, v.answers, 0, s.cfg.MaxRecordBytes)
		if err != nil {
			b.Fatal(err)
		}
		p := s.newPipeline(src, nil, codec, initial, header, form)
		if _, err := io.Copy(io.Discard, p); err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "points/s")
}

// BenchmarkStreamCSV measures the CSV bulk form, 100,000 points a run,
// without the network.
func BenchmarkStreamCSV(b *testing.B) { benchStream(b, "csv") }

// BenchmarkStreamNDJSON measures the NDJSON bulk form, 100,000 points a
// run, without the network.
func BenchmarkStreamNDJSON(b *testing.B) { benchStream(b, "ndjson") }

// BenchmarkBatchJSON measures a JSON batch of 1,000 points through Fiber.
func BenchmarkBatchJSON(b *testing.B) {
	s := benchServer(b)
	ps := benchPoints(s, 1000)
	body := []byte(`{"points":` + pointsJSON(ps) + `}`)
	h := s.App().Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.Header.SetMethod(http.MethodPost)
		ctx.Request.SetRequestURI("/v1/lookup")
		ctx.Request.Header.SetContentType("application/json")
		ctx.Request.SetBody(body)
		h(&ctx)
		if ctx.Response.StatusCode() != http.StatusOK {
			b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
	b.ReportMetric(float64(len(ps)*b.N)/b.Elapsed().Seconds(), "points/s")
}
