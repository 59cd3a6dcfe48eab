package walk

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func TestCoverageTotalsAddUpAtEveryLevel(t *testing.T) {
	tw := newTown(t)
	for _, limit := range []float64{Band5, Band10, Band15, 2500} {
		cov, err := tw.net.Coverage(limit)
		if err != nil {
			t.Fatalf("Coverage(%v): %v", limit, err)
		}
		total := cov.Total()
		if total.Households != tw.net.Households() || total.Buildings != len(tw.city.Buildings) {
			t.Errorf("Coverage(%v) total = %+v, want %d households in %d buildings", limit, total, tw.net.Households(), len(tw.city.Buildings))
		}
		for _, level := range []geo.Level{geo.LevelCity, geo.LevelDistrict, geo.LevelSubdistrict, geo.LevelCommunity, geo.LevelGrid} {
			units, err := cov.Units(level)
			if err != nil {
				t.Fatalf("Units(%v): %v", level, err)
			}
			var sum Tally
			for _, u := range units {
				if u.HouseholdsCovered+u.HouseholdsUncovered() != u.Households || u.BuildingsCovered+u.BuildingsUncovered() != u.Buildings {
					t.Errorf("unit %s: covered + uncovered != total in %+v", u.Code(), u.Tally)
				}
				sum.add(u.Tally)
			}
			if sum != total {
				t.Errorf("Coverage(%v) level %v sums to %+v, want %+v", limit, level, sum, total)
			}
		}
	}
}

func TestCoverageMatchesReferenceDistances(t *testing.T) {
	tw := newTown(t)
	ref := newRefGraph(tw.g)
	cov, err := tw.net.Coverage(Band15)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	var dists []map[int]float64
	var snaps []Snap
	for _, src := range cov.Sources {
		dists = append(dists, ref.dijkstra(ref.seeds(src.Snap), math.Inf(1)))
		snaps = append(snaps, src.Snap)
	}
	covered := 0
	for i, b := range tw.city.Buildings {
		got := cov.Building(i)
		bs, ok := tw.net.BuildingSnap(i)
		want := math.Inf(1)
		for k := range dists {
			if ok {
				want = math.Min(want, ref.target(dists[k], snaps[k], bs))
			}
		}
		if got.DistanceMeters != want {
			t.Errorf("building %d: distance %v, reference %v", b.ID, got.DistanceMeters, want)
		}
		if got.Covered != (want <= Band15) {
			t.Errorf("building %d: covered %v at %v m", b.ID, got.Covered, want)
		}
		if got.Covered {
			covered += b.Households
			if got.Station == nil || ref.target(dists[got.Source], snaps[got.Source], bs) != want {
				t.Errorf("building %d credited to source %d, which is not nearest", b.ID, got.Source)
			}
		}
	}
	if covered != cov.Total().HouseholdsCovered {
		t.Errorf("covered households = %d, total says %d", covered, cov.Total().HouseholdsCovered)
	}
	if covered == 0 || covered == tw.net.Households() {
		t.Errorf("covered households = %d of %d: the town should be partly covered", covered, tw.net.Households())
	}
}

func TestCoverageAgreesWithStationReaches(t *testing.T) {
	tw := newTown(t)
	cov, err := tw.net.Coverage(Band10)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	union := map[int]bool{}
	for _, st := range tw.city.Stations {
		r, err := tw.net.StationReach(st.ID, Band10)
		if errors.Is(err, ErrOffNetwork) {
			continue
		}
		if err != nil {
			t.Fatalf("StationReach(%d): %v", st.ID, err)
		}
		for _, b := range r.Buildings {
			union[b.Index] = true
		}
	}
	for i := range tw.city.Buildings {
		if got := cov.Building(i).Covered; got != union[i] {
			t.Errorf("building %d: Coverage says covered=%v, station reaches say %v", i, got, union[i])
		}
	}
}

