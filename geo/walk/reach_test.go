package walk

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// refGraph is the reference: a plain Dijkstra over a map-based queue,
// built from the graph's edge list and sharing no code with the engine.
type refGraph struct {
	adj   map[int][]refArc
	edges []Edge
}

type refArc struct {
	to int
	w  float64
}

func newRefGraph(g *Graph) *refGraph {
	r := &refGraph{adj: make(map[int][]refArc)}
	for e := 0; e < g.NumEdges(); e++ {
		ed := g.Edge(e)
		r.edges = append(r.edges, ed)
		r.adj[ed.From] = append(r.adj[ed.From], refArc{ed.To, ed.LengthMeters})
		r.adj[ed.To] = append(r.adj[ed.To], refArc{ed.From, ed.LengthMeters})
	}
	return r
}

// seeds returns the start distances of a snapped source.
func (r *refGraph) seeds(s Snap) map[int]float64 {
	e := r.edges[s.Edge]
	out := map[int]float64{e.From: s.AccessMeters + s.OffsetMeters}
	if d := s.AccessMeters + (e.LengthMeters - s.OffsetMeters); d < out[e.To] || e.To != e.From {
		if old, ok := out[e.To]; !ok || d < old {
			out[e.To] = d
		}
	}
	return out
}

// dijkstra returns every node's distance within limit.
func (r *refGraph) dijkstra(seeds map[int]float64, limit float64) map[int]float64 {
	done := map[int]float64{}
	queue := map[int]float64{}
	for n, d := range seeds {
		if d <= limit {
			queue[n] = d
		}
	}
	for len(queue) > 0 {
		best, bd := -1, math.Inf(1)
		for n, d := range queue {
			if d < bd || (d == bd && n < best) {
				best, bd = n, d
			}
		}
		delete(queue, best)
		done[best] = bd
		for _, a := range r.adj[best] {
			if _, ok := done[a.to]; ok {
				continue
			}
			nd := bd + a.w
			if old, ok := queue[a.to]; nd <= limit && (!ok || nd < old) {
				queue[a.to] = nd
			}
		}
	}
	return done
}

// target returns the reference distance of a target from one source.
func (r *refGraph) target(dist map[int]float64, src, tgt Snap) float64 {
	e := r.edges[tgt.Edge]
	via := math.Inf(1)
	if d, ok := dist[e.From]; ok {
		via = math.Min(via, d+tgt.OffsetMeters)
	}
	if d, ok := dist[e.To]; ok {
		via = math.Min(via, d+(e.LengthMeters-tgt.OffsetMeters))
	}
	if src.Edge == tgt.Edge {
		via = math.Min(via, src.AccessMeters+math.Abs(src.OffsetMeters-tgt.OffsetMeters))
	}
	return via + tgt.AccessMeters
}

func checkReach(t *testing.T, net *Network, ref *refGraph, src Snap, limit float64) {
	t.Helper()
	got, err := net.Reach([]Source{{Point: src.Foot, Snap: src}}, limit)
	if err != nil {
		t.Fatalf("Reach: %v", err)
	}
	want := ref.dijkstra(ref.seeds(src), limit)
	if len(got.Nodes) != len(want) {
		t.Fatalf("Reach from %+v within %.1f: %d nodes, reference %d", src, limit, len(got.Nodes), len(want))
	}
	for _, nr := range got.Nodes {
		if w, ok := want[int(nr.Node)]; !ok || w != nr.DistanceMeters {
			t.Fatalf("node %d at %v m, reference %v (reached %v)", nr.Node, nr.DistanceMeters, w, ok)
		}
	}
	wantB := map[int]float64{}
	for i := range net.snap.City.Buildings {
		if bs, ok := net.BuildingSnap(i); ok {
			if d := ref.target(want, src, bs); d <= limit {
				wantB[i] = d
			}
		}
	}
	if len(got.Buildings) != len(wantB) {
		t.Fatalf("Reach from %+v within %.1f: %d buildings, reference %d", src, limit, len(got.Buildings), len(wantB))
	}
	hh := 0
	for _, b := range got.Buildings {
		if w, ok := wantB[b.Index]; !ok || w != b.DistanceMeters {
			t.Fatalf("building %d at %v m, reference %v (covered %v)", b.Index, b.DistanceMeters, w, ok)
		}
		hh += b.Building.Households
	}
	if hh != got.Households {
		t.Errorf("Households = %d, buildings sum to %d", got.Households, hh)
	}
}

// randomSources returns n random sources: graph nodes and points near the
// network's nodes.
func randomSources(t *testing.T, net *Network, rng *rand.Rand, n int) []Snap {
	t.Helper()
	g := net.Graph()
	var out []Snap
	for len(out) < n {
		v := rng.IntN(g.NumNodes())
		if rng.IntN(2) == 0 {
			out = append(out, g.NodeSnap(v))
			continue
		}
		p := g.Node(v)
		p[0] += (rng.Float64() - 0.5) * 0.004
		p[1] += (rng.Float64() - 0.5) * 0.004
		if src, err := net.PointSource(p); err == nil {
			out = append(out, src.Snap)
		}
	}
	return out
}

