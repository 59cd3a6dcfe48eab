package server

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestIncrementalMatchesFullRebuild commits 200 edits (splits, merges and
// re-drawn shared boundaries) through the HTTP route and after each checks
// that lookup, geocode, coverage, search and tiles answer the new version
// and that the incrementally derived state agrees with a rebuild from
// scratch of the same city: after every commit the snapshot's indexes and
// counts, point-in-grid and nearest grid on the touched grids' vertices
// and a sample, the lookup fragments, search, and each grid's coverage
// tally against its buildings in the rebuilt snapshot; after every fourth
// commit the tiles (z8-z16) over the touched grids and a sample, drawn by
// the served renderer (patched from the previous version's), against a
// renderer built whole from the rebuilt snapshot with the same earlier
// colours; after every tenth commit also the walking network's coverage
// and the address index against ones built from scratch (building those
// for every commit would take minutes).
func TestIncrementalMatchesFullRebuild(t *testing.T) {
	if testing.Short() {
		t.Skip("commits 200 edits to the generated city")
	}
	e := newEditEnv(t, fixtureSnapshot(t).City)
	e.s.warmers = nil
	r := rand.New(rand.NewPCG(12, 1))
	start := time.Now()
	done := 0
	kinds := map[edit.Kind]int{}
	for attempt := 0; done < 200 && attempt < 2000; attempt++ {
		v := e.s.view.Load()
		op, ok := randomEdit(r, v.snap)
		if !ok {
			continue
		}
		base := int(v.snap.Version)
		res := e.request(http.MethodPost, "/v1/edits", "admin", base, opJSON(t, op))
		if res.status == http.StatusUnprocessableEntity {
			continue
		}
		if res.status != http.StatusCreated {
			t.Fatalf("commit %s = %d %.400s", op.Kind, res.status, res.body)
		}
		done++
		kinds[op.Kind]++
		checkDrift(t, e, v, done%10 == 0, done%4 == 0)
		if done%50 == 0 {
			t.Logf("%d commits checked after %v", done, time.Since(start))
		}
		if t.Failed() {
			t.Fatalf("drift after commit %d (%s)", done, op.Kind)
		}
	}
	if done < 200 || kinds[edit.KindSplit] < 20 || kinds[edit.KindMerge] < 20 || kinds[edit.KindReplace] < 20 {
		t.Fatalf("committed %d edits %v; want 200 with at least 20 of each kind", done, kinds)
	}
}

// randomEdit returns a split, a merge of two neighbours or a re-drawn
// shared boundary of a random grid, or false when the grid has none.
func randomEdit(r *rand.Rand, s *geo.Snapshot) (edit.Op, bool) {
	g := s.City.Grids[r.IntN(len(s.City.Grids))]
	switch r.IntN(3) {
	case 0:
		line, ok := splitLineOf(s, g)
		return edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "drift"}, ok
	case 1:
		for _, h := range s.GridsOf(g.Community()) {
			if h != g && sharesEdge(g, h) {
				return edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g.Code, h.Code}, Reason: "drift"}, true
			}
		}
		return edit.Op{}, false
	}
	moved, ok := bendSharedEdge(s.GridsOf(g.Community()), g, 3e-5*(1+r.Float64()))
	return edit.Op{Kind: edit.KindReplace, Grid: g.Code, Geometry: moved, Reason: "drift"}, ok
}

// splitLineOf returns an east-west line across g between its buildings'
// middle latitudes.
func splitLineOf(s *geo.Snapshot, g *geo.Grid) (orb.LineString, bool) {
	bs := s.BuildingsIn(g.Code)
	if len(bs) < 4 {
		return nil, false
	}
	lats := make([]float64, len(bs))
	for i, b := range bs {
		lats[i] = b.Point[1]
	}
	slices.Sort(lats)
	mid := len(lats) / 2
	if lats[mid]-lats[mid-1] < 2e-5 {
		return nil, false
	}
	lat := (lats[mid] + lats[mid-1]) / 2
	return orb.LineString{{g.Bound.Min[0] - 1e-3, lat}, {g.Bound.Max[0] + 1e-3, lat}}, true
}

// sharesEdge reports whether g and h have an edge in common.
func sharesEdge(g, h *geo.Grid) bool {
	for _, poly := range g.Geometry {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				if sharedEdge([]*geo.Grid{h}, g, ring[i], ring[i+1]) {
					return true
				}
			}
		}
	}
	return false
}

