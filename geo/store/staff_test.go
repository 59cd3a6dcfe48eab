package store

import (
	"context"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

// TestStaffRoundTrip commits a staff change and a split of the same
// grid, and checks both survive a reopen, CityAt, a checkpoint and a
// revert.
func TestStaffRoundTrip(t *testing.T) {
	ctx := context.Background()
	b, dir := openTemp(t, Options{})
	st0, _ := b.Load(ctx)
	s0, _ := geo.NewSnapshot(st0.City, 0)
	_, big := testCommunity(t, s0, 8)
	if len(big.Staff) == 0 {
		t.Fatalf("fixture grid %s has no staff", big.Code)
	}
	list := []geo.Staff{{Name: "孙建国", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "138-5800-0001"},
		{Name: "周芳", Role: geo.RoleWorker, Type: geo.StaffPartTime, Phone: "139-8500-0002"}}
	cs, _ := commitEdit(t, b, edit.Op{Kind: edit.KindStaff, Grid: big.Code, Staff: list}, "planner")
	if cs.Kind != string(edit.KindStaff) || len(cs.Changes) != 1 || !slices.Equal(cs.Changes[0].StaffAfter, list) || !slices.Equal(cs.Changes[0].StaffBefore, big.Staff) {
		t.Fatalf("staff changeset = %+v", cs)
	}
	commitEdit(t, b, edit.Op{Kind: edit.KindSplit, Grid: big.Code, Line: splitLine(big)}, "planner")
	staffOf := func(st *State) []geo.Staff {
		t.Helper()
		for _, g := range st.City.Grids {
			if g.ID == big.ID {
				return g.Staff
			}
		}
		t.Fatalf("version %d: grid %d gone", st.Version, big.ID)
		return nil
	}
	st2, _ := b.Load(ctx)
	if got := staffOf(st2); !slices.Equal(got, list) {
		t.Errorf("after the split, staff = %+v, want %+v", got, list)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(dir, seedCity)
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	st, _ := b2.Load(ctx)
	if st.Version != 2 || !slices.Equal(staffOf(st), list) {
		t.Errorf("reopened at version %d, staff %+v; want 2, %+v", st.Version, staffOf(st), list)
	}
	st1, err := b2.CityAt(ctx, 1)
	if err != nil || !slices.Equal(staffOf(st1), list) {
		t.Errorf("CityAt(1) staff = %+v, %v", staffOf(st1), err)
	}
	if st0, _ := b2.CityAt(ctx, 0); !slices.Equal(staffOf(st0), big.Staff) {
		t.Errorf("CityAt(0) staff = %+v, want the seed's", staffOf(st0))
	}
	if err := b2.Checkpoint(ctx, st); err != nil {
		t.Fatal(err)
	}
	if again, _ := b2.CityAt(ctx, 2); !slices.Equal(staffOf(again), list) {
		t.Errorf("after a checkpoint, CityAt(2) staff = %+v", staffOf(again))
	}
	cs1, _ := b2.Changeset(ctx, 1)
	s2, _ := geo.NewSnapshot(st.City, st.Version)
	op, err := RevertOp(s2, cs1)
	if err != nil || op.Kind != edit.KindStaff || !slices.Equal(op.Staff, big.Staff) {
		t.Errorf("RevertOp(staff changeset) = %+v, %v; want a staff op with the seed's staff", op, err)
	}
}
