package cityio

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo/ingest"
)

// ErrInvalid is matched (errors.Is) by every *ValidationError: the data
// was read but breaks the format or the model's rules.
var ErrInvalid = errors.New("cityio: invalid city data")

// ErrUnknownLayer is returned (wrapped) by ParseLayer and WriteLayer for a
// name that is not a feature layer.
var ErrUnknownLayer = errors.New("cityio: unknown layer")

// A Problem is one fault found in a city: where it is and what is wrong.
type Problem struct {
	// Layer is the file the fault is in (LayerCity for city.json).
	Layer Layer
	// Feature names the feature at fault: a unit's short code, a grid's
	// 15-digit code, or a building, station or street id. It is "#n" (the
	// 0-based feature index in the file) when the feature has no readable
	// identity, and empty for a fault of the whole file.
	Feature string
	// Fault says what is wrong, for example "overlaps sibling grid 520201011001004".
	Fault string
}

// String formats the problem as "layer feature: fault".
func (p Problem) String() string {
	if p.Feature == "" {
		return string(p.Layer) + ": " + p.Fault
	}
	return string(p.Layer) + " " + p.Feature + ": " + p.Fault
}

// A ValidationError lists every problem found in a city. Reading and
// validation collect all problems before refusing the data.
type ValidationError struct {
	Problems []Problem
}

// Error lists the first problems and counts the rest (ingest.ListFaults).
func (e *ValidationError) Error() string {
	return ingest.ListFaults(ErrInvalid, "problem", len(e.Problems), func(i int) string { return e.Problems[i].String() })
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// problems collects faults for one pass.
type problems struct {
	list []Problem
}

func (ps *problems) add(l Layer, feature, fault string) {
	ps.list = append(ps.list, Problem{Layer: l, Feature: feature, Fault: fault})
}

func (ps *problems) addf(l Layer, feature, format string, args ...any) {
	ps.add(l, feature, fmt.Sprintf(format, args...))
}

func (ps *problems) merge(other []Problem) { ps.list = append(ps.list, other...) }

// err returns nil when no problem was found, else a *ValidationError with
// the problems ordered by layer (stable within a layer).
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := slices.Clone(ps.list)
	slices.SortStableFunc(list, func(a, b Problem) int { return cmp.Compare(a.Layer.rank(), b.Layer.rank()) })
	return &ValidationError{Problems: list}
}
