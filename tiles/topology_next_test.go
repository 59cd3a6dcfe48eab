package tiles

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// TestNextTopologyMatchesWhole commits a chain of random splits and
// merges and checks, after each, that the topology made from the
// previous version's (nextTopology) walks, feature by feature and ring by
// ring, the same arcs (the same points, stored in the same direction,
// walked the same way, from the same start) as one built whole, that the
// earlier arcs keep their ids and that the dead arcs stay bounded.
func TestNextTopologyMatchesWhole(t *testing.T) {
	seed := uint64(7)
	r := rand.New(rand.NewPCG(seed, 1))
	prev, err := NewRenderer(citySnapshot(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var last []geo.GridID
	incremental := 0
	for step := 0; step < 16; step++ {
		s := prev.Snapshot()
		res := randomTileEdit(t, r, s, last)
		if res == nil {
			continue
		}
		last = last[:0]
		for _, c := range res.Changes {
			last = append(last, c.ID)
		}
		next, err := geo.NextSnapshot(s, res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		inc, err := NewRendererFrom(next, Options{}, prev)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := NewRenderer(next, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ti, tw, pt := inc.levels.src.topo, whole.levels.src.topo, prev.levels.src.topo
		if ti.arcs.base != nil {
			incremental++
			for a := range pt.arcs.len() {
				if !slices.Equal(ti.arcs.at(a), pt.arcs.at(a)) {
					t.Fatalf("seed %d step %d: arc %d changed its points", seed, step, a)
				}
			}
		}
		if err := sameTopology(ti, tw); err != "" {
			t.Fatalf("seed %d step %d: %s", seed, step, err)
		}
		if ti.dead*maxDeadShare > ti.arcs.len()+maxDeadShare {
			t.Fatalf("step %d: %d of %d arcs dead", step, ti.dead, ti.arcs.len())
		}
		prev = inc
	}
	if incremental < 8 {
		t.Fatalf("only %d versions made their topology from the previous one", incremental)
	}
}

// sameTopology returns what differs between two topologies' features, or
// "" when they walk the same arcs.
func sameTopology(a, b *topology) string {
	if len(a.features) != len(b.features) {
		return "feature counts differ"
	}
	for i, fa := range a.features {
		fb := b.features[i]
		if fa.key != fb.key || fa.layer != fb.layer || fa.index != fb.index || len(fa.polys) != len(fb.polys) {
			return fmt.Sprintf("feature %d (%v) differs", i, fa.key)
		}
		for p := range fa.polys {
			if len(fa.polys[p]) != len(fb.polys[p]) {
				return "ring counts differ"
			}
			for k, ra := range fa.polys[p] {
				rb := fb.polys[p][k]
				if len(ra) != len(rb) {
					return "a ring is cut into other arcs"
				}
				for j := range ra {
					if (ra[j] < 0) != (rb[j] < 0) || !slices.Equal(a.arcs.at(int(ra[j].id())), b.arcs.at(int(rb[j].id()))) {
						return "a ring walks another arc or direction"
					}
				}
			}
		}
	}
	looseA, looseB := map[[2]wpt]bool{}, map[[2]wpt]bool{}
	for _, f := range a.features {
		for _, poly := range f.polys {
			for _, ring := range poly {
				for _, r := range ring {
					if _, ok := slices.BinarySearch(a.loose, r.id()); ok {
						arc := a.arcs.at(int(r.id()))
						looseA[[2]wpt{arc[0], arc[1]}] = true
					}
				}
			}
		}
	}
	for _, l := range b.loose {
		arc := b.arcs.at(int(l))
		looseB[[2]wpt{arc[0], arc[1]}] = true
	}
	if len(looseA) != len(looseB) {
		return "the rings without junction differ"
	}
	return ""
}
