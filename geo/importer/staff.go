package importer

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/ingest"
)

// RoleStaff is the grid staff table (网格长 and 网格员 with phones): a
// table without geometry, given as Options.Staff, whose columns the
// mapping may name under "staff".
const RoleStaff Role = "staff"

// staffAttrs are the staff table's attributes and their usual columns.
var staffAttrs = []attrDef{
	{"grid", []string{"网格编码", "网格代码", "网格编号", "所属网格编码", "WGBM", "WGDM", "WGBH", "grid_code", "gridcode", "grid"}},
	{"grid_name", []string{"网格名称", "所属网格", "网格", "WGMC", "grid_name", "gridname"}},
	{"name", []string{"姓名", "人员姓名", "名字", "XM", "name"}},
	{"role", []string{"职务", "岗位", "角色", "ZW", "role", "post", "position"}},
	{"type", []string{"类型", "人员类型", "专兼职", "用工类型", "LX", "type", "kind"}},
	{"phone", []string{"电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "SJH", "LXDH", "phone", "mobile", "tel", "telephone"}},
}

// A StaffReport says how the staff table was read and matched.
type StaffReport struct {
	Source  string   `json:"source"`
	Columns []Column `json:"columns"`
	// Rows is the number of staff rows read; Matched how many named a
	// grid of the city, in Grids grids.
	Rows    int `json:"rows"`
	Matched int `json:"matched"`
	Grids   int `json:"grids"`
	// Unmatched lists the rows whose grid is not in the city (left out).
	Unmatched []string `json:"unmatched,omitempty"`
}

// A staffRow is one parsed row: the grid it names and the member.
type staffRow struct {
	index    int
	grid     geo.GridCode
	gridName string
	member   geo.Staff
}

// readStaffTable parses every row of the staff layer, collecting a fault
// (file, row, what) for each bad one. Rows count from 1 after the header.
func readStaffTable(l *ingest.Layer, m *Mapping, fs *faults) ([]staffRow, *columns) {
	cols, err := chooseColumns(RoleStaff, l, m)
	if err != nil {
		fs.add(err)
		return nil, nil
	}
	var missing []string
	for _, a := range []string{"name", "role", "phone"} {
		if _, ok := cols.chosen[a]; !ok {
			missing = append(missing, a)
		}
	}
	_, byCode := cols.chosen["grid"]
	_, byName := cols.chosen["grid_name"]
	if !byCode && !byName {
		missing = append(missing, "grid (网格编码) or grid_name (网格名称)")
	}
	if len(missing) > 0 {
		fs.addf(l, 0, "no column for %s among %s (name them in the mapping under \"staff\")", strings.Join(missing, ", "), strings.Join(l.Fields, ", "))
		return nil, cols
	}
	rows := make([]staffRow, 0, len(l.Features))
	for i := range l.Features {
		f := &l.Features[i]
		if r, ok := parseStaffRow(l, cols, f, fs); ok {
			rows = append(rows, r)
		}
	}
	return rows, cols
}

// parseStaffRow parses one row; a fault is recorded and false returned
// when it is bad. A row that is blank in every column is skipped.
func parseStaffRow(l *ingest.Layer, cols *columns, f *ingest.Feature, fs *faults) (staffRow, bool) {
	r := staffRow{index: f.Index, gridName: cols.get(f, "grid_name")}
	code, role, typ := cols.get(f, "grid"), cols.get(f, "role"), cols.get(f, "type")
	if strings.Join(f.Props, "") == "" {
		return r, false
	}
	if code != "" {
		c, err := geo.ParseGridCode(code)
		if err != nil {
			fs.addf(l, f.Index, "grid code %q is not a 15-digit grid code", clipText(code))
			return r, false
		}
		r.grid = c
	} else if r.gridName == "" {
		fs.addf(l, f.Index, "no grid code or grid name")
		return r, false
	}
	var ok bool
	if r.member.Role, ok = geo.ParseStaffRole(role); !ok {
		fs.addf(l, f.Index, "role %q is not 网格长 (head) or 网格员 (worker)", clipText(role))
		return r, false
	}
	if typ == "" { // 专职网格员 says the type in the role
		typ = strings.TrimSuffix(strings.TrimSpace(role), "网格员")
		if typ != "专职" && typ != "兼职" {
			typ = ""
		}
	}
	if r.member.Type, ok = geo.ParseStaffType(typ); !ok {
		fs.addf(l, f.Index, "type %q is not 专职 (full-time) or 兼职 (part-time)", clipText(typ))
		return r, false
	}
	r.member.Name, r.member.Phone = cols.get(f, "name"), cols.get(f, "phone")
	m, serr := geo.CheckStaffMember(r.member)
	if serr != nil {
		fs.addf(l, f.Index, "%s: %s", serr.Field, serr.Fault)
		return r, false
	}
	r.member = m
	return r, true
}

// matchStaff returns the staff lists the rows give the city's grids
// (matched by code, else by a unique name), in row order, and reports the
// match; c is not modified. A grid whose rows break a list rule (two
// heads, too many members) is a fault naming its rows.
func matchStaff(c *geo.City, l *ingest.Layer, rows []staffRow, fs *faults, rep *StaffReport) map[*geo.Grid][]geo.Staff {
	byCode := make(map[geo.GridCode]*geo.Grid, len(c.Grids))
	byName := make(map[string][]*geo.Grid, len(c.Grids))
	for _, g := range c.Grids {
		byCode[g.Code] = g
		byName[g.Name] = append(byName[g.Name], g)
	}
	lists := map[*geo.Grid][]geo.Staff{}
	rowsOf := map[*geo.Grid][]int{}
	var order []*geo.Grid
	rep.Rows = len(rows)
	for _, r := range rows {
		g := byCode[r.grid]
		if g == nil && r.grid == 0 && len(byName[r.gridName]) == 1 {
			g = byName[r.gridName][0]
		}
		if g == nil {
			what := r.grid.String()
			if r.grid == 0 {
				what = r.gridName
			}
			rep.Unmatched = append(rep.Unmatched, fmt.Sprintf("%s: row %d: grid %s is not in the city", l.Source, r.index, what))
			continue
		}
		rep.Matched++
		if _, seen := lists[g]; !seen {
			order = append(order, g)
		}
		lists[g], rowsOf[g] = append(lists[g], r.member), append(rowsOf[g], r.index)
	}
	out := make(map[*geo.Grid][]geo.Staff, len(order))
	for _, g := range order {
		checked, err := geo.CheckStaff(lists[g])
		var se *geo.StaffError
		switch {
		case errors.As(err, &se) && se.Index >= 0:
			fs.addf(l, rowsOf[g][se.Index], "grid %s: %s", g.Code, se.Fault)
			continue
		case err != nil:
			fs.addf(l, rowsOf[g][0], "grid %s (rows %v): %v", g.Code, rowsOf[g], err)
			continue
		}
		out[g] = checked
		rep.Grids++
	}
	return out
}

// StaffEdits reads the staff table l (columns as the import recognises
// them, or named in m under "staff") against the city c and returns the
// staff edits that give each grid the table names its staff, in grid
// code order, skipping grids whose staff are already these; grids the
// table does not name keep theirs. Bad rows give a *FaultError naming
// file, row and fault. c is not modified.
func StaffEdits(c *geo.City, l *ingest.Layer, m *Mapping) ([]edit.Op, *StaffReport, error) {
	rep := &StaffReport{Source: l.Source}
	var fs faults
	rows, cols := readStaffTable(l, m, &fs)
	if cols != nil {
		rep.Columns = cols.list(RoleStaff)
	}
	if err := fs.err(); err != nil {
		return nil, rep, err
	}
	lists := matchStaff(c, l, rows, &fs, rep)
	if err := fs.err(); err != nil {
		return nil, rep, err
	}
	var ops []edit.Op
	for _, g := range c.Grids {
		if list, ok := lists[g]; ok && !slices.Equal(g.Staff, list) {
			ops = append(ops, edit.Op{Kind: edit.KindStaff, Grid: g.Code, Staff: list,
				Reason: "staff imported from " + filepath.Base(l.Source)})
		}
	}
	return ops, rep, nil
}

// staff reads Options.Staff and attaches it to the built city's grids.
func (r *run) staff(city *geo.City) error {
	l := r.o.Staff
	if l == nil {
		return nil
	}
	rep := &StaffReport{Source: l.Source}
	r.rep.Staff = rep
	rows, cols := readStaffTable(l, r.o.Mapping, &r.fs)
	if cols != nil {
		rep.Columns = cols.list(RoleStaff)
	}
	if err := r.fs.err(); err != nil {
		return err
	}
	for g, list := range matchStaff(city, l, rows, &r.fs, rep) {
		g.Staff = list // the import's own new grids
	}
	if len(rep.Unmatched) > 0 {
		r.rep.warnf("%d of %d staff rows name no grid of the city and were left out (see staff.unmatched)", len(rep.Unmatched), rep.Rows)
	}
	return r.fs.err()
}

// clipText shortens a cell for a message.
func clipText(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
