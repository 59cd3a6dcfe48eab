package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

// Kinds of changeset besides the edit operations (edit.Kind values).
const (
	// KindRecode is a re-coding of a community.
	KindRecode = "recode"
)

// ErrNotRevertible is returned (wrapped) by RevertOp for a changeset that
// a layout replacement cannot undo.
var ErrNotRevertible = errors.New("store: changeset cannot be reverted")

// A Changeset is one committed change: who, why, when, the operation and
// the grids before and after. It holds everything needed to replay it
// without geometry computation. Its JSON members are the stored record's
// (MarshalChangeset; the PostgreSQL store keeps them as columns), not an
// HTTP answer: the server maps a Changeset to its own types.
type Changeset struct {
	// ID identifies the changeset; the store sets it when empty.
	ID string `json:"id"`
	// Version is the version the changeset made; Base the one it was
	// computed on (Version = Base + 1).
	Version uint64 `json:"version"`
	Base    uint64 `json:"base"`
	// Author is who committed it (a token's name); Reason why.
	Author string `json:"author"`
	Reason string `json:"reason"`
	// Time is when the store committed it.
	Time time.Time `json:"time"`
	// Kind is the operation (edit.Kind) or KindRecode.
	Kind string `json:"kind"`
	// Unit is the community changed.
	Unit geo.DivisionCode `json:"unit,string"`
	// Op is the operation as the planner sent it (JSON), if any.
	Op json.RawMessage `json:"op,omitempty"`
	// Changes are the changed grids, by id.
	Changes []GridChange `json:"changes"`
	// Moves are the buildings that changed grid code.
	Moves []edit.Move `json:"moves,omitempty"`
	// Crosswalk holds a re-coding's rows (every grid of the community).
	Crosswalk []edit.CrosswalkRow `json:"crosswalk,omitempty"`
}

// A GridChange is one grid before and after, as GeoJSON features written
// by edit.EncodeGridFeature (null where the grid does not exist), with
// the grid's staff before and after beside them (features carry no
// staff, so exports and previews never hold names and phones).
type GridChange struct {
	ID          geo.GridID      `json:"id"`
	Kind        edit.ChangeKind `json:"kind"`
	Before      json.RawMessage `json:"before,omitempty"`
	After       json.RawMessage `json:"after,omitempty"`
	StaffBefore []geo.Staff     `json:"staff_before,omitempty"`
	StaffAfter  []geo.Staff     `json:"staff_after,omitempty"`
}

// NewChangeset builds the changeset of an accepted edit computed on
// version base. The store sets ID, Version and Time on Append.
func NewChangeset(base uint64, author, reason string, op edit.Op, res *edit.Result) (*Changeset, error) {
	if res == nil || !res.Valid {
		return nil, fmt.Errorf("building changeset: %w: the edit is not valid", ErrInvalid)
	}
	raw, err := op.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("building changeset: encoding op: %w", err)
	}
	return &Changeset{
		Base: base, Author: author, Reason: reason, Kind: string(op.Kind), Unit: res.Community,
		Op: raw, Changes: gridChanges(res.Changes), Moves: res.Impact.Moves,
	}, nil
}

// NewRecodeChangeset builds the changeset of a re-coding computed on
// version base.
func NewRecodeChangeset(base uint64, author, reason string, rr *edit.RecodeResult) *Changeset {
	return &Changeset{
		Base: base, Author: author, Reason: reason, Kind: KindRecode, Unit: rr.Community,
		Changes: gridChanges(rr.Changes), Moves: rr.Moves, Crosswalk: rr.Rows,
	}
}

// gridChanges encodes edit changes as features.
func gridChanges(cs []edit.Change) []GridChange {
	out := make([]GridChange, len(cs))
	for i, c := range cs {
		out[i] = GridChange{ID: c.ID, Kind: c.Kind}
		if c.Before != nil {
			out[i].Before = edit.EncodeGridFeature(c.Before)
			out[i].StaffBefore = c.Before.Staff
		}
		if c.After != nil {
			out[i].After = edit.EncodeGridFeature(c.After)
			out[i].StaffAfter = c.After.Staff
		}
	}
	return out
}

// Delta decodes the changeset into the edit.Delta it replays.
func (cs *Changeset) Delta() (edit.Delta, error) {
	d := edit.Delta{Changes: make([]edit.Change, len(cs.Changes)), Moves: cs.Moves}
	for i, gc := range cs.Changes {
		c := edit.Change{ID: gc.ID, Kind: gc.Kind}
		var err error
		if c.Before, err = decodeFeature(gc.Before); err != nil {
			return edit.Delta{}, fmt.Errorf("changeset %d grid %d before: %w", cs.Version, gc.ID, err)
		}
		if c.After, err = decodeFeature(gc.After); err != nil {
			return edit.Delta{}, fmt.Errorf("changeset %d grid %d after: %w", cs.Version, gc.ID, err)
		}
		if err := attachStaff(c.Before, gc.StaffBefore); err != nil {
			return edit.Delta{}, fmt.Errorf("changeset %d grid %d staff before: %w", cs.Version, gc.ID, err)
		}
		if err := attachStaff(c.After, gc.StaffAfter); err != nil {
			return edit.Delta{}, fmt.Errorf("changeset %d grid %d staff after: %w", cs.Version, gc.ID, err)
		}
		d.Changes[i] = c
	}
	return d, nil
}

