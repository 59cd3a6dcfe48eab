package repair

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// A Grid is one grid as digitised: a stable key (its code, or the
// feature's id), the key of its community, and its area in WGS-84
// lon/lat, possibly invalid.
type Grid struct {
	// Key identifies the grid; a key given twice with the same shape is a
	// repeated feature (dropped), with different shapes a fault.
	Key string
	// Community is the key of the grid's community.
	Community string
	// Geometry is the grid's area; rings may run either way, repeat
	// points, cross themselves or be left open.
	Geometry orb.MultiPolygon
}

// A Community is a community's boundary, when the data has one.
type Community struct {
	// Key identifies the community, as Grid.Community does.
	Key string
	// Geometry is the community's area in WGS-84 lon/lat.
	Geometry orb.MultiPolygon
}

// OverlapRule says which grid gets an area that several grids claim.
type OverlapRule uint8

const (
	// LongestBorder gives an overlap to the claimant that shares the
	// longest border with it (the least change to either outline).
	LongestBorder OverlapRule = iota
	// LargestGrid gives an overlap to the claimant with the largest
	// original area.
	LargestGrid
)

// Options are the repair's tolerances. The zero value means the defaults.
type Options struct {
	// SnapM is how close, in metres, vertices are snapped to each other
	// and onto nearby edges (default 0.5).
	SnapM float64
	// GapM2 is the largest gap, in m², that is filled (default 200);
	// inside a given community boundary a larger gap is a fault, inside a
	// derived one it stays a hole.
	GapM2 float64
	// SliverM2 and SliverWidthM define a sliver: a detached piece of a
	// grid, not its largest, with less area than SliverM2 (default 50 m²)
	// or thinner on average (2·area/perimeter) than SliverWidthM
	// (default 1 m). A sliver goes to the neighbour with the longest
	// shared border.
	SliverM2, SliverWidthM float64
	// Overlap says who gets overlaps (default LongestBorder).
	Overlap OverlapRule
	// MaxOutside is the share of a grid's area that may lie outside its
	// given community boundary and be cut off (default 0.5); a grid with
	// more outside is a fault.
	MaxOutside float64
}

// Validate reports a negative or non-finite tolerance.
func (o Options) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"SnapM", o.SnapM}, {"GapM2", o.GapM2}, {"SliverM2", o.SliverM2}, {"SliverWidthM", o.SliverWidthM}, {"MaxOutside", o.MaxOutside}} {
		if !(f.v >= 0) || f.v > 1e12 {
			return fmt.Errorf("repair: option %s = %v, want a finite value >= 0", f.name, f.v)
		}
	}
	if o.MaxOutside > 1 {
		return fmt.Errorf("repair: option MaxOutside = %v, want at most 1", o.MaxOutside)
	}
	if o.Overlap > LargestGrid {
		return fmt.Errorf("repair: unknown overlap rule %d", o.Overlap)
	}
	return nil
}

// withDefaults fills zero options with the defaults.
func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.SnapM, 0.5)
	def(&o.GapM2, 200)
	def(&o.SliverM2, 50)
	def(&o.SliverWidthM, 1)
	def(&o.MaxOutside, 0.5)
	return o
}

// A Result is the repaired layout.
type Result struct {
	// Grids are the repaired grids, in input order (repeated features
	// dropped): valid polygons on the 1e-7 degree lattice that partition
	// each community, neighbours sharing vertex-identical borders.
	Grids []Grid
	// Communities are the boundaries the grids partition: the given ones
	// with the vertices the grids put on them, or derived from the grids.
	Communities []Community
	// Repairs lists every change, community by community.
	Repairs []Repair
}

// Grids makes grids a partition of each community: see the package
// documentation for the rules. communities may be empty or name only
// some communities; the others are derived from their grids. It returns
// an *Error listing every fault it cannot repair.
func Grids(grids []Grid, communities []Community, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	jobs, faults := plan(grids, communities)
	runParallel(len(jobs), func(i int) { jobs[i].run(opts) })
	res := &Result{}
	for _, j := range jobs {
		faults = append(faults, j.faults...)
		res.Repairs = append(res.Repairs, j.repairs...)
		for _, key := range slices.Sorted(maps.Keys(j.boundaries)) {
			res.Communities = append(res.Communities, Community{Key: key, Geometry: j.boundaries[key]})
		}
	}
	if len(faults) > 0 {
		return nil, &Error{Faults: faults}
	}
	order := map[string]int{}
	for _, j := range jobs {
		for i, g := range j.grids {
			res.Grids = append(res.Grids, Grid{Key: g.key, Community: g.community, Geometry: j.out[i]})
			order[g.key] = g.order
		}
	}
	slices.SortStableFunc(res.Grids, func(a, b Grid) int { return cmp.Compare(order[a.Key], order[b.Key]) })
	slices.SortFunc(res.Communities, func(a, b Community) int { return cmp.Compare(a.Key, b.Key) })
	before := make([]int, len(res.Grids))
	for i, g := range res.Grids {
		before[i] = len(planar.RingPoints(nil, g.Geometry))
	}
	stitch(res)
	stitchRecords(res, before)
	return res, nil
}

// ErrUnrepairable is wrapped by every *Error.
var ErrUnrepairable = errors.New("repair: grids cannot be repaired")

// A Fault is one thing the repair cannot fix.
type Fault struct {
	// Grid is the grid's key ("" for a fault of a community as a whole).
	Grid string
	// Community is the community's key.
	Community string
	// At is where, when the fault has a place.
	At *orb.Point
	// Reason says what is wrong.
	Reason string
}

func (f Fault) String() string {
	s := "community " + f.Community
	if f.Grid != "" {
		s = "grid " + f.Grid + " (community " + f.Community + ")"
	}
	if f.At != nil {
		s += fmt.Sprintf(" at %.7f,%.7f", f.At[0], f.At[1])
	}
	return s + ": " + f.Reason
}

// An Error lists the faults that stop a repair.
type Error struct {
	Faults []Fault
}

// Error lists the first faults and counts the rest.
func (e *Error) Error() string {
	const show = 20
	s := fmt.Sprintf("repair: %d fault(s) cannot be repaired", len(e.Faults))
	for i, f := range e.Faults {
		if i == show {
			s += fmt.Sprintf("; and %d more", len(e.Faults)-show)
			break
		}
		s += "; " + f.String()
	}
	return s
}

// Unwrap makes errors.Is(err, ErrUnrepairable) true.
func (e *Error) Unwrap() error { return ErrUnrepairable }

// runParallel calls fn(i) for i in [0, n) on up to GOMAXPROCS goroutines.
func runParallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= n {
					return
				}
				fn(k)
			}
		}()
	}
	wg.Wait()
}
