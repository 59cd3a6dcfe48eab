package importer

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Tolerances are the topology repair's tolerances (see package repair);
// zero fields take the defaults.
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

// A RepairInput is what a Repairer repairs: grids keyed by code, with
// their community, and the community boundaries the data has.
type RepairInput struct {
	Grids       []RepairGrid
	Communities map[geo.DivisionCode]orb.MultiPolygon
	Tolerances  Tolerances
}

// A RepairGrid is one grid to repair.
type RepairGrid struct {
	Code      geo.GridCode
	Community geo.DivisionCode
	Geometry  orb.MultiPolygon
}

// A RepairOutput is the repaired layout.
type RepairOutput struct {
	// Grids are the repaired grids (repeated features dropped).
	Grids []RepairGrid
	// Communities are the boundaries of every community, given or derived.
	Communities map[geo.DivisionCode]orb.MultiPolygon
	// Records list every change.
	Records []RepairRecord
	// GeoJSON is a FeatureCollection of the repairs for GIS tools (nil
	// when there is none).
	GeoJSON []byte
}

// A Repairer makes grids a partition of each community, or fails with
// the faults it cannot repair.
type Repairer func(in RepairInput) (*RepairOutput, error)

// noRepair is the Repairer used until one is given: it changes nothing
// and derives no community, so cityio's validation then reports what a
// repair would have had to fix.
func noRepair(in RepairInput) (*RepairOutput, error) {
	return &RepairOutput{Grids: in.Grids, Communities: in.Communities}, nil
}
