package importer

import (
	"context"
	"testing"
)

// TestCityDirRoundTrip imports the fixture city from its own format: the
// city that comes out has the same grids, buildings and households.
func TestCityDirRoundTrip(t *testing.T) {
	dir, want := fixtureDir(t)
	in, prov, err := CityDirInputs(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, divs := divisions(t)
	res, err := Run(context.Background(), Options{Inputs: in, Divisions: divs, Province: prov})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	got := res.City
	if len(got.Grids) != len(want.Grids) || len(got.Buildings) != len(want.Buildings) || len(got.Units) != len(want.Units) ||
		len(got.Streets) != len(want.Streets) || len(got.Stations) != len(want.Stations) {
		t.Fatalf("got %d units %d grids %d buildings %d streets %d stations, want %d %d %d %d %d", len(got.Units), len(got.Grids), len(got.Buildings),
			len(got.Streets), len(got.Stations), len(want.Units), len(want.Grids), len(want.Buildings), len(want.Streets), len(want.Stations))
	}
	for i, g := range got.Grids {
		w := want.Grids[i]
		if g.Code != w.Code || g.ID != w.ID || g.Households != w.Households || g.Name != w.Name {
			t.Fatalf("grid %d: %s id %d hh %d %s, want %s id %d hh %d %s", i, g.Code, g.ID, g.Households, g.Name, w.Code, w.ID, w.Households, w.Name)
		}
	}
	for i, b := range got.Buildings {
		w := want.Buildings[i]
		if b.ID != w.ID || b.Grid != w.Grid || b.Address != w.Address || b.Households != w.Households {
			t.Fatalf("building %d: %+v, want %+v", i, b, w)
		}
	}
	if got.Name != want.Name || got.Province != want.Province || got.Code != want.Code {
		t.Errorf("city %s %s %s, want %s %s %s", got.Code, got.Name, got.Province, want.Code, want.Name, want.Province)
	}
	if res.Report.Counts.HouseholdsUnknown != 0 || len(res.Report.Unparsed) != 0 {
		t.Errorf("report: %d unknown households, %d unparsed, want 0", res.Report.Counts.HouseholdsUnknown, len(res.Report.Unparsed))
	}
}
