package tiles

import (
	"bytes"
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestPatchedLevelsMatchFull commits a chain of splits and merges to the
// reference city and, after each, checks that the renderer patched from
// the previous version's (NewRendererFrom) holds at every zoom exactly the
// geometry and refinement rounds of one built whole from the same
// snapshot and colours (NewRendererLabels), and draws the same bytes for
// the tiles over the edited grids and a sample of others. Only some
// versions are prepared, so levels are also patched through a chain of
// unprepared renderers. A large tolerance makes many arcs cross, so the
// refinement rounds are patched too.
func TestPatchedLevelsMatchFull(t *testing.T) {
	steps := 12
	if testing.Short() {
		steps = 6
	}
	for _, tol := range []float64{0, 24} {
		r := rand.New(rand.NewPCG(3, uint64(tol)))
		opts := Options{Tolerance: tol}
		prev, err := NewRenderer(citySnapshot(t), opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := prev.Prepare(context.Background()); err != nil {
			t.Fatal(err)
		}
		var last []geo.GridID
		patched, refined, kept, redrawn := 0, 0, 0, 0
		for step := 0; step < steps; step++ {
			s := prev.Snapshot()
			res := randomTileEdit(t, r, s, last)
			if res == nil {
				continue
			}
			last = last[:0]
			var touched []*geo.Grid
			for _, c := range res.Changes {
				last = append(last, c.ID)
			}
			next, err := geo.NewSnapshot(res.Next, s.Version+1)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range last {
				if g, ok := next.GridByID(id); ok {
					touched = append(touched, g)
				} else if g, ok := s.GridByID(id); ok {
					touched = append(touched, g)
				}
			}
			inc, err := NewRendererFrom(next, opts, prev)
			if err != nil {
				t.Fatal(err)
			}
			for z, b := range inc.levels.from {
				if b == nil || b.anc.id != prev.levels.id {
					t.Fatalf("step %d: zoom %d of the next version's renderer is not patched from the previous one's", step, z)
				}
			}
			changes := inc.Changes()
			full, err := NewRendererLabels(next, opts, prev.Labels())
			if err != nil {
				t.Fatal(err)
			}
			if step%3 == 2 {
				if err := inc.Prepare(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			for z := uint32(0); z <= inc.opts.MaxDataZoom; z++ {
				a, b := inc.level(z), full.level(z)
				if !sameLevel(a, b, inc.levels.src.topo, full.levels.src.topo) {
					t.Fatalf("tolerance %g, step %d: level %d differs from one built whole", tol, step, z)
				}
				for _, ps := range a.pairs[1:] {
					refined += len(ps)
				}
			}
			patched++
			ib, fb := inc.layers[idxBuildings], full.layers[idxBuildings]
			if &ib.pts[0] != &prev.layers[idxBuildings].pts[0] {
				t.Fatal("the buildings layer was built whole, not patched")
			}
			var va, vb []byte
			for i := range int32(fb.len()) {
				same := false
				if va, vb, same = sameTags(ib, fb, i, i, va, vb); !same {
					t.Fatalf("step %d: building %d has other properties than in a whole build", step, fb.ids[i])
				}
			}
			keys := tileKeysOver(next, touched)
			compareTiles(t, inc, full, keys)
			same, differ := checkUnchanged(t, changes, prev, inc, keys)
			kept += same
			redrawn += differ
			prev = inc
		}
		if patched < steps/2 {
			t.Fatalf("tolerance %g: only %d of %d edits applied", tol, patched, steps)
		}
		if kept == 0 || redrawn == 0 {
			t.Errorf("tolerance %g: %d tiles said unchanged, %d changed: want some of each", tol, kept, redrawn)
		}
		t.Logf("tolerance %g: %d versions patched, %d pairs in later refinement rounds; %d tiles unchanged (carried over), %d drawn again",
			tol, patched, refined, kept, redrawn)
	}
}

// randomTileEdit splits a random grid across its middle, or merges the
// two grids of the last split; it returns nil when the edit is refused.
func randomTileEdit(t *testing.T, r *rand.Rand, s *geo.Snapshot, last []geo.GridID) *edit.Result {
	t.Helper()
	var op edit.Op
	if len(last) == 2 && r.IntN(2) == 0 {
		a, _ := s.GridByID(last[0])
		b, _ := s.GridByID(last[1])
		if a == nil || b == nil {
			return nil
		}
		op = edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{a.Code, b.Code}}
	} else {
		g := s.City.Grids[r.IntN(len(s.City.Grids))]
		y := g.Bound.Min[1] + (0.3+0.4*r.Float64())*(g.Bound.Max[1]-g.Bound.Min[1])
		op = edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, y}, {g.Bound.Max[0] + 0.001, y}}}
	}
	res, err := edit.Apply(s, op, edit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Valid {
		return nil
	}
	return res
}

// sameLevel reports whether two levels, of topologies ta and tb, hold
// the same geometry and rounds. Arcs are compared by their points, not
// their ids: a topology made from an earlier one numbers them otherwise.
func sameLevel(a, b *level, ta, tb *topology) bool {
	if len(a.pairs) != len(b.pairs) || a.crossings != b.crossings {
		return false
	}
	for r := range a.pairs {
		if !slices.Equal(pairStarts(a.pairs[r], ta), pairStarts(b.pairs[r], tb)) {
			return false
		}
	}
	return slices.Equal(a.featEnds, b.featEnds) && slices.Equal(a.polyEnds, b.polyEnds) &&
		slices.Equal(a.ringEnds, b.ringEnds) && slices.Equal(a.pts, b.pts) && slices.Equal(a.chunks, b.chunks) &&
		slices.Equal(a.linePts, b.linePts) && slices.Equal(a.lineEnds, b.lineEnds)
}

// tileKeysOver returns the tiles at z8-z16 over each touched grid's
// middle, and a sample over the city.
func tileKeysOver(s *geo.Snapshot, touched []*geo.Grid) []Key {
	var keys []Key
	for _, g := range touched {
		for z := maptile.Zoom(8); z <= 16; z++ {
			k := maptile.At(g.Bound.Center(), z)
			keys = append(keys, Key{Z: uint32(z), X: k.X, Y: k.Y})
		}
	}
	bs := s.City.Buildings
	for i := int(s.Version) % 131; i < len(bs); i += 131 {
		k := maptile.At(bs[i].Point, maptile.Zoom(10+i%7))
		keys = append(keys, Key{Z: uint32(k.Z), X: k.X, Y: k.Y})
	}
	return keys
}

// compareTiles renders keys with both renderers and wants equal bytes.
func compareTiles(t *testing.T, a, b *Renderer, keys []Key) {
	t.Helper()
	for _, k := range keys {
		x, err1 := a.Render(k)
		y, err2 := b.Render(k)
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Fatalf("tile %s: patched %d bytes (%v), whole %d bytes (%v)", k, len(x), err1, len(y), err2)
		}
	}
}

