package server

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestTileCacheCarriesUnchangedTiles commits a grid split and checks that
// warming the new version carries the cached tile far from the split
// over (a hit, with the same ETag) while the tile on the split line is
// drawn again (a miss, with a new ETag).
func TestTileCacheCarriesUnchangedTiles(t *testing.T) {
	e := newEditEnv(t, fixtureSnapshot(t).City)
	e.s.warmers = nil // warmed by hand below
	v := e.s.view.Load()
	var g *geo.Grid
	var line orb.LineString
	for _, h := range v.snap.City.Grids {
		if l, ok := splitLineOf(v.snap, h); ok {
			g, line = h, l
			break
		}
	}
	if g == nil {
		t.Fatal("no grid to split")
	}
	near := maptile.At(orb.Point{(line[0][0] + line[1][0]) / 2, line[0][1]}, 16)
	far := maptile.At(v.snap.City.Buildings[len(v.snap.City.Buildings)-1].Point, 16)
	paths := []string{fmt.Sprintf("/tiles/16/%d/%d.mvt", near.X, near.Y), fmt.Sprintf("/tiles/16/%d/%d.mvt", far.X, far.Y)}
	etags := map[string]string{}
	for _, p := range paths {
		e.request(http.MethodGet, p, "", -1, "")
		r := e.request(http.MethodGet, p, "", -1, "")
		if r.status != http.StatusOK || r.header.Get("X-Cache") != "HIT" {
			t.Fatalf("GET %s again = %d %s, want a cached tile", p, r.status, r.header.Get("X-Cache"))
		}
		etags[p] = r.header.Get("ETag")
	}
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "carry"}
	if r := e.request(http.MethodPost, "/v1/edits", "admin", int(v.snap.Version), opJSON(t, op)); r.status != http.StatusCreated {
		t.Fatalf("split = %d %s", r.status, r.body)
	}
	e.s.tileSrv.warm(e.s.view.Load())
	for i, want := range []string{"MISS", "HIT"} {
		r := e.request(http.MethodGet, paths[i], "", -1, "")
		if r.status != http.StatusOK || r.header.Get("X-Cache") != want {
			t.Errorf("GET %s after the split = %d %s, want %s", paths[i], r.status, r.header.Get("X-Cache"), want)
		}
		if changed := r.header.Get("ETag") != etags[paths[i]]; changed != (i == 0) {
			t.Errorf("GET %s after the split: ETag %s, before %s", paths[i], r.header.Get("ETag"), etags[paths[i]])
		}
	}
}
