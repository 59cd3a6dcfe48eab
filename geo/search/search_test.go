package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// testSnapshot returns the reference city (fixtures.Reference).
func testSnapshot(tb testing.TB) *geo.Snapshot {
	tb.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		tb.Fatalf("generating the reference city: %v", err)
	}
	return snap
}

// square returns the counter-clockwise ring of a box.
func square(minX, minY, maxX, maxY float64) orb.Ring {
	return orb.Ring{{minX, minY}, {maxX, minY}, {maxX, maxY}, {minX, maxY}, {minX, minY}}
}

// TestSearchCodesAndNames finds every 100th grid by code and by name,
// first and exact.
func TestSearchCodesAndNames(t *testing.T) {
	ix := New(testSnapshot(t))
	grids := testSnapshot(t).City.Grids
	for i := 0; i < len(grids); i += 100 {
		g := grids[i]
		for _, q := range []string{g.Code.String(), Normalize(g.Name)} {
			hits := ix.Search(q, 3)
			if len(hits) == 0 || hits[0].Entry.Grid != g || hits[0].Class != Exact {
				t.Errorf("Search(%q) = %v, want grid %s first, exact", q, hits, g.Code)
			}
		}
	}
}

// TestEntryPoint checks that a result's point (geo.InteriorPoint) lies
// inside shapes whose centroid or box centre does not.
func TestEntryPoint(t *testing.T) {
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	holed := orb.Polygon{square(0, 0, 4, 4), square(1, 1, 3, 3)}
	cases := []struct {
		name string
		mp   orb.MultiPolygon
	}{
		{"square", orb.MultiPolygon{{square(0, 0, 1, 1)}}},
		{"U shape, centroid outside", orb.MultiPolygon{u}},
		{"hole in the middle", orb.MultiPolygon{holed}},
		{"vertex on the middle line", orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {1, 1}, {0, 2}, {0, 0}}}}},
		{"two parts, larger second", orb.MultiPolygon{{square(10, 10, 10.1, 10.1)}, u}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := Entry{Level: geo.LevelGrid, Grid: &geo.Grid{Geometry: tc.mp}}
			p := e.Point()
			in := false
			for _, poly := range tc.mp {
				in = in || planar.PolygonContains(poly, p)
			}
			if !in {
				t.Errorf("Point() = %v, not inside %v", p, tc.mp)
			}
		})
	}
}

func FuzzSearch(f *testing.F) {
	for _, q := range []string{"520201", "钟环社区", "第3网格", "5", "社区", "\xff", "   "} {
		f.Add(q, 5)
	}
	snap := testSnapshot(f)
	ix := New(snap)
	entries := scanEntries(snap.City)
	f.Fuzz(func(t *testing.T, q string, limit int) {
		q = Normalize(strings.TrimSpace(q))
		if q == "" || !utf8.ValidString(q) || limit < 1 || limit > 100 {
			return
		}
		hits := ix.Search(q, limit)
		if d := sameHits(hits, scanSearch(entries, q, limit)); d != "" {
			t.Fatalf("search(%q, %d) against a scan of every entry: %s", q, limit, d)
		}
		if len(hits) > limit {
			t.Fatalf("search(%q, %d) = %d hits", q, limit, len(hits))
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Class < hits[i-1].Class {
				t.Fatalf("search(%q): hit %d is %v after %v", q, i, hits[i].Class, hits[i-1].Class)
			}
		}
	})
}