// checkUnchanged checks that every tile of keys that changes says is
// unchanged holds the same bytes in both versions, and counts them.
func checkUnchanged(t *testing.T, changes *Changes, prev, cur *Renderer, keys []Key) (same, differ int) {
	t.Helper()
	if changes == nil {
		t.Fatal("a renderer made from another has no Changes")
	}
	for _, k := range keys {
		if !changes.Unchanged(k) {
			differ++
			continue
		}
		a, err1 := prev.Render(k)
		b, err2 := cur.Render(k)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Fatalf("tile %s is said unchanged but differs (%d bytes, now %d)", k, len(a), len(b))
		}
		same++
	}
	return same, differ
}

// pairStarts names each pair's arcs by their first two points (which
// name an arc in its topology), sorted.
func pairStarts(ps []arcPair, t *topology) [][4]wpt {
	out := make([][4]wpt, len(ps))
	for i, p := range ps {
		a, b := t.arcs.at(int(p.a)), t.arcs.at(int(p.b))
		ka, kb := [2]wpt{a[0], a[1]}, [2]wpt{b[0], b[1]}
		if lessStart(kb, ka) {
			ka, kb = kb, ka
		}
		out[i] = [4]wpt{ka[0], ka[1], kb[0], kb[1]}
	}
	slices.SortFunc(out, func(x, y [4]wpt) int {
		for k := range x {
			if c := cmp.Compare(x[k][0], y[k][0]); c != 0 {
				return c
			}
			if c := cmp.Compare(x[k][1], y[k][1]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

// lessStart orders arc starts by their points.
func lessStart(a, b [2]wpt) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k][0] < b[k][0] || a[k][0] == b[k][0] && a[k][1] < b[k][1]
		}
	}
	return false
}
