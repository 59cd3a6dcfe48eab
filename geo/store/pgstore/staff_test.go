package pgstore

import (
	"context"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// TestStaffRoundTrip commits a staff change and a split of the same grid
// to PostgreSQL and checks the staff after a reopen, at each version and
// after a checkpoint.
func TestStaffRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, dsn := openNew(t, Options{})
	st0, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := biggestGrid(t, snapshot(t, st0), 8)
	if len(big.Staff) == 0 {
		t.Fatalf("fixture grid %s has no staff", big.Code)
	}
	list := []geo.Staff{{Name: "孙建国", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "138-5800-0001"},
		{Name: "周芳", Role: geo.RoleWorker, Phone: "0858-8221234"}}
	op := edit.Op{Kind: edit.KindStaff, Grid: big.Code, Staff: list}
	res, err := edit.Apply(snapshot(t, st0), op, edit.Options{History: st0.History})
	if err != nil || !res.Valid {
		t.Fatalf("Apply(staff) = %v %v", err, res.Errors)
	}
	cs, err := store.NewChangeset(0, "planner", "new head", op, res)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, cs); err != nil {
		t.Fatalf("Append(staff) = %v", err)
	}
	st1, _ := s.Load(ctx)
	split, _ := splitChangeset(t, st1, big.Code, "planner")
	if err := s.Append(ctx, split); err != nil {
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
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openAt(t, dsn, Options{})
	st, err := s2.Load(ctx)
	if err != nil || st.Version != 2 || !slices.Equal(staffOf(st), list) {
		t.Fatalf("reopened: version %d, staff %+v, %v; want 2, %+v", st.Version, staffOf(st), err, list)
	}
	if at0, _ := s2.CityAt(ctx, 0); !slices.Equal(staffOf(at0), big.Staff) {
		t.Errorf("CityAt(0) staff = %+v, want the seed's", staffOf(at0))
	}
	got, err := s2.Changeset(ctx, 1)
	if err != nil || got.Kind != string(edit.KindStaff) || !slices.Equal(got.Changes[0].StaffAfter, list) || !slices.Equal(got.Changes[0].StaffBefore, big.Staff) {
		t.Errorf("Changeset(1) = %+v, %v", got, err)
	}
	if err := s2.Checkpoint(ctx, st); err != nil {
		t.Fatal(err)
	}
	s3 := openAt(t, dsn, Options{})
	if again, _ := s3.Load(ctx); !slices.Equal(staffOf(again), list) {
		t.Errorf("after a checkpoint and reopen, staff = %+v", staffOf(again))
	}
}
