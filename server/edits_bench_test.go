package server

import (
	"context"
	"math"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store/bolt"
	"github.com/paulmach/orb"
)

// newBenchEditEnv is newEditEnv over the generated city with an fsyncing
// store, as served. With BENCH_WARM unset the background warmers are off,
// so that the benchmarks time the handlers rather than the rebuilding of
// the previous version's tiles, walking network and address index that
// back-to-back commits would leave running on the same cores.
func newBenchEditEnv(b *testing.B) *editEnv {
	b.Helper()
	return newBenchEditEnvOf(b, fixtureSnapshot(b).City)
}

// newBenchEditEnvOf is newBenchEditEnv serving city.
func newBenchEditEnvOf(b *testing.B, city *geo.City) *editEnv {
	b.Helper()
	dir := b.TempDir()
	st, err := bolt.Open(dir, func() (*geo.City, error) { return city, nil })
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	s, err := New(Config{}, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("BENCH_WARM") == "" {
		s.warmers = nil
	}
	if err := s.Reload(context.Background()); err != nil {
		b.Fatal(err)
	}
	e := &editEnv{tb: b, s: s, st: st, dir: dir, secret: map[string]string{}}
	e.token("admin", access.RoleAdmin)
	return e
}

// BenchmarkCommitHandler previews and commits one grid re-drawn (a shared
// vertex moved 3 m, then back) at city scale through the HTTP routes, the
// store fsyncing each changeset. Target: at most 50 ms.
func BenchmarkCommitHandler(b *testing.B) {
	e := newBenchEditEnv(b)
	g, moved := redraw(b, e.s.Snapshot(), fxCommunity)
	ops := []string{
		opJSON(b, edit.Op{Kind: edit.KindReplace, Grid: g.Code, Geometry: moved, Reason: "bench"}),
		opJSON(b, edit.Op{Kind: edit.KindReplace, Grid: g.Code, Geometry: g.Geometry, Reason: "bench"}),
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := ops[i%2]
		if r := e.request(http.MethodPost, "/v1/edits/preview", "admin", -1, body); r.status != http.StatusOK {
			b.Fatalf("preview = %d %.300s", r.status, r.body)
		}
		if r := e.request(http.MethodPost, "/v1/edits", "admin", e.version(), body); r.status != http.StatusCreated {
			b.Fatalf("commit = %d %.300s", r.status, r.body)
		}
	}
}

// redraw returns a grid of the community and its geometry with an edge
// it shares with a sibling bent: a vertex inserted at the edge's middle
// and moved 3 m across it.
func redraw(b *testing.B, s *geo.Snapshot, comm geo.DivisionCode) (*geo.Grid, orb.MultiPolygon) {
	b.Helper()
	gs := s.GridsOf(comm)
	for _, g := range gs {
		if moved, ok := bendSharedEdge(gs, g, 3e-5); ok {
			return g, moved
		}
	}
	b.Fatalf("community %s has no shared edge to bend", comm)
	return nil, nil
}

// bendSharedEdge returns g's geometry with the first edge of its outer
// ring that it shares with a sibling of gs (and that is at least 3e-4
// degrees long) bent: a vertex inserted at the edge's middle and moved
// off degrees across it. It returns false when g has no such edge.
func bendSharedEdge(gs []*geo.Grid, g *geo.Grid, off float64) (orb.MultiPolygon, bool) {
	ring := g.Geometry[0][0]
	for i := 0; i+1 < len(ring); i++ {
		p, q := ring[i], ring[i+1]
		if math.Hypot(q[0]-p[0], q[1]-p[1]) < 3e-4 || !sharedEdge(gs, g, p, q) {
			continue
		}
		mid := orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
		n := math.Hypot(q[0]-p[0], q[1]-p[1])
		mid[0] += -(q[1] - p[1]) / n * off
		mid[1] += (q[0] - p[0]) / n * off
		r := slices.Concat(ring[:i+1], orb.Ring{mid}, ring[i+1:])
		poly := append(orb.Polygon{r}, g.Geometry[0][1:]...)
		return append(orb.MultiPolygon{poly}, g.Geometry[1:]...), true
	}
	return nil, false
}

// sharedEdge reports whether a sibling of g has the edge p-q (either way).
func sharedEdge(gs []*geo.Grid, g *geo.Grid, p, q orb.Point) bool {
	for _, h := range gs {
		if h == g {
			continue
		}
		for _, poly := range h.Geometry {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					if (r[i] == p && r[i+1] == q) || (r[i] == q && r[i+1] == p) {
						return true
					}
				}
			}
		}
	}
	return false
}

// BenchmarkRecodeHandler re-codes the community with the most grids
// through the HTTP route and commits it (fsynced). Between iterations,
// untimed, a split puts a new grid out of order.
func BenchmarkRecodeHandler(b *testing.B) {
	e := newBenchEditEnv(b)
	snap := e.s.Snapshot()
	var comm geo.DivisionCode
	for _, u := range snap.City.Units {
		if u.Level() == geo.LevelCommunity && len(snap.GridsOf(u.Code)) > len(snap.GridsOf(comm)) {
			comm = u.Code
		}
	}
	url := "/v1/units/" + comm.String() + "/recode"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		g, line := splitTarget(b, e.s.Snapshot(), comm)
		e.commit("admin", e.version(), edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "bench"})
		b.StartTimer()
		if r := e.request(http.MethodPost, url, "admin", e.version(), `{"reason":"bench"}`); r.status != http.StatusCreated {
			b.Fatalf("recode = %d %.300s", r.status, r.body)
		}
	}
}
