package edit

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// KindStaff replaces a grid's staff (网格长 and 网格员): Grid and Staff.
// The grid's geometry, code and name stay; its change is ChangeStaff.
const KindStaff Kind = "staff"

// ChangeStaff: only the grid's staff changed.
const ChangeStaff ChangeKind = "staff"

// CodeNoChange: the edit would change nothing (a staff list equal to
// the grid's).
const CodeNoChange ProblemCode = "no_change"

// staffMembers are the members a staff entry may have.
var staffMembers = []string{"name", "role", "type", "phone"}

// staff decodes the staff member: an array of {name, role, type, phone}
// objects, checked by geo.CheckStaff. An empty array clears the staff.
func (d *opDecoder) staff() error {
	raw, ok := d.top["staff"]
	if !ok {
		return nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return fieldErr("staff", "want an array of {name, role, type, phone} objects: %s", jsonReason(err))
	}
	if len(items) > geo.MaxStaff {
		return fieldErr("staff", "%d members, at most %d", len(items), geo.MaxStaff)
	}
	list := make([]geo.Staff, len(items))
	for i, it := range items {
		if err := decodeStaffMember(it, &list[i]); err != nil {
			err.Field = fmt.Sprintf("staff[%d]%s", i, err.Field)
			return err
		}
	}
	ok2, err := checkStaffList(list)
	if err != nil {
		return err
	}
	d.op.Staff = ok2
	return nil
}

// decodeStaffMember decodes one entry; the error's Field is relative
// (".name", or "" for the entry).
func decodeStaffMember(it map[string]json.RawMessage, s *geo.Staff) *FieldError {
	if it == nil {
		return fieldErr("", "want an object")
	}
	for k := range it {
		if !slices.Contains(staffMembers, k) {
			return fieldErr("."+truncateRunes(k, 40), "member not allowed (want name, role, type, phone)")
		}
	}
	var role, typ string
	for _, f := range []struct {
		name string
		dst  *string
	}{{"name", &s.Name}, {"role", &role}, {"type", &typ}, {"phone", &s.Phone}} {
		raw, ok := it[f.name]
		if !ok || isNull(raw) {
			if f.name != "type" {
				return fieldErr("."+f.name, "missing")
			}
			continue
		}
		if err := decodeStringValue(raw, f.dst, geo.MaxStaffName*4); err != nil {
			err.Field = "." + f.name
			return err
		}
	}
	var ok bool
	if s.Role, ok = geo.ParseStaffRole(role); !ok {
		return fieldErr(".role", "%q is not head (网格长) or worker (网格员)", truncateRunes(role, 40))
	}
	if s.Type, ok = geo.ParseStaffType(typ); !ok {
		return fieldErr(".type", "%q is not full_time (专职) or part_time (兼职)", truncateRunes(typ, 40))
	}
	return nil
}

// checkStaffList runs geo.CheckStaff, turning its error into a
// *FieldError naming the entry and member.
func checkStaffList(list []geo.Staff) ([]geo.Staff, error) {
	out, err := geo.CheckStaff(list)
	var se *geo.StaffError
	switch {
	case err == nil:
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case errors.As(err, &se) && se.Index >= 0:
		return nil, fieldErr(fmt.Sprintf("staff[%d].%s", se.Index, se.Field), "%s", se.Fault)
	case errors.As(err, &se):
		return nil, fieldErr("staff", "%s", se.Fault)
	}
	return nil, fieldErr("staff", "%v", err)
}

// applyStaff computes a staff op: the grid with the new staff, nothing
// else. It needs no geometry, so it skips the planner. A preview leaves
// Next nil (Options.PreviewOnly).
func applyStaff(s *geo.Snapshot, op Op, preview bool) (*Result, error) {
	list, err := checkStaffList(op.Staff)
	if err != nil {
		return nil, err
	}
	res := &Result{Impact: Impact{Moves: []Move{}, Flows: []Flow{}, Tiles: []TileKey{}}}
	g, ok := s.Grid(op.Grid)
	if !ok {
		res.Errors = []Problem{{Code: CodeUnknownGrid, Message: fmt.Sprintf("grid %s does not exist", op.Grid), Grids: []geo.GridCode{op.Grid}}}
		return res, nil
	}
	res.Community = g.Community()
	if slices.Equal(g.Staff, list) {
		res.Errors = []Problem{{Code: CodeNoChange, Message: fmt.Sprintf("grid %s already has this staff", g.Code), Grids: []geo.GridCode{g.Code}}}
		return res, nil
	}
	n := *g
	n.Staff = list
	res.Changes = []Change{{ID: g.ID, Kind: ChangeStaff, Before: g, After: &n}}
	res.Impact.Grids = []GridCount{{ID: g.ID, Code: g.Code, HouseholdsBefore: g.Households, HouseholdsAfter: g.Households,
		BuildingsBefore: g.Buildings, BuildingsAfter: g.Buildings}}
	res.Valid = true
	if preview {
		return res, nil
	}
	if res.Next, err = res.Delta().Apply(s.City); err != nil {
		return nil, fmt.Errorf("applying %s: %w", op.Kind, err)
	}
	return res, nil
}

// nonNilStaff returns list, or an empty list for nil, so it encodes as [].
func nonNilStaff(list []geo.Staff) []geo.Staff {
	if list == nil {
		return []geo.Staff{}
	}
	return list
}
