package edit

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// A ProblemCode names the kind of a validation problem. It is stable and
// meant for clients to switch on.
type ProblemCode string

// The problem codes. All are errors except CodeHouseholds, which is a
// warning.
const (
	// CodeOverlap: two sibling grids overlap by more than the tolerance.
	CodeOverlap ProblemCode = "overlap"
	// CodeGap: part of the community is left in no grid.
	CodeGap ProblemCode = "gap"
	// CodeSelfIntersection: a polygon's rings cross or touch themselves or
	// each other, or a hole lies outside its shell.
	CodeSelfIntersection ProblemCode = "self_intersection"
	// CodeSpike: a ring turns back on itself along an edge.
	CodeSpike ProblemCode = "spike"
	// CodeEmptyRing: a polygon without rings or a ring without points.
	CodeEmptyRing ProblemCode = "empty_ring"
	// CodeDegenerateRing: a ring with fewer than 3 distinct points or no area.
	CodeDegenerateRing ProblemCode = "degenerate_ring"
	// CodeUnclosedRing: a ring whose last point is not its first.
	CodeUnclosedRing ProblemCode = "unclosed_ring"
	// CodeOutsideCommunity: a grid reaches outside its community.
	CodeOutsideCommunity ProblemCode = "outside_community"
	// CodeWrongCommunity: a grid or code named belongs to another community.
	CodeWrongCommunity ProblemCode = "wrong_community"
	// CodeUnknownGrid: a grid code names no current grid.
	CodeUnknownGrid ProblemCode = "unknown_grid"
	// CodeUnknownCommunity: a division code names no community.
	CodeUnknownCommunity ProblemCode = "unknown_community"
	// CodeNotNeighbours: grids that must share a boundary do not.
	CodeNotNeighbours ProblemCode = "not_neighbours"
	// CodeNoCut: a line does not divide the area it must divide.
	CodeNoCut ProblemCode = "no_cut"
	// CodeEmptyGrid: an edit would leave a grid with no area.
	CodeEmptyGrid ProblemCode = "empty_grid"
	// CodeDuplicateGrid: the same grid or code is named twice.
	CodeDuplicateGrid ProblemCode = "duplicate_grid"
	// CodeCodeTaken: a requested code is held by another grid or was
	// retired (retired codes are never reused).
	CodeCodeTaken ProblemCode = "code_taken"
	// CodePartCount: the codes or names given for a split do not match
	// the number of parts.
	CodePartCount ProblemCode = "part_count"
	// CodeCodesExhausted: the community has no free grid sequence left.
	CodeCodesExhausted ProblemCode = "codes_exhausted"
	// CodeBuildingUnassigned: a building would lie in no grid.
	CodeBuildingUnassigned ProblemCode = "building_unassigned"
	// CodeBuildingAmbiguous: a building would lie in more than one grid.
	CodeBuildingAmbiguous ProblemCode = "building_ambiguous"
	// CodeGeometryFailure: a geometric operation failed on the input.
	CodeGeometryFailure ProblemCode = "geometry_failure"
	// CodeHouseholds (a warning): a grid's households fall outside the
	// 300-500 convention.
	CodeHouseholds ProblemCode = "households_out_of_range"
)

// A Problem is one validation finding: what, where, and the offending area.
type Problem struct {
	// Code says what kind of problem it is.
	Code ProblemCode
	// Message describes it for people, naming grids and areas in m².
	Message string
	// Grids are the codes of the grids involved, if any.
	Grids []geo.GridCode
	// Geometry is the offending area, point or ring in WGS-84, or nil.
	Geometry orb.Geometry
	// AreaM2 is the offending area in square meters, when it has one.
	AreaM2 float64
}

// String formats the problem as "code: message".
func (p Problem) String() string { return string(p.Code) + ": " + p.Message }

// problemJSON is the wire form of a Problem.
type problemJSON struct {
	Code     ProblemCode       `json:"code"`
	Message  string            `json:"message"`
	Grids    []string          `json:"grids,omitempty"`
	AreaM2   float64           `json:"area_m2,omitempty"`
	Geometry *geojson.Geometry `json:"geometry,omitempty"`
}

// MarshalJSON writes the problem with its grids as 15-digit strings and its
// geometry as a GeoJSON geometry object.
func (p Problem) MarshalJSON() ([]byte, error) {
	w := problemJSON{Code: p.Code, Message: p.Message, AreaM2: p.AreaM2}
	for _, g := range p.Grids {
		w.Grids = append(w.Grids, g.String())
	}
	if p.Geometry != nil {
		w.Geometry = geojson.NewGeometry(p.Geometry)
	}
	return json.Marshal(w)
}

// A problemList collects errors and warnings while an edit is planned.
type problemList struct {
	errs, warns []Problem
}

// add records an error.
func (l *problemList) add(code ProblemCode, geom orb.Geometry, grids []geo.GridCode, format string, args ...any) {
	l.errs = append(l.errs, Problem{Code: code, Message: fmt.Sprintf(format, args...), Grids: grids, Geometry: geom})
}

// addArea records an error with an offending area in m².
func (l *problemList) addArea(code ProblemCode, geom orb.Geometry, areaM2 float64, grids []geo.GridCode, format string, args ...any) {
	l.add(code, geom, grids, format, args...)
	l.errs[len(l.errs)-1].AreaM2 = areaM2
}

// warn records a warning.
func (l *problemList) warn(code ProblemCode, grids []geo.GridCode, format string, args ...any) {
	l.warns = append(l.warns, Problem{Code: code, Message: fmt.Sprintf(format, args...), Grids: grids})
}

// failed reports whether any error was recorded.
func (l *problemList) failed() bool { return len(l.errs) > 0 }

// codeList formats grid codes for messages.
func codeList(cs []geo.GridCode) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}
