package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// testStaff commits a staff change and a split of the same grid, and
// checks that the staff survive a reopen, CityAt, a checkpoint and a
// reopen after it, that the changeset carries the staff before and after,
// and that its revert is a staff op giving back the staff before.
func testStaff(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	st0, err := h.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := BiggestGrid(t, Snapshot(t, st0), 8)
	if len(big.Staff) == 0 {
		t.Fatalf("fixture grid %s has no staff", big.Code)
	}
	list := []geo.Staff{{Name: "孙建国", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "138-5800-0001"},
		{Name: "周芳", Role: geo.RoleWorker, Type: geo.StaffPartTime, Phone: "0858-8221234"}}
	cs, _ := EditChangeset(t, st0, edit.Op{Kind: edit.KindStaff, Grid: big.Code, Staff: list}, "planner")
	if err := h.Append(ctx, cs); err != nil {
		t.Fatalf("Append(staff) = %v", err)
	}
	if cs.Kind != string(edit.KindStaff) || len(cs.Changes) != 1 || !slices.Equal(cs.Changes[0].StaffAfter, list) || !slices.Equal(cs.Changes[0].StaffBefore, big.Staff) {
		t.Fatalf("staff changeset = %+v", cs)
	}
	st1, _ := h.Load(ctx)
	split, _ := SplitChangeset(t, st1, big.Code, "planner")
	if err := h.Append(ctx, split); err != nil {
		t.Fatalf("Append(split) = %v", err)
	}
	staffOf := func(st *store.State) []geo.Staff {
		t.Helper()
		for _, g := range st.City.Grids {
			if g.ID == big.ID {
				return g.Staff
			}
		}
		t.Fatalf("version %d: grid %d gone", st.Version, big.ID)
		return nil
	}
	s := h.Reopen(Config{})
	st, err := s.Load(ctx)
	if err != nil || st.Version != 2 || !slices.Equal(staffOf(st), list) {
		t.Fatalf("reopened: version %d, staff %+v, %v; want 2, %+v", st.Version, staffOf(st), err, list)
	}
	if at1, err := s.CityAt(ctx, 1); err != nil || !slices.Equal(staffOf(at1), list) {
		t.Errorf("CityAt(1) staff = %+v, %v", staffOf(at1), err)
	}
	if at0, _ := s.CityAt(ctx, 0); !slices.Equal(staffOf(at0), big.Staff) {
		t.Errorf("CityAt(0) staff = %+v, want the seed's", staffOf(at0))
	}
	got, err := s.Changeset(ctx, 1)
	if err != nil || got.Kind != string(edit.KindStaff) || !slices.Equal(got.Changes[0].StaffAfter, list) || !slices.Equal(got.Changes[0].StaffBefore, big.Staff) {
		t.Fatalf("Changeset(1) = %+v, %v", got, err)
	}
	if err := s.Checkpoint(ctx, st); err != nil {
		t.Fatal(err)
	}
	if again, err := s.CityAt(ctx, 2); err != nil || !slices.Equal(staffOf(again), list) {
		t.Errorf("after a checkpoint, CityAt(2) staff = %+v, %v", staffOf(again), err)
	}
	op, err := store.RevertOp(Snapshot(t, st), got)
	if err != nil || op.Kind != edit.KindStaff || !slices.Equal(op.Staff, big.Staff) {
		t.Errorf("RevertOp(staff changeset) = %+v, %v; want a staff op with the seed's staff", op, err)
	}
	s = h.Reopen(Config{})
	if again, err := s.Load(ctx); err != nil || !slices.Equal(staffOf(again), list) {
		t.Errorf("after a checkpoint and reopen, staff = %+v, %v", staffOf(again), err)
	}
}
