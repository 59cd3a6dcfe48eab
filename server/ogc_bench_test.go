package server

import (
	"bytes"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// BenchmarkOGCBuildingsPaging pages through every building of the fixture
// city as GeoJSON in EPSG:4490 (10,000 a page, following next links)
// through Fiber's handler, without the network. Target: at least 200,000
// features/s.
func BenchmarkOGCBuildingsPaging(b *testing.B) {
	s, err := New(Config{}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.warmers = nil // measure the paging, not the tile and address indexes warming beside it
	s.Swap(fixtureSnapshot(b))
	h := s.App().Handler()
	n := len(s.Snapshot().City.Buildings)
	first := []byte("/ogc/collections/buildings/items?limit=10000&crs=http://www.opengis.net/def/crs/EPSG/0/4490")
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(http.MethodGet)
	page := func() int {
		features := 0
		uri := first
		for uri != nil {
			ctx.Request.SetRequestURIBytes(uri)
			ctx.Response.Reset()
			h(&ctx)
			body := ctx.Response.Body()
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("status %d: %.300s", ctx.Response.StatusCode(), body)
			}
			features += bytes.Count(body, []byte(`{"type":"Feature"`))
			uri = nextLink(body)
		}
		return features
	}
	if got := page(); got != n {
		b.Fatalf("paged %d buildings, want %d", got, n)
	}
	b.ReportAllocs()
	total := 0
	cpu0 := processCPU()
	for b.Loop() {
		total += page()
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "features/s")
	// On a shared machine wall time mostly measures the other processes;
	// features per second of this process's CPU time does not.
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds(), "features/cpu-s")
	}
}

// processCPU returns the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// nextLink returns the path and query of a page's next link, nil if none.
func nextLink(body []byte) []byte {
	i := bytes.Index(body, []byte(`"rel":"next"`))
	if i < 0 {
		return nil
	}
	j := bytes.LastIndex(body[:i], []byte(`{"href":"`))
	href := body[j+len(`{"href":"`):]
	href = href[:bytes.IndexByte(href, '"')]
	if k := bytes.Index(href, []byte("/ogc/")); k >= 0 {
		href = href[k:]
	}
	return append([]byte(nil), href...)
}
