package store

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// TestBaseCityFindsBuildings checks Moved and Rebuild on buildings sorted
// by id (found by bisection) and on unsorted ones (found through a map).
func TestBaseCityFindsBuildings(t *testing.T) {
	mk := func(ids ...geo.BuildingID) *geo.City {
		c := &geo.City{}
		for _, id := range ids {
			c.Buildings = append(c.Buildings, &geo.Building{ID: id, Grid: 1})
		}
		return c
	}
	for name, c := range map[string]*geo.City{"sorted": mk(2, 5, 9, 14), "unsorted": mk(9, 2, 14, 5)} {
		b := NewBaseCity(c)
		if (b.index == nil) != (name == "sorted") {
			t.Errorf("%s: map of buildings built = %v", name, b.index != nil)
		}
		next, err := b.Rebuild(3, nil, []MovedBuilding{{ID: 9, Grid: 7}})
		if err != nil {
			t.Fatalf("%s: Rebuild = %v", name, err)
		}
		moved := b.Moved(next)
		if len(moved) != 1 || moved[0] != (MovedBuilding{ID: 9, Grid: 7}) {
			t.Errorf("%s: Moved = %v, want building 9 in grid 7", name, moved)
		}
		if _, err := b.Rebuild(3, nil, []MovedBuilding{{ID: 6, Grid: 7}}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: moving an unknown building = %v, want ErrCorrupt", name, err)
		}
	}
}
