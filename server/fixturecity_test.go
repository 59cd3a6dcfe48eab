package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
)

// TestFixtureCityBuildings streams every building entrance of the
// generated city, in GCJ-02, and checks each row names the building's grid
// and its units, in order.
func TestFixtureCityBuildings(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	s := benchServer(t)
	bs := s.Snapshot().City.Buildings
	var in strings.Builder
	in.WriteString("building,lon,lat\n")
	for _, b := range bs {
		p := crs.FromWGS84(crs.GCJ02, b.Point)
		fmt.Fprintf(&in, "%d,%s,%s\n", b.ID, ftoa(p[0]), ftoa(p[1]))
	}
	r := do(t, s, http.MethodPost, "/v1/lookup?crs=gcj02", "text/csv", in.String())
	if r.status != http.StatusOK {
		t.Fatalf("status = %d (%.300s)", r.status, r.body)
	}
	rows := strings.Split(strings.TrimSuffix(string(r.body), "\n"), "\n")[1:]
	if len(rows) != len(bs) {
		t.Fatalf("got %d rows, want %d", len(rows), len(bs))
	}
	bad := 0
	for i, row := range rows {
		b := bs[i]
		want := fmt.Sprintf("%d,", b.ID)
		f := strings.Split(row, ",")
		if !strings.HasPrefix(row, want) || len(f) != 8 || f[3] != b.Grid.String() || f[4] != b.Grid.Community().String() ||
			f[6] != b.Grid.Community().Ancestor(geo.LevelDistrict).String() {
			if bad++; bad <= 5 {
				t.Errorf("row %d = %q, want building %d in grid %s", i, row, b.ID, b.Grid)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d buildings answered wrongly", bad, len(bs))
	}
}

// TestFixtureCityLookup checks single lookups of a sample of buildings in
// every coordinate system.
func TestFixtureCityLookup(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	s := benchServer(t)
	bs := s.Snapshot().City.Buildings
	for _, c := range []crs.CRS{crs.WGS84, crs.CGCS2000, crs.GCJ02, crs.BD09} {
		for i := 0; i < len(bs); i += len(bs) / 50 {
			b := bs[i]
			r := do(t, s, http.MethodGet, lookupURL(crs.FromWGS84(c, b.Point), c.String()), "", "")
			var got lookupBody
			decode(t, r.body, &got)
			if r.status != 200 || got.Grid.Code != b.Grid.String() {
				t.Errorf("%s lookup of building %d = %d %s, want grid %s", c, b.ID, r.status, got.Grid.Code, b.Grid)
			}
		}
	}
}