// decodeFeature decodes a grid feature; empty or null is no grid.
func decodeFeature(raw json.RawMessage) (*geo.Grid, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	return edit.DecodeGridFeature(raw)
}

// attachStaff gives a decoded grid its staff, checked as an edit checks
// them; staff without a grid is an error.
func attachStaff(g *geo.Grid, list []geo.Staff) error {
	if len(list) == 0 {
		return nil
	}
	if g == nil {
		return fmt.Errorf("staff for a grid that does not exist")
	}
	ok, err := geo.CheckStaff(list)
	if err != nil {
		return err
	}
	g.Staff = ok
	return nil
}

// Touched returns the ids and codes of the grids the changeset changed.
func (cs *Changeset) Touched() ([]geo.GridID, []geo.GridCode, error) {
	d, err := cs.Delta()
	if err != nil {
		return nil, nil, err
	}
	var ids []geo.GridID
	var codes []geo.GridCode
	for _, c := range d.Changes {
		ids = append(ids, c.ID)
		for _, g := range []*geo.Grid{c.Before, c.After} {
			if g != nil && !slices.Contains(codes, g.Code) {
				codes = append(codes, g.Code)
			}
		}
	}
	return ids, codes, nil
}

// RevertOp builds the operation that undoes cs on the current snapshot
// cur: a replace_layout of cs's community holding the community's current
// grids, less those cs changed, plus the grids as they were before cs
// (each with its id, so a retired grid comes back with its own code).
// A staff changeset is undone by a staff op with the staff from before.
// Later edits of the same grids make the result overlap or leave gaps,
// which validation reports. A re-coding is not reverted this way; re-code
// again instead.
func RevertOp(cur *geo.Snapshot, cs *Changeset) (edit.Op, error) {
	if cs.Kind == KindRecode {
		return edit.Op{}, fmt.Errorf("reverting changeset %d: %w: re-code the community again", cs.Version, ErrNotRevertible)
	}
	d, err := cs.Delta()
	if err != nil {
		return edit.Op{}, fmt.Errorf("reverting changeset %d: %w", cs.Version, err)
	}
	if cs.Kind == string(edit.KindStaff) {
		return revertStaff(cur, cs, d)
	}
	changed := map[geo.GridID]bool{}
	var layout []edit.LayoutGrid
	for _, c := range d.Changes {
		changed[c.ID] = true
		if b := c.Before; b != nil && b.Community() == cs.Unit {
			layout = append(layout, edit.LayoutGrid{ID: b.ID, Code: b.Code, Name: b.Name, Geometry: b.Geometry})
		}
	}
	for _, g := range cur.GridsOf(cs.Unit) {
		if !changed[g.ID] {
			layout = append(layout, edit.LayoutGrid{ID: g.ID, Code: g.Code, Name: g.Name, Geometry: g.Geometry})
		}
	}
	if len(layout) == 0 {
		return edit.Op{}, fmt.Errorf("reverting changeset %d: %w: no grids before it", cs.Version, ErrNotRevertible)
	}
	return edit.Op{
		Kind: edit.KindReplaceLayout, Community: cs.Unit, Layout: layout,
		Reason: fmt.Sprintf("revert changeset %d (%s)", cs.Version, cs.ID),
	}, nil
}

// revertStaff builds the staff op that gives the grid of a staff
// changeset its staff from before it, under the grid's current code.
func revertStaff(cur *geo.Snapshot, cs *Changeset, d edit.Delta) (edit.Op, error) {
	if len(d.Changes) != 1 || d.Changes[0].Before == nil {
		return edit.Op{}, fmt.Errorf("reverting changeset %d: %w: not one grid's staff", cs.Version, ErrNotRevertible)
	}
	g, ok := cur.GridByID(d.Changes[0].ID)
	if !ok {
		return edit.Op{}, fmt.Errorf("reverting changeset %d: %w: grid %d no longer exists", cs.Version, ErrNotRevertible, d.Changes[0].ID)
	}
	return edit.Op{
		Kind: edit.KindStaff, Grid: g.Code, Staff: d.Changes[0].Before.Staff,
		Reason: fmt.Sprintf("revert changeset %d (%s)", cs.Version, cs.ID),
	}, nil
}
