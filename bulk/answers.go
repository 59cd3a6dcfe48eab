package bulk

import (
	"strconv"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// Answers are one city version's precomputed answer pieces, a grid's
// Fragments each, so that answering a point or an address only copies
// bytes. The HTTP lookups and the bulk streams write the same pieces.
type Answers struct {
	snap *geo.Snapshot
	// byID maps a grid id to its index in frags when ids are dense; byMap
	// is used otherwise.
	byID  []int32
	byMap map[geo.GridID]int32
	frags []Fragments
}

// Fragments are one grid's precomputed answer pieces.
type Fragments struct {
	// Grid is the grid they were built for; the next version's Answers
	// reuse them while the grid is unchanged.
	Grid *geo.Grid
	// JSON is {"grid":{...},"community":{...},"subdistrict":{...},"district":{...}}.
	JSON []byte
	// CSV is ",grid,community,subdistrict,district," (the error column follows).
	CSV []byte
	// NDJSON is `"grid":"...","community":"...","subdistrict":"...","district":"..."}`.
	NDJSON []byte
}

// NullChain is the grid chain of an answer without a grid, the members
// that Fragments.NDJSON holds for a grid.
const NullChain = `"grid":null,"community":null,"subdistrict":null,"district":null`

// NewAnswers builds the answers of s, reusing prev's fragments of every
// grid that is unchanged (the same grid in the same units); prev may be
// nil.
func NewAnswers(prev *Answers, s *geo.Snapshot) *Answers {
	if prev != nil && !sameUnits(prev.snap.City, s.City) {
		prev = nil
	}
	a := &Answers{snap: s}
	grids := s.City.Grids
	a.frags = make([]Fragments, len(grids))
	maxID := geo.GridID(0)
	for _, g := range grids {
		maxID = max(maxID, g.ID)
	}
	if int(maxID) <= 2*len(grids)+1024 {
		a.byID = make([]int32, int(maxID)+1)
		for i := range a.byID {
			a.byID[i] = -1
		}
	} else {
		a.byMap = make(map[geo.GridID]int32, len(grids))
	}
	// Answers that reuse most fragments build few: exact allocations
	// then, so that no shared arena block outlives the grids it was
	// filled for.
	ar := arena{exact: prev != nil}
	for i, g := range grids {
		if f := prev.reusable(g); f != nil {
			a.frags[i] = *f
		} else {
			a.frags[i] = buildFragments(&ar, s.ChainOf(g))
		}
		if a.byID != nil {
			a.byID[g.ID] = int32(i)
		} else {
			a.byMap[g.ID] = int32(i)
		}
	}
	return a
}

// Of returns the fragments of g, or nil if g is not in this version.
func (a *Answers) Of(g *geo.Grid) *Fragments {
	i := int32(-1)
	if a.byID != nil {
		if int(g.ID) < len(a.byID) {
			i = a.byID[g.ID]
		}
	} else if j, ok := a.byMap[g.ID]; ok {
		i = j
	}
	if i < 0 {
		return nil
	}
	return &a.frags[i]
}

// ByCode returns the fragments of the grid with code c, or nil for the
// zero code or a grid not in this version.
func (a *Answers) ByCode(c geo.GridCode) *Fragments {
	if c == 0 {
		return nil
	}
	g, ok := a.snap.Grid(c)
	if !ok {
		return nil
	}
	return a.Of(g)
}

// Locate returns the fragments of the grid holding the WGS-84 point p, or
// nil when p is in no grid.
func (a *Answers) Locate(p orb.Point) *Fragments {
	g, ok := a.snap.Locate(p)
	if !ok {
		return nil
	}
	return a.Of(g)
}

// reusable returns a's fragments of g when they were built for g itself,
// or nil; a may be nil.
func (a *Answers) reusable(g *geo.Grid) *Fragments {
	if a == nil {
		return nil
	}
	if f := a.Of(g); f != nil && f.Grid == g {
		return f
	}
	return nil
}

// sameUnits reports whether b has a's units (the same values, in order).
func sameUnits(a, b *geo.City) bool {
	if len(a.Units) != len(b.Units) {
		return false
	}
	for i, u := range a.Units {
		if b.Units[i] != u {
			return false
		}
	}
	return true
}

// buildFragments builds a grid's fragments and stores them in ar.
func buildFragments(ar *arena, ch geo.Chain) Fragments {
	g := ch.Grid
	b := make([]byte, 0, 512)
	b = append(b, `{"grid":{"id":`...)
	b = strconv.AppendUint(b, uint64(g.ID), 10)
	b = append(b, `,"code":"`...)
	b = append(b, g.Code.String()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, g.Name)
	b = append(b, '}')
	for _, part := range []struct {
		key string
		u   *geo.Unit
	}{{"community", ch.Community}, {"subdistrict", ch.Subdistrict}, {"district", ch.District}} {
		b = append(b, `,"`...)
		b = append(b, part.key...)
		b = append(b, `":`...)
		b = AppendUnitRef(b, part.u)
	}
	b = append(b, '}')
	jsonEnd := len(b)

	codes := [4]string{g.Code.String(), unitCode(ch.Community), unitCode(ch.Subdistrict), unitCode(ch.District)}
	for _, code := range codes {
		b = append(b, ',')
		b = append(b, code...)
	}
	b = append(b, ',')
	csvEnd := len(b)

	for i, key := range [4]string{"grid", "community", "subdistrict", "district"} {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":`...)
		if codes[i] == "" {
			b = append(b, "null"...)
		} else {
			b = append(b, '"')
			b = append(b, codes[i]...)
			b = append(b, '"')
		}
	}
	b = append(b, '}')
	b = ar.store(b)
	return Fragments{Grid: g, JSON: b[:jsonEnd:jsonEnd], CSV: b[jsonEnd:csvEnd:csvEnd], NDJSON: b[csvEnd:]}
}

// An arena packs many small byte slices into large blocks, so that the
// fragments of a city cost no per-slice capacity slack.
type arena struct {
	block []byte
	// exact makes store allocate each slice on its own.
	exact bool
}

const arenaBlock = 1 << 20

// store copies b into the arena and returns the copy.
func (a *arena) store(b []byte) []byte {
	if a.exact || len(b) > arenaBlock/4 {
		return append([]byte(nil), b...)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, arenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

// AppendUnitRef appends a unit as {"code":"...","name":"..."}, or null.
func AppendUnitRef(b []byte, u *geo.Unit) []byte {
	if u == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"code":"`...)
	b = append(b, u.Code.String()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, u.Name)
	return append(b, '}')
}

func unitCode(u *geo.Unit) string {
	if u == nil {
		return ""
	}
	return u.Code.String()
}
