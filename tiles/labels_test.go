package tiles

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb/maptile"
)

// TestRendererLabelsReused checks that a renderer built with an earlier
// renderer's label points takes every shared polygon's point from it,
// computes the others, and renders the same bytes as one built alone.
func TestRendererLabelsReused(t *testing.T) {
	r := newTestRenderer(t, 1)
	s := r.Snapshot()
	// The next version: one grid replaced by an equal copy (a new polygon
	// to the label cache), everything else shared.
	c := *s.City
	c.Grids = append([]*geo.Grid(nil), s.City.Grids...)
	g := *c.Grids[0]
	c.Grids[0] = &g
	next, err := geo.NewSnapshot(&c, s.Version+1)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewRendererLabels(next, r.Options(), r.Labels())
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewRenderer(next, r.Options())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.labels.pointMap()) != len(b.labels.pointMap()) {
		t.Fatalf("%d label points, want %d", len(a.labels.pointMap()), len(b.labels.pointMap()))
	}
	for k, pt := range b.labels.pointMap() {
		if a.labels.pointMap()[k] != pt {
			t.Errorf("label of %v: %v, built alone %v", k, a.labels.pointMap()[k], pt)
		}
	}
	// A shared polygon's point comes from the earlier labels: a marked
	// point carries over.
	shared := labelKey{grid: c.Grids[1]}
	prev := &Labels{m: map[labelKey]wpt{shared: {-1, -1}}}
	m, err := NewRendererLabels(next, r.Options(), prev)
	if err != nil {
		t.Fatal(err)
	}
	if m.labels.pointMap()[shared] != (wpt{-1, -1}) || m.prevLabels != nil {
		t.Errorf("label of a shared grid is %v, want the earlier renderer's", m.labels.pointMap()[shared])
	}
	for _, z := range []maptile.Zoom{12, 14, 16} {
		k := maptile.At(g.Bound.Center(), z)
		key := Key{Z: uint32(z), X: k.X, Y: k.Y}
		ta, erra := a.Render(key)
		tb, errb := b.Render(key)
		if erra != nil || errb != nil || !bytes.Equal(ta, tb) {
			t.Errorf("tile %v differs (%v, %v)", key, erra, errb)
		}
	}
}
