package cityio

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A FeatureEncoder appends single features exactly as WriteLayer writes
// them (same id, property set and order, ring orientation), optionally
// with the coordinates mapped to another coordinate system. It is how
// other outputs (the OGC API items) stay consistent with the export. A
// FeatureEncoder is not safe for concurrent use.
type FeatureEncoder struct {
	e encoder
}

// NewFeatureEncoder returns an encoder whose positions are mapped by proj
// (from snapped WGS-84 lon/lat to the output's coordinates, in the
// output's axis order) and whose coordinates are rounded by round. A nil
// proj writes WGS-84 as WriteLayer does; a nil round keeps the full
// precision of proj's result.
func NewFeatureEncoder(proj func(orb.Point) orb.Point, round func(float64) float64) *FeatureEncoder {
	if proj != nil && round == nil {
		round = func(v float64) float64 { return v }
	}
	return &FeatureEncoder{e: encoder{proj: proj, round: round}}
}

// Err returns the first non-finite coordinate met, if any, and forgets it.
func (f *FeatureEncoder) Err() error {
	err := f.e.err
	f.e.err = nil
	return err
}

// start lends b to the encoder; done takes it back.
func (f *FeatureEncoder) start(b []byte) *encoder { f.e.buf = b; return &f.e }

func (f *FeatureEncoder) done() []byte {
	b := f.e.buf
	f.e.buf = nil
	return b
}

// AppendUnit appends u as a feature of units.geojson.
func (f *FeatureEncoder) AppendUnit(b []byte, u *geo.Unit) []byte {
	f.start(b).unit(u)
	return f.done()
}

// AppendGrid appends g as a feature of grids.geojson.
func (f *FeatureEncoder) AppendGrid(b []byte, g *geo.Grid) []byte {
	f.start(b).grid(g)
	return f.done()
}

// AppendBuilding appends bl as a feature of buildings.geojson.
func (f *FeatureEncoder) AppendBuilding(b []byte, bl *geo.Building) []byte {
	f.start(b).building(bl)
	return f.done()
}

// AppendStation appends s as a feature of stations.geojson.
func (f *FeatureEncoder) AppendStation(b []byte, s *geo.Station) []byte {
	f.start(b).station(s)
	return f.done()
}

// AppendStreet appends s as a feature of streets.geojson.
func (f *FeatureEncoder) AppendStreet(b []byte, s *geo.Street) []byte {
	f.start(b).street(s)
	return f.done()
}
