package bolt

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
)

// buildingColumns are a city's buildings as a checkpoint stores them:
// one column per field, the address parts as indexes into one list of
// distinct words. Gob decodes a column in one pass instead of a struct per
// building, and the decoded buildings share one copy of each word (a
// city's 180,000 addresses use a few thousand distinct parts).
type buildingColumns struct {
	Words []string
	ID    []uint64
	// Point holds lon, lat per building.
	Point []float64
	// Address holds addressParts word indexes per building.
	Address []uint32
	// Ints holds the door number, households, floors and units per building.
	Ints []int64
	Grid []uint64
}

// addressParts is the number of string parts of a geo.Address.
const addressParts = 8

// parts returns pointers to a's string parts in a fixed order.
func parts(a *geo.Address) [addressParts]*string {
	return [addressParts]*string{&a.Province, &a.City, &a.District, &a.Subdistrict, &a.Community, &a.Road, &a.Estate, &a.Building}
}

// newBuildingColumns stores bs in columns.
func newBuildingColumns(bs []*geo.Building) *buildingColumns {
	n := len(bs)
	c := &buildingColumns{ID: make([]uint64, n), Point: make([]float64, 0, 2*n),
		Address: make([]uint32, 0, addressParts*n), Ints: make([]int64, 0, 4*n), Grid: make([]uint64, n)}
	words := make(map[string]uint32)
	for i, b := range bs {
		c.ID[i], c.Grid[i] = uint64(b.ID), uint64(b.Grid)
		c.Point = append(c.Point, b.Point[0], b.Point[1])
		c.Ints = append(c.Ints, int64(b.Address.Number), int64(b.Households), int64(b.Floors), int64(b.Units))
		a := b.Address
		for _, p := range parts(&a) {
			w, ok := words[*p]
			if !ok {
				w = uint32(len(c.Words))
				words[*p] = w
				c.Words = append(c.Words, *p)
			}
			c.Address = append(c.Address, w)
		}
	}
	return c
}

// buildings decodes the columns into buildings held in one block.
func (c *buildingColumns) buildings() ([]*geo.Building, error) {
	n := len(c.ID)
	if len(c.Grid) != n || len(c.Point) != 2*n || len(c.Address) != addressParts*n || len(c.Ints) != 4*n {
		return nil, fmt.Errorf("%w: checkpoint: building columns of unequal length", store.ErrCorrupt)
	}
	block := make([]geo.Building, n)
	out := make([]*geo.Building, n)
	for i := range block {
		b := &block[i]
		b.ID, b.Grid = geo.BuildingID(c.ID[i]), geo.GridCode(c.Grid[i])
		b.Point[0], b.Point[1] = c.Point[2*i], c.Point[2*i+1]
		in := c.Ints[4*i : 4*i+4]
		b.Address.Number, b.Households, b.Floors, b.Units = int(in[0]), int(in[1]), int(in[2]), int(in[3])
		for k, p := range parts(&b.Address) {
			w := c.Address[addressParts*i+k]
			if int(w) >= len(c.Words) {
				return nil, fmt.Errorf("%w: checkpoint: building %d names word %d of %d", store.ErrCorrupt, b.ID, w, len(c.Words))
			}
			*p = c.Words[w]
		}
		out[i] = b
	}
	return out, nil
}

// gridRefs are the grids of a later checkpoint: every grid's id in the
// city's order, and only the grids that are not the base city's own
// (shared since version 0) in full.
type gridRefs struct {
	IDs     []geo.GridID
	Changed []*geo.Grid
}

// newGridRefs stores grids, sharing with base the grids it holds.
func newGridRefs(grids []*geo.Grid, base *store.BaseCity) *gridRefs {
	r := &gridRefs{IDs: make([]geo.GridID, len(grids))}
	for i, g := range grids {
		r.IDs[i] = g.ID
		if b, ok := base.Grid(g.ID); !ok || b != g {
			r.Changed = append(r.Changed, g)
		}
	}
	return r
}

// resolve returns the grids, taking the unchanged ones from base.
func (r *gridRefs) resolve(base *store.BaseCity, v uint64) ([]*geo.Grid, error) {
	changed := make(map[geo.GridID]*geo.Grid, len(r.Changed))
	for _, g := range r.Changed {
		changed[g.ID] = g
	}
	out := make([]*geo.Grid, len(r.IDs))
	for i, id := range r.IDs {
		g, ok := changed[id]
		if !ok {
			g, ok = base.Grid(id)
		}
		if !ok {
			return nil, fmt.Errorf("%w: checkpoint %d names unknown grid %d", store.ErrCorrupt, v, id)
		}
		out[i] = g
	}
	return out, nil
}