func TestGapsWorstFirst(t *testing.T) {
	tw := newTown(t)
	cov, err := tw.net.Coverage(Band10)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	gaps := cov.Gaps(0, 0)
	if len(gaps.Buildings) != cov.Total().BuildingsUncovered() {
		t.Errorf("gap buildings = %d, uncovered = %d", len(gaps.Buildings), cov.Total().BuildingsUncovered())
	}
	if !slices.IsSortedFunc(gaps.Buildings, func(a, b BuildingGap) int { return b.Building.Households - a.Building.Households }) {
		t.Errorf("gap buildings not sorted by households, most first")
	}
	if !slices.IsSortedFunc(gaps.Grids, func(a, b UnitCoverage) int { return b.HouseholdsUncovered() - a.HouseholdsUncovered() }) {
		t.Errorf("gap grids not sorted by uncovered households, most first")
	}
	offSeen := false
	for _, b := range gaps.Buildings {
		offSeen = offSeen || b.OffNetwork
	}
	if !offSeen {
		t.Errorf("the off-network building is missing from the gaps")
	}
	top := cov.Gaps(3, 2)
	if len(top.Buildings) != 3 || len(top.Grids) != 2 || top.Buildings[0] != gaps.Buildings[0] {
		t.Errorf("Gaps(3, 2) = %d buildings, %d grids, want the first 3 and 2", len(top.Buildings), len(top.Grids))
	}
}

func TestCoverageWithSiteAndErrors(t *testing.T) {
	tw := newTown(t)
	base, err := tw.net.Coverage(Band5)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	more, err := tw.net.CoverageWith([]orb.Point{at(900, 900)}, Band5)
	if err != nil {
		t.Fatalf("CoverageWith: %v", err)
	}
	if more.Total().HouseholdsCovered <= base.Total().HouseholdsCovered {
		t.Errorf("a site at (900, 900) covers %d households, no more than %d without it", more.Total().HouseholdsCovered, base.Total().HouseholdsCovered)
	}
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"limit too small", func() error { _, err := tw.net.Coverage(0.5); return err }, ErrLimitRange},
		{"site off the network", func() error { _, err := tw.net.CoverageWith([]orb.Point{at(-3000, 0)}, Band15); return err }, ErrOffNetwork},
		{"unknown building", func() error { _, err := base.BuildingByID(1 << 40); return err }, ErrUnknownBuilding},
		{"bad level", func() error { _, err := base.Units(geo.Level(9)); return err }, geo.ErrBadCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(); !errors.Is(err, c.want) {
				t.Errorf("error = %v, want %v", err, c.want)
			}
		})
	}
	gc, _ := geo.NewGridCode(520201001004, 1)
	if tl, ok := base.GridTally(gc); !ok || tl.Buildings == 0 {
		t.Errorf("GridTally(%s) = %+v, %v; want buildings", gc, tl, ok)
	}
}

func TestNearestStation(t *testing.T) {
	tw := newTown(t)
	cov, err := tw.net.Coverage(Band15)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	for i, b := range tw.city.Buildings {
		got, err := tw.net.NearestStationToBuilding(b.ID)
		if _, ok := tw.net.BuildingSnap(i); !ok {
			if !errors.Is(err, ErrOffNetwork) {
				t.Errorf("building %d off the network: error %v, want ErrOffNetwork", b.ID, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("NearestStationToBuilding(%d): %v", b.ID, err)
		}
		want := cov.Building(i)
		if math.Abs(got.DistanceMeters-want.DistanceMeters) > 1e-6 {
			t.Errorf("building %d: nearest %v m, coverage says %v m", b.ID, got.DistanceMeters, want.DistanceMeters)
		}
	}
	near, err := tw.net.NearestStation(at(3150, 30))
	if err != nil || near.Station.ID != 4 {
		t.Errorf("NearestStation on the fragment = %+v, %v; want station 4", near, err)
	}
	if _, err := tw.net.NearestStationToBuilding(1 << 40); !errors.Is(err, ErrUnknownBuilding) {
		t.Errorf("unknown building: error %v, want ErrUnknownBuilding", err)
	}
	if _, err := tw.net.NearestStation(at(5000, 5000)); !errors.Is(err, ErrOffNetwork) {
		t.Errorf("far point: error %v, want ErrOffNetwork", err)
	}
	streets := append(townStreets(), &geo.Street{ID: 999, Line: line(2000, 2000, 2100, 2000)})
	g, err := FromStreets(streets)
	if err != nil {
		t.Fatalf("FromStreets: %v", err)
	}
	net, err := New(tw.snap, g, Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := net.NearestStation(at(2050, 2010)); !errors.Is(err, ErrNoStation) {
		t.Errorf("fragment without a station: error %v, want ErrNoStation", err)
	}
}
