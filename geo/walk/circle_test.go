package walk

import (
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"
)

// toSF converts to simplefeatures, which validates the geometry.
func toSF(t *testing.T, mp orb.MultiPolygon) geom.Geometry {
	t.Helper()
	b, err := wkb.Marshal(mp)
	if err != nil {
		t.Fatalf("wkb.Marshal: %v", err)
	}
	g, err := geom.UnmarshalWKB(b)
	if err != nil {
		t.Fatalf("invalid polygon: %v", err)
	}
	return g
}

// areaMeters2 returns a ring's area in square meters, signed (CCW positive).
func areaMeters2(r orb.Ring) float64 {
	ky := orb.EarthRadius * math.Pi / 180
	kx := ky * math.Cos(r.Bound().Center()[1]*math.Pi/180)
	return planar.Area(r) * kx * ky
}

// checkBands checks one set of nested band polygons.
func checkBands(t *testing.T, net *Network, r *Reach, bands []float64, polys []orb.MultiPolygon) {
	t.Helper()
	minHole := net.Options().Circle.MinHoleAreaMeters2
	var prev geom.Geometry
	for i, mp := range polys {
		if len(mp) == 0 {
			t.Fatalf("band %v: empty polygon", bands[i])
		}
		sf := toSF(t, mp)
		for _, p := range mp {
			if p[0].Orientation() != orb.CCW {
				t.Errorf("band %v: outer ring not counter-clockwise", bands[i])
			}
			for _, h := range p[1:] {
				if h.Orientation() != orb.CW {
					t.Errorf("band %v: hole not clockwise", bands[i])
				}
				if a := -areaMeters2(h); a < minHole*0.95 {
					t.Errorf("band %v: hole of %.0f m² below the %.0f m² fill threshold", bands[i], a, minHole)
				}
			}
		}
		if i > 0 {
			ok, err := geom.Contains(sf, prev)
			if err != nil {
				t.Fatalf("Contains: %v", err)
			}
			if !ok {
				diff, _ := geom.Difference(prev, sf)
				t.Errorf("band %v does not contain band %v (difference area %.3g deg²)", bands[i], bands[i-1], diff.Area())
			}
		}
		prev = sf
		for _, src := range r.Sources {
			if !planar.MultiPolygonContains(mp, src.Point) {
				t.Errorf("band %v: source %v outside its circle", bands[i], src.Point)
			}
		}
		for _, nr := range r.Nodes {
			if nr.DistanceMeters <= bands[i]-1 && !planar.MultiPolygonContains(mp, net.Graph().Node(int(nr.Node))) {
				t.Errorf("band %v: node %d reached at %.1f m lies outside", bands[i], nr.Node, nr.DistanceMeters)
			}
		}
	}
}

func TestStationCirclesValidAndNested(t *testing.T) {
	tw := newTown(t)
	bands := Bands()
	for _, st := range tw.city.Stations[:4] {
		r, err := tw.net.StationReach(st.ID, Band15)
		if err != nil {
			t.Fatalf("StationReach(%d): %v", st.ID, err)
		}
		polys, err := tw.net.Circle(r, bands...)
		if err != nil {
			t.Fatalf("Circle: %v", err)
		}
		checkBands(t, tw.net, r, bands, polys)
		again, _ := tw.net.Circle(r, bands...)
		if !reflect.DeepEqual(polys, again) {
			t.Errorf("station %d: circle differs between two calls", st.ID)
		}
	}
}

func TestWhatIfCirclesValidAndNested(t *testing.T) {
	tw := newTown(t)
	rng := testRand(t)
	for k := 0; k < 25; k++ {
		p := at(rng.Float64()*1000, rng.Float64()*1000)
		limit := 200 + rng.Float64()*2300
		bands := []float64{limit * 0.3, limit * 0.6, limit}
		r, err := tw.net.PointReach(p, limit)
		if err != nil {
			t.Fatalf("PointReach(%v): %v", p, err)
		}
		polys, err := tw.net.Circle(r, bands...)
		if err != nil {
			t.Fatalf("Circle: %v", err)
		}
		checkBands(t, tw.net, r, bands, polys)
	}
}

func TestCircleFillsBlocksButKeepsLargeHoles(t *testing.T) {
	tw := newTown(t)
	r, err := tw.net.PointReach(at(500, 500), 2000)
	if err != nil {
		t.Fatalf("PointReach: %v", err)
	}
	polys, err := tw.net.Circle(r)
	if err != nil {
		t.Fatalf("Circle: %v", err)
	}
	checkBands(t, tw.net, r, []float64{2000}, polys)
	// The whole lattice is reached: 100 m blocks are filled, and the
	// fragment 2 km away is not reached, so one polygon with no hole.
	if len(polys[0]) != 1 || len(polys[0][0]) != 1 {
		t.Errorf("lattice circle has %d polygons, first with %d rings; want 1 polygon without holes", len(polys[0]), len(polys[0][0]))
	}
	opt := Options{Circle: CircleOptions{BufferMeters: 20, TaperSlope: 1000, MinHoleAreaMeters2: 1}}
	fine, err := New(tw.snap, tw.g, opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	holey, err := fine.Circle(r)
	if err != nil {
		t.Fatalf("Circle: %v", err)
	}
	checkBands(t, fine, r, []float64{2000}, holey)
	if len(holey[0][0]) < 2 {
		t.Errorf("with holes kept, the lattice circle has %d rings, want the blocks as holes", len(holey[0][0]))
	}
}

func TestCircleErrors(t *testing.T) {
	tw := newTown(t)
	r, err := tw.net.StationReach(1, Band10)
	if err != nil {
		t.Fatalf("StationReach: %v", err)
	}
	for _, band := range []float64{0, Band15, math.NaN()} {
		if _, err := tw.net.Circle(r, band); err == nil {
			t.Errorf("Circle(band %v) of a %v m reach: no error", band, Band10)
		}
	}
	if _, err := tw.net.Circle(nil); err == nil {
		t.Errorf("Circle(nil): no error")
	}
}
