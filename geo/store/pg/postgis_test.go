package pg

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
)

// TestGridsTableMatchesLocate checks the live grids table after an edit:
// it holds exactly the current grids with their geometry bit for bit, and
// PostGIS's ST_Contains puts a few hundred random buildings in the same
// grid as geo's Locate.
func TestGridsTableMatchesLocate(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t, Options{})
	st0, _ := s.Load(ctx)
	big := storetest.BiggestGrid(t, storetest.Snapshot(t, st0), 8)
	cs, res := storetest.SplitChangeset(t, st0, big.Code, "a")
	if err := s.Append(ctx, cs); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Load(ctx)
	snap := storetest.Snapshot(t, st)
	checkGridsTable(t, s, st)

	rng := rand.New(rand.NewPCG(testSeed(t), 6))
	var pts []orb.Point
	for _, c := range res.Changes { // every building of the split grid
		if c.After != nil {
			for _, b := range snap.BuildingsIn(c.After.Code) {
				pts = append(pts, b.Point)
			}
		}
	}
	for range 300 {
		pts = append(pts, st.City.Buildings[rng.IntN(len(st.City.Buildings))].Point)
	}
	got := containing(t, s, pts)
	for i, p := range pts {
		want, ok := snap.Locate(p)
		if !ok {
			t.Errorf("Locate(%v) found no grid", p)
			continue
		}
		if got[i] != want.Code {
			t.Errorf("ST_Contains(grids, %v) = %s, Locate = %s", p, got[i], want.Code)
		}
	}
	t.Logf("%d points, %d in the split grid's parts", len(pts), len(pts)-300)
}

// checkGridsTable compares the grids table with the state's grids.
func checkGridsTable(t *testing.T, s *Store, st *store.State) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.pool.Query(ctx, `SELECT id, code, name, households, ST_AsEWKB(geom) FROM grids`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byID := map[geo.GridID]*geo.Grid{}
	for _, g := range st.City.Grids {
		byID[g.ID] = g
	}
	n := 0
	for rows.Next() {
		var id uint32
		var code uint64
		var name string
		var hh int
		var wkb []byte
		if err := rows.Scan(&id, &code, &name, &hh, &wkb); err != nil {
			t.Fatal(err)
		}
		n++
		g, ok := byID[geo.GridID(id)]
		if !ok || uint64(g.Code) != code || g.Name != name || g.Households != hh {
			t.Errorf("grids row %d %d %q %d does not match the state's grid %+v", id, code, name, hh, g)
			continue
		}
		geom, srid, err := ewkb.Unmarshal(wkb)
		if mp, ok := geom.(orb.MultiPolygon); err != nil || srid != 4326 || !ok || !orb.Equal(mp, g.Geometry) {
			t.Errorf("grid %s geometry from PostGIS (srid %d, %v) differs from the state's", g.Code, srid, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(st.City.Grids) {
		t.Errorf("grids table holds %d rows, the state %d grids", n, len(st.City.Grids))
	}
}

// containing returns, for each point, the code of the grid in the grids
// table that ST_Contains it (0 for none), in one query.
func containing(t *testing.T, s *Store, pts []orb.Point) []geo.GridCode {
	t.Helper()
	lon, lat := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		lon[i], lat[i] = p[0], p[1]
	}
	rows, err := s.pool.Query(context.Background(), `SELECT p.i, coalesce(g.code, 0)
FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)
LEFT JOIN LATERAL (SELECT code FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) LIMIT 2) g ON true`, lon, lat)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := make([]geo.GridCode, len(pts))
	seen := make([]bool, len(pts))
	for rows.Next() {
		var i int
		var code uint64
		if err := rows.Scan(&i, &code); err != nil {
			t.Fatal(err)
		}
		if seen[i-1] {
			t.Errorf("point %v lies in two grids", pts[i-1])
		}
		seen[i-1], out[i-1] = true, geo.GridCode(code)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
