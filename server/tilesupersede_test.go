package server

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/tiles"
)

// TestTileRendererOfReplacedVersionNotBuilt commits two splits without
// warming and checks that a tile request's renderer build for the first
// commit's view, whose turn comes after the second commit replaced it,
// gives up (errSuperseded) and leaves no renderer behind, that a tile
// request for that view then draws with the current version's renderer,
// never an older one, and that an explicit build of that view (an
// archive's) still succeeds afterwards.
func TestTileRendererOfReplacedVersionNotBuilt(t *testing.T) {
	e := newEditEnv(t, fixtureSnapshot(t).City)
	e.s.warmers = nil
	v0 := e.s.view.Load()
	r0, err := e.s.tileSrv.renderer(v0)
	if err != nil {
		t.Fatal(err)
	}
	var views []*view
	for _, g := range v0.snap.City.Grids {
		if len(views) == 2 {
			break
		}
		cur := e.s.view.Load()
		line, ok := splitLineOf(cur.snap, g) // an untouched grid, shared by every version

		if !ok {
			continue
		}
		op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "supersede"}
		if r := e.request(http.MethodPost, "/v1/edits", "admin", int(cur.snap.Version), opJSON(t, op)); r.status != http.StatusCreated {
			t.Fatalf("split = %d %s", r.status, r.body)
		}
		views = append(views, e.s.view.Load())
	}
	if len(views) < 2 {
		t.Fatal("fewer than two grids to split")
	}
	v1, v2 := views[0], views[1]
	if _, err := e.s.tileSrv.buildRenderer(v1, true); !errors.Is(err, errSuperseded) {
		t.Fatalf("building replaced version %d with skip: err %v, want errSuperseded", v1.snap.Version, err)
	}
	if _, ok := v1.renderer.ready(); ok {
		t.Fatal("a superseded build left a renderer")
	}
	r, gen, err := e.s.tileSrv.servingRenderer(v1)
	if err != nil || r.Version() != v2.snap.Version || gen != v2.tileGen {
		t.Fatalf("serving replaced version %d = renderer of version %v gen %d err %v, want the current version %d's (gen %d)", v1.snap.Version, versionOf(r), gen, err, v2.snap.Version, v2.tileGen)
	}
	if _, ok := v1.renderer.ready(); ok {
		t.Fatal("serving a replaced version built its renderer")
	}
	if r0.Version() != v0.snap.Version {
		t.Fatal("renderer of the first version changed")
	}
	r1, err := e.s.tileSrv.renderer(v1)
	if err != nil || r1.Version() != v1.snap.Version {
		t.Fatalf("explicit build of version %d = version %v err %v", v1.snap.Version, versionOf(r1), err)
	}
}

// versionOf returns r's version, or nil for no renderer.
func versionOf(r *tiles.Renderer) any {
	if r == nil {
		return nil
	}
	return r.Version()
}
