package edit

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

func TestStaffOpApply(t *testing.T) {
	s := testSnapshot(t)
	g := s.City.Grids[10]
	if len(g.Staff) < 2 {
		t.Fatalf("fixture grid %s has %d staff, want a head and workers", g.Code, len(g.Staff))
	}
	list := []geo.Staff{
		{Name: "赵丽华", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "13985001234"},
		{Name: "钱伟", Role: geo.RoleWorker, Type: geo.StaffPartTime, Phone: "0858 8221234"},
	}
	res, next := mustAccept(t, s, Op{Kind: KindStaff, Grid: g.Code, Staff: list})
	if len(res.Changes) != 1 || res.Changes[0].Kind != ChangeStaff || res.Changes[0].Before != g {
		t.Fatalf("Apply(staff) changes = %+v, want one staff change of grid %s", res.Changes, g.Code)
	}
	if len(res.Impact.Tiles) != 0 || len(res.Impact.Moves) != 0 {
		t.Errorf("Apply(staff) impact lists %d tiles and %d moves, want none", len(res.Impact.Tiles), len(res.Impact.Moves))
	}
	ng, _ := next.Grid(g.Code)
	want := []geo.Staff{
		{Name: "赵丽华", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "139-8500-1234"},
		{Name: "钱伟", Role: geo.RoleWorker, Type: geo.StaffPartTime, Phone: "0858-8221234"},
	}
	if !slices.Equal(ng.Staff, want) {
		t.Errorf("next grid staff = %+v, want %+v", ng.Staff, want)
	}
	if len(g.Staff) < 2 || g.Staff[0].Name == "赵丽华" {
		t.Errorf("Apply(staff) modified the base grid's staff")
	}
	if ng.Name != g.Name || !sameGeometry(ng.Geometry, g.Geometry) {
		t.Errorf("Apply(staff) changed the grid's name or geometry")
	}
	if got := ChangedTiles(res.Changes); len(got) != 0 {
		t.Errorf("ChangedTiles(staff change) = %d tiles, want none", len(got))
	}
	// The same list again changes nothing.
	again := mustApply(t, next, Op{Kind: KindStaff, Grid: g.Code, Staff: want})
	if again.Valid || !hasProblem(again, CodeNoChange) {
		t.Errorf("Apply(same staff) = valid %v, errors %v; want no_change", again.Valid, again.Errors)
	}
	// An empty list clears the staff.
	_, cleared := mustAccept(t, next, Op{Kind: KindStaff, Grid: g.Code, Staff: []geo.Staff{}})
	if cg, _ := cleared.Grid(g.Code); cg.Staff != nil {
		t.Errorf("cleared staff = %+v, want nil", cg.Staff)
	}
	unknown := mustApply(t, s, Op{Kind: KindStaff, Grid: g.Code + 900, Staff: list})
	if unknown.Valid || !hasProblem(unknown, CodeUnknownGrid) {
		t.Errorf("Apply(staff of unknown grid) = %v, want unknown_grid", unknown.Errors)
	}
}

func TestStaffKeptByReshape(t *testing.T) {
	s := testSnapshot(t)
	comm := testCommunity(t, s, 4)
	a, b := neighbourPair(t, s, comm.Code)
	res, next := mustAccept(t, s, Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}})
	if len(res.Changes) == 0 {
		t.Fatal("merge changed nothing")
	}
	m, _ := next.Grid(a.Code)
	if !slices.Equal(m.Staff, a.Staff) {
		t.Errorf("merged grid staff = %+v, want the first grid's %+v", m.Staff, a.Staff)
	}
}

func TestStaffOpDecode(t *testing.T) {
	code := "520201001001001"
	good := `{"op":"staff","grid":"` + code + `","reason":"new worker","staff":[` +
		`{"name":"王秀英","role":"网格长","type":"兼职","phone":"138 1234 5678"},` +
		`{"name":"李明","role":"worker","phone":"13900001111"}]}`
	op, err := ParseOp([]byte(good))
	if err != nil {
		t.Fatalf("ParseOp(good staff op) = %v", err)
	}
	if len(op.Staff) != 2 || op.Staff[0].Role != geo.RoleHead || op.Staff[0].Type != geo.StaffPartTime || op.Staff[0].Phone != "138-1234-5678" || op.Staff[1].Type != 0 {
		t.Errorf("ParseOp staff = %+v", op.Staff)
	}
	b, err := op.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseOp(b)
	if err != nil || !slices.Equal(back.Staff, op.Staff) || back.Grid != op.Grid {
		t.Errorf("ParseOp(MarshalJSON(op)) = %+v, %v; want %+v (from %s)", back, err, op, b)
	}
	cases := []struct{ name, staff, field string }{
		{"not an array", `{}`, "staff"},
		{"empty name", `[{"name":"","role":"head","phone":"13812345678"}]`, "staff[0].name"},
		{"missing phone", `[{"name":"王","role":"head"}]`, "staff[0].phone"},
		{"bad phone", `[{"name":"王","role":"head","phone":"12345"}]`, "staff[0].phone"},
		{"bad role", `[{"name":"王","role":"boss","phone":"13812345678"}]`, "staff[0].role"},
		{"bad type", `[{"name":"王","role":"head","type":"sometimes","phone":"13812345678"}]`, "staff[0].type"},
		{"unknown member", `[{"name":"王","role":"head","phone":"13812345678","age":40}]`, "staff[0].age"},
		{"two heads", `[{"name":"王","role":"head","phone":"13812345678"},{"name":"李","role":"网格长","phone":"13812345679"}]`, "staff[1].role"},
		{"not a string", `[{"name":7,"role":"head","phone":"13812345678"}]`, "staff[0].name"},
		{"too many", "[" + strings.Repeat(`{"name":"王","role":"worker","phone":"13812345678"},`, geo.MaxStaff) + `{"name":"王","role":"worker","phone":"13812345678"}]`, "staff"},
	}
	for _, c := range cases {
		_, err := ParseOp([]byte(`{"op":"staff","grid":"` + code + `","staff":` + c.staff + `}`))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: ParseOp = %v, want a field error on %s", c.name, err, c.field)
		}
	}
	if _, err := ParseOp([]byte(`{"op":"staff","grid":"` + code + `"}`)); err == nil {
		t.Errorf("ParseOp(staff op without staff) = nil, want missing staff")
	}
	var fe *FieldError
	_, err = Apply(testSnapshot(t), Op{Kind: KindStaff, Grid: 520201001001001, Staff: []geo.Staff{{Name: "王", Role: geo.RoleHead, Phone: "1"}}}, Options{})
	if !errors.As(err, &fe) || fe.Field != "staff[0].phone" {
		t.Errorf("Apply(op with a bad phone) = %v, want a field error on staff[0].phone", err)
	}
}
