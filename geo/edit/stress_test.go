package edit

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// testSeed returns the seed of a randomized test: SEED from the
// environment, else def. It logs the seed so a failure can be replayed.
func testSeed(t *testing.T, def uint64) uint64 {
	t.Helper()
	seed := def
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with SEED=%d)", seed, seed)
	return seed
}

// TestSplitMergeStress splits a random grid of a community by a random
// line through it and merges the parts back, round after round, checking
// after every edit that the community is still partitioned exactly, with
// vertex-identical shared edges and no sliver seams.
func TestSplitMergeStress(t *testing.T) {
	rounds := 200
	if testing.Short() {
		rounds = 30
	}
	rng := rand.New(rand.NewPCG(testSeed(t, 20240601), 7))
	s := testSnapshot(t)
	comms := communitiesWith(s, 4)
	area0 := map[geo.DivisionCode]float64{}
	for _, c := range comms {
		area0[c] = communityArea(s, c)
	}
	hist := NewCodeHistory(s.City, s.Created)
	splits := 0
	for round := range rounds {
		comm := comms[rng.IntN(len(comms))]
		gs := s.GridsOf(comm)
		g := gs[rng.IntN(len(gs))]
		line := randomLine(g, rng)
		res, err := Apply(s, Op{Kind: KindSplit, Grid: g.Code, Line: line}, Options{History: hist})
		if err != nil {
			t.Fatalf("round %d: split %s: %v", round, g.Code, err)
		}
		if !res.Valid {
			if onlyProblems(res, CodeNoCut, CodeEmptyGrid) {
				continue // a line grazing a corner or cutting off a crumb
			}
			t.Fatalf("round %d: split %s by %v: %v", round, g.Code, line, res.Errors)
		}
		splits++
		s = commit(t, s, res, hist)
		parts := changedIn(res, comm)
		res, err = Apply(s, Op{Kind: KindMerge, Grids: parts}, Options{History: hist})
		if err != nil || !res.Valid {
			t.Fatalf("round %d: merge %v back: %v %v", round, parts, err, res.Errors)
		}
		s = commit(t, s, res, hist)
		if a := communityArea(s, comm); abs(a-area0[comm]) > 1 {
			t.Fatalf("round %d: the grids of %s cover %.3f m², want %.3f m²", round, comm, a, area0[comm])
		}
		if round%50 == 49 {
			validateCity(t, s.City)
		}
	}
	if splits < rounds/2 {
		t.Errorf("only %d of %d rounds split", splits, rounds)
	}
	validateCity(t, s.City)
}

// communitiesWith returns the communities with at least n grids.
func communitiesWith(s *geo.Snapshot, n int) []geo.DivisionCode {
	var out []geo.DivisionCode
	for _, u := range s.City.Units {
		if u.Level() == geo.LevelCommunity && len(s.GridsOf(u.Code)) >= n {
			out = append(out, u.Code)
		}
	}
	return out
}

// commit builds the next snapshot, checks the community and records the
// codes.
func commit(t *testing.T, s *geo.Snapshot, res *Result, hist *CodeHistory) *geo.Snapshot {
	t.Helper()
	next, err := geo.NewSnapshot(res.Next, s.Version+1)
	if err != nil {
		t.Fatalf("NewSnapshot = %v", err)
	}
	hist.Record(res.Changes, next.Created)
	checkCommunity(t, next, res.Community)
	if t.Failed() {
		t.FailNow()
	}
	return next
}

// changedIn returns the codes of the added and reshaped grids of comm.
func changedIn(res *Result, comm geo.DivisionCode) []geo.GridCode {
	var out []geo.GridCode
	for _, c := range res.Changes {
		if c.After != nil && c.Kind != ChangeStitched && c.After.Community() == comm {
			out = append(out, c.After.Code)
		}
	}
	return out
}

// randomLine returns a line through a random interior point of g at a
// random angle, with a random bend, reaching beyond g.
func randomLine(g *geo.Grid, rng *rand.Rand) orb.LineString {
	b := g.Bound
	var c orb.Point
	for range 100 {
		c = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if mpContains(g.Geometry, c) {
			break
		}
	}
	r := 2 * max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	ang := rng.Float64() * 2 * 3.141592653589793
	bend := (rng.Float64() - 0.5) * 0.6
	d := func(a float64) orb.Point { return orb.Point{cos(a) * r, sin(a) * r} }
	p, q := d(ang), d(ang+bend)
	return orb.LineString{{c[0] - p[0], c[1] - p[1]}, c, {c[0] + q[0], c[1] + q[1]}}
}

// onlyProblems reports whether every error of res has one of the codes.
func onlyProblems(res *Result, codes ...ProblemCode) bool {
	for _, p := range res.Errors {
		ok := false
		for _, c := range codes {
			ok = ok || p.Code == c
		}
		if !ok {
			return false
		}
	}
	return true
}

// communityArea sums the areas of the community's grids in m².
func communityArea(s *geo.Snapshot, comm geo.DivisionCode) float64 {
	sum := 0.0
	for _, g := range s.GridsOf(comm) {
		sum += areaM2(g.Geometry, 26.6)
	}
	return sum
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
