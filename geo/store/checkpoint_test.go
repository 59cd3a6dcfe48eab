package store

import (
	"context"
	"testing"
)

// TestReopenSharesBaseCity checks that a reopened store holds the base
// city once: the state of version 0 and the states replayed on it share
// the base city's buildings rather than a second decoded copy.
func TestReopenSharesBaseCity(t *testing.T) {
	ctx := context.Background()
	b, dir := openTemp(t, Options{NoSync: true})
	b.Close()
	b, err := OpenOptions(dir, nil, Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening = %v", err)
	}
	st, _ := b.Load(ctx)
	if st.City != b.base.city {
		t.Errorf("version 0 after reopening: the state's city is a second copy of the base city")
	}
	appendRenames(t, b, 2, "a")
	b.Close()
	b, err = OpenOptions(dir, nil, Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening = %v", err)
	}
	defer b.Close()
	st, _ = b.Load(ctx)
	if st.City.Buildings[0] != b.base.city.Buildings[0] {
		t.Errorf("version 2 after reopening: buildings are not shared with the base city")
	}
	zero, err := b.CityAt(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if zero.City != b.base.city {
		t.Errorf("CityAt(0) decodes the base city again")
	}
}
