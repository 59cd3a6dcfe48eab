package importer

import (
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

// pointOf returns a building's point: the point itself, or the interior
// point of a footprint (geo.InteriorPoint).
func pointOf(g orb.Geometry) (orb.Point, bool) {
	switch v := g.(type) {
	case orb.Point:
		return v, true
	case orb.MultiPoint:
		if len(v) > 0 {
			return v[0], true
		}
	case orb.Polygon:
		return geo.InteriorPoint(orb.MultiPolygon{v})
	case orb.MultiPolygon:
		return geo.InteriorPoint(v)
	}
	return orb.Point{}, false
}

// buildingCtx holds what placing buildings needs.
type buildingCtx struct {
	loc   *geo.Locator
	units map[geo.DivisionCode]*geo.Unit
	city  *geo.City
	rep   *Report
	fs    *faults
}

// readBuildings builds the buildings of layer l, placed in the grid that
// holds each point. Buildings outside every grid are skipped and listed.
func (bc *buildingCtx) readBuildings(l *ingest.Layer, cols *columns) []*geo.Building {
	var out []*geo.Building
	var ids []string
	var feats []*ingest.Feature
	for i := range l.Features {
		f := &l.Features[i]
		p, ok := pointOf(f.Geometry)
		if !ok {
			bc.fs.addf(l, f.Index, "building has %s and no coordinate columns, want a point or a footprint", geomName(f.Geometry))
			continue
		}
		g, ok := bc.loc.Locate(p)
		if !ok {
			bc.rep.Skipped = append(bc.rep.Skipped, fmt.Sprintf("%s feature %d: building at %.7f,%.7f is outside every grid", l.Source, f.Index, p[0], p[1]))
			continue
		}
		b := &geo.Building{ID: geo.BuildingID(len(out) + 1), Point: p, Grid: g.Code}
		b.Households, ok = bc.count(l, f, cols, "households")
		if !ok {
			bc.rep.Counts.HouseholdsUnknown++
		}
		b.Floors, _ = bc.count(l, f, cols, "floors")
		b.Units, _ = bc.count(l, f, cols, "units")
		out = append(out, b)
		feats = append(feats, f)
		ids = append(ids, cols.get(f, "id"))
	}
	bc.addresses(l, cols, out, feats)
	keepIDs(out, ids)
	return out
}

// addresses fills the buildings' addresses (feats[i] is bs[i]'s
// feature), parsing on every core, and lists the unparsed in order.
func (bc *buildingCtx) addresses(l *ingest.Layer, cols *columns, bs []*geo.Building, feats []*ingest.Feature) {
	unparsed := make([]*Unparsed, len(bs))
	grids := make([]*geo.Grid, len(bs))
	for i, b := range bs {
		grids[i], _ = bc.loc.Locate(b.Point)
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(bs); i += workers {
				bs[i].Address, unparsed[i] = bc.address(l, feats[i], cols, grids[i])
			}
		})
	}
	wg.Wait()
	for _, u := range unparsed {
		if u != nil {
			bc.rep.Unparsed = append(bc.rep.Unparsed, *u)
		}
	}
}

// keepIDs gives the buildings the data's own ids when they are all
// positive integers and distinct (else they keep their sequence numbers).
func keepIDs(bs []*geo.Building, ids []string) {
	nums := make([]uint64, len(ids))
	for i, s := range ids {
		nums[i], _ = strconv.ParseUint(s, 10, 64)
	}
	if ownIDs(len(bs), func(i int) uint64 { return nums[i] }) {
		for i, b := range bs {
			b.ID = geo.BuildingID(nums[i])
		}
	}
}

// count reads a non-negative integer attribute; false when absent or
// empty. A value that is not a count is a fault.
func (bc *buildingCtx) count(l *ingest.Layer, f *ingest.Feature, cols *columns, a string) (int, bool) {
	s := cols.get(f, a)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1e6 || v != math.Trunc(v) {
		bc.fs.addf(l, f.Index, "%s %q (column %s) is not a count", a, s, cols.chosen[a].Field)
		return 0, false
	}
	return int(v), true
}

// address builds a building's standard address: from part columns when
// the layer has them, else by parsing the address text. The division
// parts the address does not give are taken from the grid that holds
// the building. An address with text the parser could not place is
// listed in the report.
func (bc *buildingCtx) address(l *ingest.Layer, f *ingest.Feature, cols *columns, g *geo.Grid) (geo.Address, *Unparsed) {
	var a geo.Address
	var un *Unparsed
	text := cols.get(f, "address")
	if cols.get(f, "road") != "" || cols.get(f, "estate") != "" {
		a = geo.Address{Province: cols.get(f, "province"), City: cols.get(f, "city"), District: cols.get(f, "district"),
			Subdistrict: cols.get(f, "subdistrict"), Community: cols.get(f, "community"), Road: cols.get(f, "road"),
			Estate: cols.get(f, "estate"), Building: buildingNumber(cols.get(f, "building"))}
		a.Number, _ = strconv.Atoi(cols.get(f, "number"))
	} else if text != "" {
		p := address.Parse(text)
		a = geo.Address{Province: p.Province, City: p.City, District: p.District, Subdistrict: p.Subdistrict,
			Community: p.Community, Road: p.Road, Number: p.Number, Estate: p.Estate, Building: p.Building}
		if len(p.Rest) > 0 || (p.Road == "" && p.Estate == "") {
			un = &Unparsed{Source: l.Source, Feature: f.Index, Address: text, Rest: p.Rest}
		}
	}
	bc.fillDivisions(&a, g)
	return a, un
}

// fillDivisions fills the province, city, district, subdistrict and
// community an address leaves out from the grid's hierarchy.
func (bc *buildingCtx) fillDivisions(a *geo.Address, g *geo.Grid) {
	name := func(l geo.Level) string {
		if u := bc.units[g.Community().Ancestor(l)]; u != nil {
			return u.Name
		}
		return ""
	}
	fill := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	fill(&a.Province, bc.city.Province)
	fill(&a.City, bc.city.Name)
	fill(&a.District, name(geo.LevelDistrict))
	fill(&a.Subdistrict, name(geo.LevelSubdistrict))
	fill(&a.Community, geo.ShortUnitName(name(geo.LevelCommunity)))
}

// buildingNumber keeps a building column's value when it is a building
// number (3, 12-1, A, 甲): it has a digit or is at most two characters.
// OpenStreetMap's building tag (yes, apartments) is a kind, not a number.
func buildingNumber(s string) string {
	if strings.ContainsAny(s, "0123456789") || utf8.RuneCountInString(s) <= 2 {
		return s
	}
	return ""
}
