package walk

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// The hand-built test town: a 1 km lattice of streets 100 m apart near
// Liupanshui, with a gap, a diagonal, a cul-de-sac, a detached fragment
// 2 km east, five communities of two grids (one of one), buildings 8-20 m
// off the streets, and five stations (one on the fragment, one off the
// network).
const (
	townLon = 104.83
	townLat = 26.59
)

// at converts meters east and north of the town's origin to WGS-84.
func at(x, y float64) orb.Point {
	ky := orb.EarthRadius * math.Pi / 180
	kx := ky * math.Cos(townLat*math.Pi/180)
	return orb.Point{townLon + x/kx, townLat + y/ky}
}

func line(xy ...float64) orb.LineString {
	var ls orb.LineString
	for i := 0; i+1 < len(xy); i += 2 {
		ls = append(ls, at(xy[i], xy[i+1]))
	}
	return ls
}

func townStreets() []*geo.Street {
	var ss []*geo.Street
	add := func(name, class string, ls orb.LineString) {
		ss = append(ss, &geo.Street{ID: geo.StreetID(len(ss) + 1), Name: name, Class: class, Line: ls})
	}
	for j := 0; j <= 10; j++ { // east-west streets in two halves, vertices every 50 m
		var a, b []float64
		for x := 0; x <= 1000; x += 50 {
			if x <= 500 {
				a = append(a, float64(x), float64(j*100))
			}
			if x >= 500 {
				b = append(b, float64(x), float64(j*100))
			}
		}
		add(fmt.Sprintf("东%d路", j), "secondary", line(a...))
		add(fmt.Sprintf("东%d路", j), "secondary", line(b...))
	}
	for i := 0; i <= 10; i++ { // north-south streets; street 5 has a gap 300-600
		var a, b []float64
		for y := 0; y <= 1000; y += 100 {
			switch {
			case i == 5 && y <= 300:
				a = append(a, float64(i*100), float64(y))
			case i == 5 && y >= 600:
				b = append(b, float64(i*100), float64(y))
			case i != 5:
				a = append(a, float64(i*100), float64(y))
			}
		}
		add(fmt.Sprintf("北%d街", i), "tertiary", line(a...))
		if len(b) > 0 {
			add(fmt.Sprintf("北%d街", i), "tertiary", line(b...))
		}
	}
	add("斜街", "alley", line(0, 0, 100, 100, 150, 150, 200, 200, 300, 300))
	add("死胡同", "alley", line(1000, 500, 1150, 520, 1200, 600))
	add("远街", "primary", line(3000, 0, 3200, 0, 3200, 200))
	return ss
}

// townGrid says which community (1-5) and grid (1-2) holds a point.
func townGrid(x, y float64) (community, grid int) {
	switch {
	case x >= 2500:
		return 5, 1
	case x < 600 && y < 500:
		community = 1
	case y < 500:
		community = 2
	case x < 600:
		community = 3
	default:
		community = 4
	}
	split := 300.0
	if x >= 600 {
		split = 950
	}
	if x < split {
		return community, 1
	}
	return community, 2
}

func rect(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}}}
}

func townUnits() ([]*geo.Unit, []*geo.Grid) {
	units := []*geo.Unit{
		{Code: 520200000000, Name: "六盘水市"},
		{Code: 520201000000, Name: "钟山区"},
		{Code: 520201001000, Name: "荷城街道"},
	}
	xs := [][2]float64{{-200, 300}, {300, 600}, {600, 950}, {950, 1400}}
	var grids []*geo.Grid
	for c := 1; c <= 5; c++ {
		code := geo.DivisionCode(520201001000 + c)
		units = append(units, &geo.Unit{Code: code, Name: fmt.Sprintf("第%d社区居民委员会", c)})
		for k := 1; k <= 2; k++ {
			var g orb.MultiPolygon
			switch {
			case c == 5 && k == 2:
				continue
			case c == 5:
				g = rect(2500, -200, 3500, 500)
			default:
				x := xs[k-1+2*((c-1)%2)]
				y0, y1 := -200.0, 500.0
				if c >= 3 {
					y0, y1 = 500, 2000
				}
				g = rect(x[0], y0, x[1], y1)
			}
			gc, _ := geo.NewGridCode(code, k)
			grids = append(grids, &geo.Grid{ID: geo.GridID(len(grids) + 1), Code: gc, Name: fmt.Sprintf("第%d社区第%d网格", c, k), Geometry: g, Bound: g.Bound()})
		}
	}
	return units, grids
}

// townBuildings puts buildings 8-20 m off the lattice streets, a few on
// the fragment and one 800 m from any street.
func townBuildings() []*geo.Building {
	rng := rand.New(rand.NewPCG(7, 11))
	var bs []*geo.Building
	add := func(x, y float64) {
		c, k := townGrid(x, y)
		gc, _ := geo.NewGridCode(geo.DivisionCode(520201001000+c), k)
		bs = append(bs, &geo.Building{ID: geo.BuildingID(len(bs) + 1), Point: at(x, y), Households: 5 + rng.IntN(115), Floors: 6, Units: 2, Grid: gc})
	}
	side := func() float64 {
		d := 8 + rng.Float64()*12
		if rng.IntN(2) == 0 {
			return -d
		}
		return d
	}
	for j := 0; j <= 10; j++ {
		for i := 0; i < 10; i++ {
			for n := rng.IntN(3); n > 0; n-- {
				add(float64(i*100)+10+rng.Float64()*80, float64(j*100)+side())
				if j != 5 || i < 3 || i > 5 { // no street along the gap
					add(float64(j*100)+side(), float64(i*100)+10+rng.Float64()*80)
				}
			}
		}
	}
	add(3100, 12)
	add(3190, 150)
	add(600, 1800) // off the network
	return bs
}

func townStations() []*geo.Station {
	mk := func(id int, kind geo.StationKind, c int, x, y float64) *geo.Station {
		return &geo.Station{ID: geo.StationID(id), Kind: kind, Name: fmt.Sprintf("站%d", id), Unit: geo.DivisionCode(520201001000 + c), Point: at(x, y)}
	}
	return []*geo.Station{
		mk(1, geo.StationCommunity, 1, 120, 110),
		mk(2, geo.StationCommunity, 2, 760, 240),
		mk(3, geo.StationCentre, 3, 330, 880),
		mk(4, geo.StationCommunity, 5, 3100, 15),
		mk(5, geo.StationCommunity, 3, 600, 1850), // off the network
	}
}

// A town bundles the test town's city, snapshot, graph and network.
type town struct {
	city *geo.City
	snap *geo.Snapshot
	g    *Graph
	net  *Network
}

func newTown(t testing.TB) *town {
	t.Helper()
	units, grids := townUnits()
	c := &geo.City{Code: 520200000000, Name: "六盘水市", Province: "贵州省", Units: units, Grids: grids,
		Buildings: townBuildings(), Stations: townStations(), Streets: townStreets()}
	snap, err := geo.NewSnapshot(c, 1)
	if err != nil {
		t.Fatalf("NewSnapshot: %v", err)
	}
	g, err := FromStreets(c.Streets)
	if err != nil {
		t.Fatalf("FromStreets: %v", err)
	}
	net, err := New(snap, g, Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &town{city: c, snap: snap, g: g, net: net}
}

// testRand returns a generator seeded from SEED or the clock, and logs the
// seed so a failure can be replayed with SEED=<seed>.
func testRand(t testing.TB) *rand.Rand {
	t.Helper()
	seed := uint64(rand.Uint32())
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with SEED=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
