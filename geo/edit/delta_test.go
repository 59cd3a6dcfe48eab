package edit

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// TestDeltaApplySplices checks that Apply's spliced grids equal the
// city's grids with the changes made and sorted again, that the moved
// building is a copy and the rest shared, and that c is unchanged.
func TestDeltaApplySplices(t *testing.T) {
	s := testSnapshot(t)
	c := s.City
	gs := c.Grids
	reshaped, recoded, retired := gs[5], gs[len(gs)/2], gs[len(gs)-3]
	r1 := *reshaped
	r1.Name = "reshaped"
	r2 := *recoded
	r2.Code = geo.GridCode(uint64(gs[1].Community())*1000 + 990) // moves far down
	maxID := NewCodeHistory(c, time.Time{}).MaxGridID()
	added := &geo.Grid{ID: maxID + 1, Code: geo.GridCode(uint64(gs[len(gs)-1].Community())*1000 + 991)}
	b := s.BuildingsIn(recoded.Code)[0]
	d := Delta{
		Changes: []Change{
			{ID: reshaped.ID, Kind: ChangeReshaped, Before: reshaped, After: &r1},
			{ID: recoded.ID, Kind: ChangeRecoded, Before: recoded, After: &r2},
			{ID: retired.ID, Kind: ChangeRetired, Before: retired},
			{ID: added.ID, Kind: ChangeAdded, After: added},
		},
		Moves: []Move{{Building: b.ID, From: recoded.Code, To: r2.Code}},
	}
	before := slices.Clone(gs)
	next, err := d.Apply(c)
	if err != nil {
		t.Fatal(err)
	}
	var want []*geo.Grid
	for _, g := range gs {
		switch g {
		case reshaped:
			want = append(want, &r1)
		case recoded:
			want = append(want, &r2)
		case retired:
		default:
			want = append(want, g)
		}
	}
	want = append(want, added)
	slices.SortStableFunc(want, func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) })
	if !slices.Equal(next.Grids, want) {
		t.Errorf("Apply's grids differ from the changed grids sorted again")
	}
	if !slices.Equal(c.Grids, before) {
		t.Errorf("Apply modified the city's grids")
	}
	moved := 0
	for i, nb := range next.Buildings {
		if nb != c.Buildings[i] {
			moved++
			if nb.ID != b.ID || nb.Grid != r2.Code || c.Buildings[i].Grid != recoded.Code {
				t.Errorf("building %d: %s, was %s", nb.ID, nb.Grid, c.Buildings[i].Grid)
			}
		}
	}
	if moved != 1 {
		t.Errorf("%d buildings copied, want 1", moved)
	}
	if err := d.Fits(c, maxID); err != nil {
		t.Errorf("Fits = %v", err)
	}
	if err := d.Fits(next, 0); !errors.Is(err, ErrDelta) {
		t.Errorf("Fits on the city after = %v, want ErrDelta", err)
	}
}

// TestDeltaRefusesMisfits checks each way a delta does not fit.
func TestDeltaRefusesMisfits(t *testing.T) {
	s := testSnapshot(t)
	c := s.City
	g, h := c.Grids[3], c.Grids[4]
	other := *g
	other.Code = h.Code
	b := s.BuildingsIn(g.Code)[0]
	for name, d := range map[string]Delta{
		"before under another code": {Changes: []Change{{ID: g.ID, Before: &other, After: g}}},
		"before not in the city":    {Changes: []Change{{ID: 1 << 30, Before: &geo.Grid{ID: 1 << 30, Code: g.Code + 500}}}},
		"new id taken":              {Changes: []Change{{ID: h.ID, After: h}}},
		"nothing":                   {Changes: []Change{{ID: g.ID}}},
		"other id":                  {Changes: []Change{{ID: g.ID, Before: g, After: h}}},
		"twice":                     {Changes: []Change{{ID: g.ID, Before: g}, {ID: g.ID, Before: g}}},
		"building elsewhere":        {Moves: []Move{{Building: b.ID, From: h.Code, To: g.Code}}},
		"no building":               {Moves: []Move{{Building: 1 << 31, From: h.Code, To: g.Code}}},
	} {
		if _, err := d.Apply(c); !errors.Is(err, ErrDelta) {
			t.Errorf("%s: Apply = %v, want ErrDelta", name, err)
		}
		if err := d.Fits(c, 0); !errors.Is(err, ErrDelta) {
			t.Errorf("%s: Fits = %v, want ErrDelta", name, err)
		}
	}
}
