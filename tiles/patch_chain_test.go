package tiles

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"weak"

	"github.com/gridmap/gridmap/geo"
)

// TestPatchedThroughUnbuiltVersions makes a chain of versions, each
// renderer made from the previous one's without building its zooms (as
// during a burst of commits, each version's Prepare cancelled by the
// next), but zoom 14 of one version in the middle. It checks that every
// zoom of the last renderer is patched in one step from the nearest
// version that built it, and holds exactly what a whole build holds; that
// its tiles over the edits are a whole build's; that Changes knows
// nothing of those zooms; and that every renderer
// before the last two is collectable: no renderer holds a chain of
// earlier ones.
func TestPatchedThroughUnbuiltVersions(t *testing.T) {
	const steps, mid = 10, 4
	rnd := rand.New(rand.NewPCG(7, 12))
	opts := Options{Tolerance: 24}
	first, err := NewRenderer(citySnapshot(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	firstID := first.levels.id
	var midID *levelsID
	weaks := []weak.Pointer[Renderer]{weak.Make(first)}
	prev, before := first, (*Renderer)(nil)
	first = nil
	var touched []*geo.Grid
	var last []geo.GridID
	for step := 0; step < steps; step++ {
		s := prev.Snapshot()
		res := randomTileEdit(t, rnd, s, last)
		if res == nil {
			continue
		}
		next, err := geo.NewSnapshot(res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		last = last[:0]
		for _, c := range res.Changes {
			last = append(last, c.ID)
			if g, ok := next.GridByID(c.ID); ok {
				touched = append(touched, g)
			}
		}
		r, err := NewRendererFrom(next, opts, prev)
		if err != nil {
			t.Fatal(err)
		}
		if step == mid {
			r.level(14)
			midID = r.levels.id
		}
		weaks = append(weaks, weak.Make(r))
		prev, before = r, prev
	}
	if midID == nil {
		t.Fatal("the middle version's edit was refused")
	}
	for z, b := range prev.levels.from {
		want := firstID
		if z == 14 {
			want = midID
		}
		if b == nil || b.anc.id != want {
			t.Fatalf("zoom %d of the last renderer is not patched from the nearest version that built it", z)
		}
	}
	// The zooms are patched from older versions than the one Changes
	// compares with: it knows nothing of them, and builds none for that.
	k := Key{Z: 12, X: 3238, Y: 1733}
	if c := prev.Changes(); c == nil || c.Unchanged(k) {
		t.Fatalf("Changes %v says tile %s, patched from an older version, is unchanged", c, k)
	}
	if prev.levels.slots[12].lv.Load() != nil {
		t.Fatal("Changes built a zoom patched from an older version than the one it compares with")
	}
	full, err := NewRendererLabels(prev.Snapshot(), opts, before.Labels())
	if err != nil {
		t.Fatal(err)
	}
	before = nil
	for z := uint32(0); z <= prev.opts.MaxDataZoom; z++ {
		if !sameLevel(prev.level(z), full.level(z), prev.levels.src.topo, full.levels.src.topo) {
			t.Fatalf("level %d patched through unbuilt versions differs from one built whole", z)
		}
	}
	var live []geo.GridID
	for _, g := range touched {
		if _, ok := prev.Snapshot().GridByID(g.ID); ok {
			live = append(live, g.ID)
		}
	}
	var grids []*geo.Grid
	for _, id := range live {
		g, _ := prev.Snapshot().GridByID(id)
		grids = append(grids, g)
	}
	compareTiles(t, prev, full, tileKeysOver(prev.Snapshot(), grids))
	runtime.GC()
	runtime.GC()
	if weaks[len(weaks)-1].Value() != prev {
		t.Fatal("the weak pointer to the newest renderer lost it")
	}
	for i, w := range weaks[:len(weaks)-2] {
		if w.Value() != nil {
			t.Errorf("renderer %d of %d is still reachable from the newest", i, len(weaks))
		}
	}
	runtime.KeepAlive(prev)
}

// TestComposeMatch checks that the match of three versions' topologies
// composed through the middle one pairs only arcs with the same points,
// misses none of the twins the direct match finds but those it cannot
// see (an arc gone in the middle version and back after), and matches the
// features as the direct match does; and that nextTopology's matches
// compose to the same twins.
func TestComposeMatch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 3))
	first, _ := newTestRendererFrom(t, citySnapshot(t), nil)
	rs := []*Renderer{first}
	var steps []*arcMatch
	for len(rs) < 3 {
		s := rs[len(rs)-1].Snapshot()
		res := randomTileEdit(t, rnd, s, nil)
		if res == nil {
			continue
		}
		next, err := geo.NewSnapshot(res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		r, step := newTestRendererFrom(t, next, rs[len(rs)-1])
		rs, steps = append(rs, r), append(steps, step)
	}
	t0, t1, t2 := rs[0].levels.src.topo, rs[1].levels.src.topo, rs[2].levels.src.topo
	want := matchTopologies(t0, t2)
	for name, m := range map[string]*arcMatch{
		"general":      composeMatch(matchTopologies(t1, t2), matchTopologies(t0, t1), t2, t0),
		"nextTopology": composeMatch(steps[1], steps[0], t2, t0),
	} {
		if m == nil || steps[0] == nil || steps[1] == nil {
			t.Fatalf("%s: no match", name)
		}
		twins := 0
		for a := range int32(t2.arcs.len()) {
			o := m.oldArc(a)
			if o < 0 {
				continue
			}
			twins++
			if !slices.Equal(t0.arcs.at(int(o)), t2.arcs.at(int(a))) || m.newArc(o) != a {
				t.Fatalf("%s: arc %d is matched to earlier arc %d, which has other points", name, a, o)
			}
		}
		if twins < t2.arcs.len()*9/10 {
			t.Errorf("%s: only %d of %d arcs have a twin", name, twins, t2.arcs.len())
		}
		if !slices.Equal(m.feats, want.feats) {
			t.Errorf("%s: features matched otherwise than directly", name)
		}
		gone, wantGone := slices.Sorted(slices.Values(m.goneFeats)), slices.Sorted(slices.Values(want.goneFeats))
		if !slices.Equal(gone, wantGone) {
			t.Errorf("%s: gone features %v, want %v", name, gone, wantGone)
		}
	}
}

// newTestRendererFrom returns NewRendererFrom(s, Options{}, prev) with
// every zoom built, and the match of its topology to prev's that it was
// made with (nil for none).
func newTestRendererFrom(t *testing.T, s *geo.Snapshot, prev *Renderer) (*Renderer, *arcMatch) {
	t.Helper()
	r, err := NewRendererFrom(s, Options{}, prev)
	if err != nil {
		t.Fatal(err)
	}
	var step *arcMatch
	if b := r.levels.from[0]; b != nil {
		step = b.anc.match.Load()
	}
	if err := r.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r, step
}

// TestNextWhileBuilding makes renderers of the next versions while the
// previous ones still build their zooms, as a server does when commits
// come faster than the zooms are built (run with -race), and checks
// that the newest draws what a whole build draws.
func TestNextWhileBuilding(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 4))
	prev, err := NewRenderer(citySnapshot(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	for step := 0; step < 4; step++ {
		s := prev.Snapshot()
		res := randomTileEdit(t, rnd, s, nil)
		if res == nil {
			continue
		}
		next, err := geo.NewSnapshot(res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		go func(r *Renderer) {
			defer func() { done <- struct{}{} }()
			if err := r.Prepare(context.Background()); err != nil {
				t.Error(err)
			}
		}(prev)
		r, err := NewRendererFrom(next, Options{}, prev)
		if err != nil {
			t.Fatal(err)
		}
		r.Changes()
		<-done
		prev = r
	}
	full, err := NewRenderer(prev.Snapshot(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for z := uint32(0); z <= prev.opts.MaxDataZoom; z++ {
		if !sameLevel(prev.level(z), full.level(z), prev.levels.src.topo, full.levels.src.topo) {
			t.Fatalf("level %d differs from one built whole", z)
		}
	}
}