// checkDrift compares the served view with one built from scratch from
// the same city, and checks every route answers the new version. prev is
// the view before the commit.
func checkDrift(t *testing.T, e *editEnv, prev *view, full, tiles bool) {
	t.Helper()
	v := e.s.view.Load()
	if v.snap.Version != prev.snap.Version+1 {
		t.Fatalf("serving version %d after committing on %d", v.snap.Version, prev.snap.Version)
	}
	fs, err := geo.NewSnapshot(v.snap.City, v.snap.Version)
	if err != nil {
		t.Fatal(err)
	}
	f := newView(fs)
	f.walkCfg = v.walkCfg
	touched := touchedGrids(prev.snap, v.snap)
	checkSnapshotDrift(t, v.snap, fs)
	checkLookupDrift(t, v, f, touched)
	checkSearchDrift(t, v, f, touched)
	checkTallies(t, v, fs)
	if full {
		checkCoverageDrift(t, v, f)
		checkGeocodeDrift(t, v, f, touched)
	}
	if tiles {
		checkTileDrift(t, e, prev, v, f, touched)
	}
	checkServedVersion(t, e, v, touched)
}

// touchedGrids returns the grids of cur that are not in prev, and the
// grids of prev not in cur.
func touchedGrids(prev, cur *geo.Snapshot) []*geo.Grid {
	var out []*geo.Grid
	for _, g := range cur.City.Grids {
		if h, ok := prev.GridByID(g.ID); !ok || h != g {
			out = append(out, g)
		}
	}
	for _, g := range prev.City.Grids {
		if h, ok := cur.GridByID(g.ID); !ok || h != g {
			out = append(out, g)
		}
	}
	return out
}

// checkSnapshotDrift compares every index of two snapshots of one city.
func checkSnapshotDrift(t *testing.T, a, b *geo.Snapshot) {
	t.Helper()
	c := a.City
	for _, u := range c.Units {
		if a.Stats(u.Code) != b.Stats(u.Code) {
			t.Errorf("stats of %s: incremental %+v, full %+v", u.Code, a.Stats(u.Code), b.Stats(u.Code))
		}
		if !slices.Equal(a.GridsOf(u.Code), b.GridsOf(u.Code)) || !slices.Equal(a.Children(u.Code), b.Children(u.Code)) {
			t.Errorf("grids or children of %s differ", u.Code)
		}
	}
	for _, g := range c.Grids {
		ga, _ := a.Grid(g.Code)
		gb, _ := a.GridByID(g.ID)
		if ga != g || gb != g || !slices.Equal(a.BuildingsIn(g.Code), b.BuildingsIn(g.Code)) {
			t.Errorf("grid %s: indexes differ", g.Code)
		}
	}
	for i := 0; i < len(c.Buildings); i += 97 {
		x, _ := a.Building(c.Buildings[i].ID)
		y, _ := b.Building(c.Buildings[i].ID)
		if x != y || x != c.Buildings[i] {
			t.Errorf("building %d differs", c.Buildings[i].ID)
		}
	}
}

// driftPoints are lookup probes: every vertex of the touched grids (the
// boundary rule's hard cases), a sample of building entrances and random
// points over the city.
func driftPoints(s *geo.Snapshot, touched []*geo.Grid) []orb.Point {
	var ps []orb.Point
	for _, g := range touched {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				ps = append(ps, ring...)
			}
		}
	}
	bs := s.City.Buildings
	for i := 0; i < len(bs); i += 61 {
		ps = append(ps, bs[i].Point)
	}
	r := rand.New(rand.NewPCG(s.Version, 7))
	var box orb.Bound
	for i, g := range s.City.Grids {
		if i == 0 {
			box = g.Bound
		}
		box = box.Union(g.Bound)
	}
	for range 300 {
		ps = append(ps, orb.Point{box.Min[0] + r.Float64()*(box.Max[0]-box.Min[0]), box.Min[1] + r.Float64()*(box.Max[1]-box.Min[1])})
	}
	return ps
}

