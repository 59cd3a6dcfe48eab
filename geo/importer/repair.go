package importer

import (
	"bytes"
	"fmt"

	"github.com/gridmap/gridmap/geo/repair"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Tolerances are the topology repair's tolerances (package repair's
// Options, which documents each rule); zero fields take the defaults.
type Tolerances struct {
	// SnapM is how close, in metres, vertices are snapped together (0.5).
	SnapM float64
	// GapM2 is the largest gap filled, in m² (200).
	GapM2 float64
	// SliverM2 and SliverWidthM define a sliver dropped into a neighbour:
	// a detached piece smaller than SliverM2 (50 m²) or thinner than
	// SliverWidthM (1 m).
	SliverM2, SliverWidthM float64
	// MaxOutside is the share of a grid's area that may lie outside its
	// community and be cut off (0.5); more is a fault.
	MaxOutside float64
}

// DefaultTolerances are the tolerances used for zero fields.
var DefaultTolerances = Tolerances{SnapM: 0.5, GapM2: 200, SliverM2: 50, SliverWidthM: 1, MaxOutside: 0.5}

func (t Tolerances) withDefaults() Tolerances {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&t.SnapM, DefaultTolerances.SnapM)
	def(&t.GapM2, DefaultTolerances.GapM2)
	def(&t.SliverM2, DefaultTolerances.SliverM2)
	def(&t.SliverWidthM, DefaultTolerances.SliverWidthM)
	def(&t.MaxOutside, DefaultTolerances.MaxOutside)
	return t
}

// Validate reports a negative or non-finite tolerance.
func (t Tolerances) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"snap", t.SnapM}, {"gap", t.GapM2}, {"sliver area", t.SliverM2}, {"sliver width", t.SliverWidthM}, {"max outside", t.MaxOutside}} {
		if !(f.v >= 0) || f.v > 1e12 {
			return fmt.Errorf("importer: repair tolerance %s = %v, want a finite value >= 0", f.name, f.v)
		}
	}
	if t.MaxOutside > 1 {
		return fmt.Errorf("importer: repair tolerance max outside = %v, want at most 1", t.MaxOutside)
	}
	return nil
}

// repairInput is what the repair gets: grids keyed by code, with their
// community, and the community boundaries the data has.
type repairInput struct {
	grids       []repair.Grid
	communities []repair.Community
	opts        repair.Options
}

// repairOutput is the repaired layout.
type repairOutput struct {
	grids       []gridOut
	communities map[geo.DivisionCode]orb.MultiPolygon
	records     []RepairRecord
	geojson     []byte
}

type gridOut struct {
	code geo.GridCode
	comm geo.DivisionCode
	geom orb.MultiPolygon
}

// options converts the tolerances to the repair's options.
func (t Tolerances) options() repair.Options {
	return repair.Options{SnapM: t.SnapM, GapM2: t.GapM2, SliverM2: t.SliverM2, SliverWidthM: t.SliverWidthM, MaxOutside: t.MaxOutside}
}

// repairGrids runs package repair and converts its result: keys back to
// codes, repairs to records, and the repairs' GeoJSON.
func repairGrids(in repairInput) (*repairOutput, error) {
	res, err := repair.Grids(in.grids, in.communities, in.opts)
	if err != nil {
		return nil, err
	}
	out := &repairOutput{communities: map[geo.DivisionCode]orb.MultiPolygon{}}
	for _, g := range res.Grids {
		code, err := geo.ParseGridCode(g.Key)
		if err != nil {
			return nil, fmt.Errorf("importer: repair returned grid key %q: %w", g.Key, err)
		}
		out.grids = append(out.grids, gridOut{code: code, comm: code.Community(), geom: g.Geometry})
	}
	for _, c := range res.Communities {
		if code, err := geo.ParseDivisionCode(c.Key); err == nil {
			out.communities[code] = c.Geometry
		}
	}
	for _, r := range res.Repairs {
		out.records = append(out.records, RepairRecord{Kind: string(r.Kind), Grids: r.Grids, Where: r.At,
			AreaM2: r.AreaM2, MovedM: r.MoveM, Detail: r.Note})
	}
	var buf bytes.Buffer
	if err := repair.WriteGeoJSON(&buf, res.Repairs, nil); err != nil {
		return nil, err
	}
	out.geojson = buf.Bytes()
	return out, nil
}
