package cityio

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// bigCityShape sizes bigCity.
type bigCityShape struct {
	subdistricts int // per district (2 districts)
	communities  int // per subdistrict
	k            int // each community is k×k grids
	m            int // each grid side has m segments
	buildings    int // per grid
	streets      int
}

// fullShape is about the size of the real city: 2 × 14 × 9 communities
// of 9 grids (2,268 grids of 160 vertices), 36,000 buildings, 5,000 streets.
var fullShape = bigCityShape{subdistricts: 14, communities: 9, k: 3, m: 40, buildings: 16, streets: 5000}

// bigCity builds a large valid city for benchmarks and scale tests. Each
// community is a rectangle cut into k×k grids along wiggly, shared,
// vertex-identical lines.
func bigCity(tb testing.TB, seed uint64, s bigCityShape) *geo.City {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 0))
	c := &geo.City{Code: tCity, Name: "六盘水市", Province: "贵州省"}
	c.Units = append(c.Units, &geo.Unit{Code: tCity, Name: "六盘水市"})
	const commW, commH = 0.01, 0.008 // degrees
	var gridID geo.GridID
	var stationID geo.StationID
	for d := range 2 {
		dist := geo.DivisionCode(uint64(520201+2*d) * 1000000)
		c.Units = append(c.Units, &geo.Unit{Code: dist, Name: fmt.Sprintf("区%d", d)})
		for si := range s.subdistricts {
			sub := dist + geo.DivisionCode(uint64(si+1)*1000)
			stationID++
			x0, y0 := 104.5+float64(si)*commW, 26.3+float64(d*s.communities)*commH
			c.Units = append(c.Units, &geo.Unit{Code: sub, Name: fmt.Sprintf("街道%d-%d", d, si)})
			c.Stations = append(c.Stations, &geo.Station{ID: stationID, Kind: geo.StationCentre, Name: "中心", Unit: sub, Point: Snap(orb.Point{x0 + commW/2, y0 + commH/2})})
			for ci := range s.communities {
				comm := sub + geo.DivisionCode(ci+1)
				cy := y0 + float64(ci)*commH
				u, grids := bigCommunity(rng, comm, orb.Point{x0, cy}, commW, commH, s, &gridID)
				c.Units = append(c.Units, u)
				c.Grids = append(c.Grids, grids...)
				stationID++
				c.Stations = append(c.Stations, &geo.Station{ID: stationID, Kind: geo.StationCommunity, Name: "站", Unit: comm, Point: Snap(orb.Point{x0 + commW/3, cy + commH/3})})
			}
		}
	}
	c.Buildings = bigBuildings(rng, c.Grids, s.buildings)
	for i := range s.streets {
		p := orb.Point{104.5 + rng.Float64()*0.14, 26.3 + rng.Float64()*0.14}
		line := orb.LineString{Snap(p)}
		for range 4 {
			p = orb.Point{p[0] + rng.Float64()*0.001, p[1] + rng.Float64()*0.001}
			line = append(line, Snap(p))
		}
		c.Streets = append(c.Streets, &geo.Street{ID: geo.StreetID(i + 1), Name: fmt.Sprintf("路%d", i%300), Class: "alley", Line: line})
	}
	countGrids(c)
	Normalize(c)
	return c
}

// bigCommunity builds one community and its grids from a jittered lattice.
func bigCommunity(rng *rand.Rand, code geo.DivisionCode, o orb.Point, w, h float64, s bigCityShape, id *geo.GridID) (*geo.Unit, []*geo.Grid) {
	n := s.k * s.m
	dx, dy := w/float64(n), h/float64(n)
	pts := make([][]orb.Point, n+1)
	for i := range pts {
		pts[i] = make([]orb.Point, n+1)
		for j := range pts[i] {
			p := orb.Point{o[0] + float64(i)*dx, o[1] + float64(j)*dy}
			if i > 0 && i < n && j > 0 && j < n {
				p[0] += (rng.Float64() - 0.5) * dx / 3
				p[1] += (rng.Float64() - 0.5) * dy / 3
			}
			pts[i][j] = Snap(p)
		}
	}
	walk := func(i0, j0, i1, j1 int) orb.Ring { // CCW around the lattice box
		var r orb.Ring
		for i := i0; i < i1; i++ {
			r = append(r, pts[i][j0])
		}
		for j := j0; j < j1; j++ {
			r = append(r, pts[i1][j])
		}
		for i := i1; i > i0; i-- {
			r = append(r, pts[i][j1])
		}
		for j := j1; j > j0; j-- {
			r = append(r, pts[i0][j])
		}
		return append(r, r[0])
	}
	u := &geo.Unit{Code: code, Name: fmt.Sprintf("社区%d", code%1000), Geometry: orb.MultiPolygon{{walk(0, 0, n, n)}}}
	var grids []*geo.Grid
	seq := 0
	for b := s.k - 1; b >= 0; b-- { // north to south, then west to east
		for a := range s.k {
			seq++
			*id++
			gc, _ := geo.NewGridCode(code, seq)
			ring := walk(a*s.m, b*s.m, (a+1)*s.m, (b+1)*s.m)
			grids = append(grids, &geo.Grid{ID: *id, Code: gc, Name: fmt.Sprintf("第%d网格", seq), Geometry: orb.MultiPolygon{{ring}}})
		}
	}
	return u, grids
}

// bigBuildings places n buildings in the middle half of each grid, where
// the wiggly edges never reach.
func bigBuildings(rng *rand.Rand, grids []*geo.Grid, n int) []*geo.Building {
	var out []*geo.Building
	for _, g := range grids {
		b := g.Geometry.Bound()
		for range n {
			p := orb.Point{
				b.Min[0] + (0.25+rng.Float64()/2)*(b.Max[0]-b.Min[0]),
				b.Min[1] + (0.25+rng.Float64()/2)*(b.Max[1]-b.Min[1]),
			}
			id := geo.BuildingID(len(out) + 1)
			a := geo.Address{Province: "贵州省", City: "六盘水市", District: "钟山区", Subdistrict: "荷城街道",
				Community: "钟环社区", Road: "人民中路", Number: int(id), Estate: "凉都花园", Building: fmt.Sprint(id % 40)}
			out = append(out, &geo.Building{ID: id, Point: Snap(p), Address: a, Households: 10 + rng.IntN(50), Floors: 6, Units: 2, Grid: g.Code})
		}
	}
	return out
}

func TestBigCityRoundTrip(t *testing.T) {
	shape := bigCityShape{subdistricts: 2, communities: 3, k: 3, m: 10, buildings: 5, streets: 50}
	if !testing.Short() {
		shape.subdistricts = 4
	}
	c := bigCity(t, 1, shape)
	if err := Validate(c); err != nil {
		t.Fatalf("Validate(bigCity) = %v", err)
	}
	dir := t.TempDir()
	if err := Write(dir, c); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got.Grids) != len(c.Grids) || firstDiff(got, c) != "no difference found" {
		t.Errorf("Read(Write(bigCity)) differs:\n%s", firstDiff(got, c))
	}
}