// checkLookupDrift compares point-in-grid, nearest grid and the response
// fragments of the located grids.
func checkLookupDrift(t *testing.T, v, f *view, touched []*geo.Grid) {
	t.Helper()
	for _, p := range driftPoints(v.snap, touched) {
		ga, oka := v.snap.Locate(p)
		gb, okb := f.snap.Locate(p)
		if ga != gb || oka != okb {
			t.Errorf("lookup %v: incremental %v, full %v", p, gridCode(ga), gridCode(gb))
			continue
		}
		if !oka {
			na, da := v.snap.Locator().Nearest(p)
			nb, db := f.snap.Locator().Nearest(p)
			if na != nb || da != db {
				t.Errorf("nearest %v: incremental %v %.3f, full %v %.3f", p, gridCode(na), da, gridCode(nb), db)
			}
			continue
		}
		fa, fb := v.answers.Of(ga), f.answers.Of(gb)
		if fa == nil || fb == nil || !bytes.Equal(fa.JSON, fb.JSON) || !bytes.Equal(fa.CSV, fb.CSV) || !bytes.Equal(fa.NDJSON, fb.NDJSON) {
			t.Errorf("fragments of %s differ", ga.Code)
		}
	}
	if v.snap.Locator().Len() != f.snap.Locator().Len() {
		t.Errorf("locator holds %d grids, full %d", v.snap.Locator().Len(), f.snap.Locator().Len())
	}
}

func gridCode(g *geo.Grid) string {
	if g == nil {
		return "none"
	}
	return g.Code.String()
}

// checkTallies checks each grid's 15-minute coverage tally against its
// buildings in the rebuilt snapshot fs.
func checkTallies(t *testing.T, v *view, fs *geo.Snapshot) {
	t.Helper()
	c, _, err := v.coverage(walk.Band15)
	if err != nil {
		t.Fatal(err)
	}
	var total walk.Tally
	for _, g := range fs.City.Grids {
		var want walk.Tally
		for _, b := range fs.BuildingsIn(g.Code) {
			bc, err := c.BuildingByID(b.ID)
			if err != nil {
				t.Fatal(err)
			}
			want.Buildings++
			want.Households += b.Households
			if bc.Covered {
				want.BuildingsCovered++
				want.HouseholdsCovered += b.Households
			}
		}
		total.Buildings += want.Buildings
		total.Households += want.Households
		total.BuildingsCovered += want.BuildingsCovered
		total.HouseholdsCovered += want.HouseholdsCovered
		if got, _ := c.GridTally(g.Code); got != want {
			t.Errorf("coverage of %s: %+v, its buildings give %+v", g.Code, got, want)
		}
	}
	if c.Total() != total {
		t.Errorf("coverage total %+v, the grids give %+v", c.Total(), total)
	}
}

// checkCoverageDrift compares the rebased 15-minute coverage with a
// coverage on a network built from scratch.
func checkCoverageDrift(t *testing.T, v, f *view) {
	t.Helper()
	ca, _, err := v.coverage(walk.Band15)
	if err != nil {
		t.Fatal(err)
	}
	cb, _, err := f.coverage(walk.Band15)
	if err != nil {
		t.Fatal(err)
	}
	if ca.Total() != cb.Total() {
		t.Errorf("coverage total: incremental %+v, full %+v", ca.Total(), cb.Total())
	}
	for _, g := range v.snap.City.Grids {
		ta, oka := ca.GridTally(g.Code)
		tb, okb := cb.GridTally(g.Code)
		if ta != tb || oka != okb {
			t.Errorf("coverage of %s: incremental %+v, full %+v", g.Code, ta, tb)
		}
	}
	for level := geo.LevelDistrict; level <= geo.LevelCommunity; level++ {
		ua, _ := ca.Units(level)
		ub, _ := cb.Units(level)
		if fmt.Sprint(ua) != fmt.Sprint(ub) {
			t.Errorf("coverage at level %v differs", level)
		}
	}
	bs := v.snap.City.Buildings
	for i := 0; i < len(bs); i += 53 {
		x, _ := ca.BuildingByID(bs[i].ID)
		y, _ := cb.BuildingByID(bs[i].ID)
		if x.Covered != y.Covered || x.DistanceMeters != y.DistanceMeters || x.Station.ID != y.Station.ID {
			t.Errorf("coverage of building %d differs", bs[i].ID)
		}
	}
}

// checkGeocodeDrift geocodes the addresses of the touched grids' buildings
// and a sample with the rebased and the full index.
func checkGeocodeDrift(t *testing.T, v, f *view, touched []*geo.Grid) {
	t.Helper()
	var addrs []string
	for _, g := range touched {
		for _, b := range v.snap.BuildingsIn(g.Code) {
			addrs = append(addrs, b.Address.String())
		}
	}
	bs := v.snap.City.Buildings
	for i := int(v.snap.Version) % 211; i < len(bs); i += 211 {
		a := bs[i].Address
		addrs = append(addrs, a.String(), a.Road, a.Subdistrict+a.Estate, a.Community)
	}
	xa, xb := v.addresses(), f.addresses()
	for _, a := range addrs {
		ra, erra := xa.Geocode(a)
		rb, errb := xb.Geocode(a)
		if (erra == nil) != (errb == nil) || fmt.Sprintf("%+v %+v", ra.Best, ra.Alternatives) != fmt.Sprintf("%+v %+v", rb.Best, rb.Alternatives) {
			t.Errorf("geocode %q: incremental %+v, full %+v", a, ra.Best, rb.Best)
		}
	}
}

