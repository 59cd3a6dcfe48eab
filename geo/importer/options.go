package importer

import (
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/ingest"
)

// A Role is what a layer holds for the city.
type Role string

// The roles, in the order Run reads them.
const (
	RoleGrids     Role = "grids"
	RoleUnits     Role = "units"
	RoleBuildings Role = "buildings"
	RoleStations  Role = "stations"
	RoleStreets   Role = "streets"
)

// Roles lists every role in order.
var Roles = []Role{RoleGrids, RoleUnits, RoleBuildings, RoleStations, RoleStreets}

// An Input is one layer and the coordinate system to assume when the
// layer declares none.
type Input struct {
	Layer *ingest.Layer
	// CRS names the system for a layer that declares none (the layer's own
	// flag, for example --grids-crs); "" falls back to Options.CRS.
	CRS string
	// Note is what the reader says about how it read the file (a table's
	// coordinate columns), for the report.
	Note string
}

// A Division is a known unit's code and official name (the city's real
// division list), used to name units and to find communities by name.
type Division struct {
	Code geo.DivisionCode
	Name string
}

// Options configure Run. Inputs[RoleGrids] is required; the other roles
// are optional.
type Options struct {
	Inputs map[Role]Input
	// CRS names the system of every layer that declares none and has no
	// Input.CRS (the --crs flag); "" means none.
	CRS string
	// Mapping names columns explicitly; nil recognises them by name.
	Mapping *Mapping
	// Divisions are the known units (names and codes) of the city; may be
	// empty.
	Divisions []Division
	// Province names the province when no division data names it.
	Province string
	// Staff is the grid staff table (网格长 and 网格员; see RoleStaff),
	// or nil.
	Staff *ingest.Layer
	// Repair are the tolerances of the topology repair; zero fields take
	// the defaults of DefaultTolerances.
	Repair Tolerances
	// Progress, when not nil, is called as steps advance: step names the
	// step, done of total items are finished (total 0: unknown).
	Progress func(step string, done, total int)
}

// ErrNoGrids is returned (wrapped) when Options has no grids layer.
var ErrNoGrids = errors.New("importer: no grids layer")

// Validate checks that the options can run.
func (o *Options) Validate() error {
	in, ok := o.Inputs[RoleGrids]
	if !ok || in.Layer == nil {
		return ErrNoGrids
	}
	for r := range o.Inputs {
		if !validRole(r) {
			return fmt.Errorf("importer: unknown role %q", r)
		}
	}
	return o.Repair.withDefaults().Validate()
}

func validRole(r Role) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

func (o *Options) progress(step string, done, total int) {
	if o.Progress != nil {
		o.Progress(step, done, total)
	}
}
