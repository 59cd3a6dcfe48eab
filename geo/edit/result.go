package edit

import (
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// ErrOptions is returned (wrapped) for options out of range.
var ErrOptions = errors.New("edit: bad options")

// Options tune validation. The zero value means the defaults.
type Options struct {
	// ToleranceM2 is the area in square meters below which overlaps, gaps
	// and parts outside the community are ignored. Default 1.
	ToleranceM2 float64
	// SnapMeters is how far a planner's vertex or line end may be from an
	// existing vertex or boundary and still be moved onto it. Default 0.5;
	// negative disables snapping.
	SnapMeters float64
	// MinHouseholds and MaxHouseholds bound the households per grid before
	// a warning. Defaults 300 and 500.
	MinHouseholds, MaxHouseholds int
	// History holds the codes and ids ever used; nil means only those of
	// the snapshot, so retired codes are not known.
	History *CodeHistory
	// PreviewOnly leaves Result.Next nil: the edit is validated and its
	// impact previewed, but the city it would make (a new list of every
	// building, 7 MB at scale 50) is not, as a preview does not commit.
	PreviewOnly bool
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.ToleranceM2 == 0 {
		o.ToleranceM2 = 1
	}
	if o.SnapMeters == 0 {
		o.SnapMeters = 0.5
	}
	if o.MinHouseholds == 0 {
		o.MinHouseholds = 300
	}
	if o.MaxHouseholds == 0 {
		o.MaxHouseholds = 500
	}
	return o
}

// HouseholdRange returns the households per grid outside which a grid is
// warned about (the defaults, 300-500, when o leaves them zero).
func (o Options) HouseholdRange() (lo, hi int) {
	o = o.withDefaults()
	return o.MinHouseholds, o.MaxHouseholds
}

// Validate reports whether the options are usable.
func (o Options) Validate() error {
	o = o.withDefaults()
	switch {
	case !(o.ToleranceM2 > 0) || o.ToleranceM2 > 1e6:
		return fmt.Errorf("%w: tolerance %v m² outside (0, 1e6]", ErrOptions, o.ToleranceM2)
	case o.SnapMeters > 100 || o.SnapMeters != o.SnapMeters:
		return fmt.Errorf("%w: snap distance %v m above 100", ErrOptions, o.SnapMeters)
	case o.MinHouseholds < 0 || o.MaxHouseholds < o.MinHouseholds:
		return fmt.Errorf("%w: households range %d-%d", ErrOptions, o.MinHouseholds, o.MaxHouseholds)
	}
	return nil
}

// A ChangeKind says what happened to a grid.
type ChangeKind string

// The change kinds.
const (
	// ChangeAdded: a new grid.
	ChangeAdded ChangeKind = "added"
	// ChangeRetired: the grid no longer exists; its code is retired.
	ChangeRetired ChangeKind = "retired"
	// ChangeReshaped: the grid's geometry or name changed.
	ChangeReshaped ChangeKind = "reshaped"
	// ChangeStitched: only vertices were inserted on the grid's shared
	// edges, to keep them vertex-identical with an edited neighbour.
	ChangeStitched ChangeKind = "stitched"
	// ChangeRecoded: the grid's code changed.
	ChangeRecoded ChangeKind = "recoded"
)

// A Change is one grid before and after an edit. Before is the object of
// the base city (nil for an added grid); After is a new object (nil for a
// retired grid). Neither may be modified.
type Change struct {
	ID     geo.GridID
	Kind   ChangeKind
	Before *geo.Grid
	After  *geo.Grid
}

// A Move is a building whose grid changes.
type Move struct {
	Building   geo.BuildingID `json:"building"`
	Households int            `json:"households"`
	From       geo.GridCode   `json:"from,string"`
	To         geo.GridCode   `json:"to,string"`
	FromID     geo.GridID     `json:"from_id"`
	ToID       geo.GridID     `json:"to_id"`
}

// A Flow sums the moves from one grid to another.
type Flow struct {
	From       geo.GridCode `json:"from,string"`
	To         geo.GridCode `json:"to,string"`
	Buildings  int          `json:"buildings"`
	Households int          `json:"households"`
}

// A GridCount is a changed grid's households and buildings before and
// after the edit (zero on the side where it does not exist).
type GridCount struct {
	ID               geo.GridID   `json:"id"`
	Code             geo.GridCode `json:"code,string"`
	HouseholdsBefore int          `json:"households_before"`
	HouseholdsAfter  int          `json:"households_after"`
	BuildingsBefore  int          `json:"buildings_before"`
	BuildingsAfter   int          `json:"buildings_after"`
}

// Impact previews an edit: who moves, the counts per grid, and the map
// tiles to re-render.
type Impact struct {
	// Moves lists every building that changes grid, by building id.
	Moves []Move `json:"moves"`
	// Flows sums Moves per pair of grids.
	Flows []Flow `json:"flows"`
	// Grids lists the changed grids' counts, by id.
	Grids []GridCount `json:"grids"`
	// Tiles are the web-map tiles, zoom 10 to 16, that touch a changed
	// grid before or after the edit, sorted by z, x, y.
	Tiles []TileKey `json:"tiles"`
	// BuildingsMoved and HouseholdsMoved total Moves.
	BuildingsMoved  int `json:"buildings_moved"`
	HouseholdsMoved int `json:"households_moved"`
}

// A Result is the outcome of Apply: the validation verdict, the changes,
// the preview and, when valid, the next city.
type Result struct {
	// Valid is true when there are no Errors.
	Valid    bool
	Errors   []Problem
	Warnings []Problem
	// Community is the community edited.
	Community geo.DivisionCode
	// Changes lists the grids changed, by id.
	Changes []Change
	Impact  Impact
	// Next is the city after the edit, nil when invalid. It shares every
	// unchanged object with the base city; build a geo.Snapshot from it.
	Next *geo.City
}

// Delta returns what the store needs to replay the edit.
func (r *Result) Delta() Delta { return Delta{Changes: r.Changes, Moves: r.Impact.Moves} }

// A CrosswalkRow maps a grid's old code to its new one from Date on.
type CrosswalkRow struct {
	Old  geo.GridCode `json:"old_code,string"`
	New  geo.GridCode `json:"new_code,string"`
	Grid geo.GridID   `json:"grid_id"`
	Date time.Time    `json:"date"`
}