// checkSearchDrift searches the touched grids' codes and names.
func checkSearchDrift(t *testing.T, v, f *view, touched []*geo.Grid) {
	t.Helper()
	for _, g := range touched {
		for _, q := range []string{g.Code.String(), g.Code.String()[:12], g.Name} {
			ha, hb := v.searchIndex().Search(q, 20), f.searchIndex().Search(q, 20)
			if len(ha) != len(hb) {
				t.Errorf("search %q: %d hits, full %d", q, len(ha), len(hb))
				continue
			}
			for i := range ha {
				if ha[i].Entry.Code != hb[i].Entry.Code || ha[i].Class != hb[i].Class {
					t.Errorf("search %q hit %d: %s, full %s", q, i, ha[i].Entry.Code, hb[i].Entry.Code)
				}
			}
		}
	}
}

// checkTileDrift renders the tiles over the touched grids and a sample
// with the served renderer, patched from prev's, and one built whole from
// the rebuilt snapshot with prev's renderer's colours and label points.
func checkTileDrift(t *testing.T, e *editEnv, prev, v, f *view, touched []*geo.Grid) {
	t.Helper()
	ts := &tileServer{s: e.s}
	rp, err := ts.renderer(prev)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := ts.renderer(v)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := tiles.NewRendererLabels(f.snap, e.s.tileOptions(f), rp.Labels())
	if err != nil {
		t.Fatal(err)
	}
	var keys []tiles.Key
	for _, g := range touched {
		for z := maptile.Zoom(8); z <= 16; z++ {
			k := maptile.At(g.Bound.Center(), z)
			keys = append(keys, tiles.Key{Z: uint32(z), X: k.X, Y: k.Y})
		}
	}
	for i := 0; i < len(v.snap.City.Buildings); i += 997 {
		k := maptile.At(v.snap.City.Buildings[i].Point, 15)
		keys = append(keys, tiles.Key{Z: 15, X: k.X, Y: k.Y})
	}
	for _, k := range keys {
		a, erra := ra.Render(k)
		b, errb := rb.Render(k)
		if erra != nil || errb != nil || !bytes.Equal(a, b) {
			t.Errorf("tile %v differs (%v, %v)", k, erra, errb)
		}
	}
}

// checkServedVersion asks every route about a touched grid and checks the
// answers carry the new version.
func checkServedVersion(t *testing.T, e *editEnv, v *view, touched []*geo.Grid) {
	t.Helper()
	var g *geo.Grid
	for _, h := range touched {
		if cur, ok := v.snap.GridByID(h.ID); ok && cur == h && len(v.snap.BuildingsIn(h.Code)) > 0 {
			g = h
			break
		}
	}
	if g == nil {
		return
	}
	b := v.snap.BuildingsIn(g.Code)[0]
	want := fmt.Sprintf(`"version":%d`, v.snap.Version)
	for _, path := range []string{
		lookupURL(b.Point, ""),
		"/v1/geocode?address=" + url.QueryEscape(b.Address.String()),
		"/v1/coverage?level=community",
		"/v1/search?q=" + g.Code.String(),
	} {
		r := e.request(http.MethodGet, path, "", -1, "")
		if r.status != http.StatusOK || !strings.Contains(string(r.body), want) {
			t.Errorf("GET %s = %d %.200s; want version %d", path, r.status, r.body, v.snap.Version)
		}
	}
	if !strings.Contains(string(e.request(http.MethodGet, lookupURL(b.Point, ""), "", -1, "").body), g.Code.String()) {
		t.Errorf("lookup of building %d does not answer its grid %s", b.ID, g.Code)
	}
	k := maptile.At(b.Point, 16)
	if r := e.request(http.MethodGet, fmt.Sprintf("/tiles/16/%d/%d.mvt", k.X, k.Y), "", -1, ""); r.status != http.StatusOK {
		t.Errorf("tile over grid %s = %d", g.Code, r.status)
	}
}