func TestReachMatchesReferenceDijkstra(t *testing.T) {
	tw := newTown(t)
	ref := newRefGraph(tw.g)
	rng := testRand(t)
	for _, src := range randomSources(t, tw.net, rng, 60) {
		checkReach(t, tw.net, ref, src, 50+rng.Float64()*1500)
	}
	for _, st := range tw.city.Stations[:4] {
		_, sn, err := tw.net.Station(st.ID)
		if err != nil {
			t.Fatalf("Station(%d): %v", st.ID, err)
		}
		for _, limit := range Bands() {
			checkReach(t, tw.net, ref, sn, limit)
		}
	}
}

func TestStationsReachIsNearestOfSingleReaches(t *testing.T) {
	tw := newTown(t)
	ref := newRefGraph(tw.g)
	multi, err := tw.net.StationsReach(nil, Band15)
	if err != nil {
		t.Fatalf("StationsReach: %v", err)
	}
	want := map[int]float64{}
	for _, src := range multi.Sources {
		for n, d := range ref.dijkstra(ref.seeds(src.Snap), Band15) {
			if old, ok := want[n]; !ok || d < old {
				want[n] = d
			}
		}
	}
	if len(multi.Nodes) != len(want) {
		t.Fatalf("StationsReach: %d nodes, reference %d", len(multi.Nodes), len(want))
	}
	for _, nr := range multi.Nodes {
		if want[int(nr.Node)] != nr.DistanceMeters {
			t.Errorf("node %d at %v m, reference %v", nr.Node, nr.DistanceMeters, want[int(nr.Node)])
		}
		own := ref.dijkstra(ref.seeds(multi.Sources[nr.Source].Snap), Band15)
		if own[int(nr.Node)] != nr.DistanceMeters {
			t.Errorf("node %d credited to source %d at %v m, which reaches it at %v", nr.Node, nr.Source, nr.DistanceMeters, own[int(nr.Node)])
		}
	}
}

func TestReachErrors(t *testing.T) {
	tw := newTown(t)
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"unknown station", func() error { _, err := tw.net.StationReach(99, Band15); return err }, ErrUnknownStation},
		{"station off the network", func() error { _, err := tw.net.StationReach(5, Band15); return err }, ErrOffNetwork},
		{"limit 0", func() error { _, err := tw.net.StationReach(1, 0); return err }, ErrLimitRange},
		{"limit 5001", func() error { _, err := tw.net.StationReach(1, 5001); return err }, ErrLimitRange},
		{"limit NaN", func() error { _, err := tw.net.StationReach(1, math.NaN()); return err }, ErrLimitRange},
		{"point far away", func() error { _, err := tw.net.PointReach(at(-2000, -2000), Band15); return err }, ErrOffNetwork},
		{"hand-made snap off its edge", func() error {
			_, err := tw.net.Reach([]Source{{Snap: Snap{Edge: 0, OffsetMeters: -1}}}, Band15)
			return err
		}, ErrBadGeometry},
		{"hand-made snap on no edge", func() error { _, err := tw.net.Reach([]Source{{Snap: Snap{Edge: 1 << 30}}}, Band15); return err }, ErrOffNetwork},
		{"stations with one unknown", func() error { _, err := tw.net.StationsReach([]geo.StationID{1, 42}, Band15); return err }, ErrUnknownStation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(); !errors.Is(err, c.want) {
				t.Errorf("error = %v, want %v", err, c.want)
			}
		})
	}
}

func TestMinutesToMeters(t *testing.T) {
	cases := []struct {
		name    string
		minutes float64
		speed   float64
		want    float64
		err     error
	}{
		{"15 minutes is the standard's 1000 m", 15, 0, 1000, nil},
		{"10 minutes is 500 m, not 667", 10, 4, 500, nil},
		{"5 minutes is 300 m", 5, 4, 300, nil},
		{"20 minutes at 4 km/h", 20, 4, 20 * 4000.0 / 60, nil},
		{"12 minutes at 5 km/h", 12, 5, 1000, nil},
		{"60 minutes at 6 km/h is capped", 60, 6, MaxLimitMeters, nil},
		{"0 minutes", 0, 4, 0, ErrLimitRange},
		{"61 minutes", 61, 4, 0, ErrLimitRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := MinutesToMeters(c.minutes, c.speed)
			if !errors.Is(err, c.err) || math.Abs(got-c.want) > 1e-9 {
				t.Errorf("MinutesToMeters(%v, %v) = %v, %v; want %v, %v", c.minutes, c.speed, got, err, c.want, c.err)
			}
		})
	}
}

func TestQueriesAreSafeConcurrently(t *testing.T) {
	tw := newTown(t)
	want, err := tw.net.Coverage(Band10)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	done := make(chan error)
	for w := 0; w < 4; w++ {
		go func() {
			for k := 0; k < 20; k++ {
				r, err := tw.net.PointReach(at(float64(100*k%1000), float64(37*k%1000)), Band15)
				if err == nil {
					_, err = tw.net.Circle(r, Bands()...)
				}
				if err == nil {
					var cov *Coverage
					cov, err = tw.net.Coverage(Band10)
					if err == nil && cov.Total() != want.Total() {
						err = errors.New("coverage differs between goroutines")
					}
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for w := 0; w < 4; w++ {
		if err := <-done; err != nil {
			t.Errorf("concurrent queries: %v", err)
		}
	}
}
