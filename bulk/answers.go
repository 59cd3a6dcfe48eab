package bulk

import (
	"maps"
	"slices"
	"strconv"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// Answers are one city version's precomputed answer pieces, a grid's
// Fragments each, so that answering a point or an address only copies
// bytes. The HTTP lookups and the bulk streams write the same pieces.
//
// The fragments are held by grid id in chunks that consecutive versions
// share copy-on-write: the Answers of the next version copy the chunk
// directory and the chunks its changed grids fall in, so building them
// after an edit costs in proportion to the edit, not the city.
type Answers struct {
	snap *geo.Snapshot
	// chunks hold the fragments by grid id (id>>chunkBits, then the low
	// bits) when ids are dense; a nil chunk holds no grid. Shared with
	// other versions: never written once built.
	chunks []*fragChunk
	// byMap is used when ids are sparse.
	byMap map[geo.GridID]*Fragments
}

// chunkBits sets the grids per chunk (256: 20 KB of Fragments).
const chunkBits = 8

// A fragChunk holds the fragments of 1<<chunkBits consecutive grid ids; a
// zero Fragments (nil Grid) is an id no grid of the version has.
type fragChunk [1 << chunkBits]Fragments

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
// nil. When prev has s's units, only the grids that differ between the
// two versions' grid lists are visited and built.
func NewAnswers(prev *Answers, s *geo.Snapshot) *Answers {
	if prev != nil && sameUnits(prev.snap.City, s.City) {
		if a, ok := prev.next(s); ok {
			return a
		}
	}
	return buildAnswers(s)
}

// denseIDs reports whether ids up to maxID are dense enough for chunks
// among n grids.
func denseIDs(maxID geo.GridID, n int) bool { return int(maxID) <= 2*n+1024 }

// buildAnswers builds every grid's fragments.
func buildAnswers(s *geo.Snapshot) *Answers {
	a := &Answers{snap: s}
	grids := s.City.Grids
	maxID := geo.GridID(0)
	for _, g := range grids {
		maxID = max(maxID, g.ID)
	}
	if denseIDs(maxID, len(grids)) {
		a.chunks = make([]*fragChunk, int(maxID>>chunkBits)+1)
	} else {
		a.byMap = make(map[geo.GridID]*Fragments, len(grids))
	}
	var ar arena
	for _, g := range grids {
		a.put(buildFragments(&ar, s.ChainOf(g)), nil)
	}
	return a
}

// next returns the answers of s patched from a's: the fragments of the
// grids a's version has and s's has not are dropped, those of the grids
// s's has and a's has not are built, the rest are shared. It reports
// false when s's grids are too many changed, not sorted by code or its
// ids not dense.
func (a *Answers) next(s *geo.Snapshot) (*Answers, bool) {
	removed, added, ok := geo.DiffGrids(a.snap.City.Grids, s.City.Grids)
	if !ok || len(removed)+len(added) > max(64, len(s.City.Grids)/8) {
		return nil, false
	}
	n := &Answers{snap: s}
	copied := map[int]bool{}
	if a.chunks != nil {
		for _, g := range added {
			if !denseIDs(g.ID, len(s.City.Grids)) {
				return nil, false
			}
		}
		n.chunks = slices.Clone(a.chunks)
	} else {
		n.byMap = maps.Clone(a.byMap)
	}
	for _, g := range removed {
		n.drop(g, copied)
	}
	// Exact allocations: no shared arena block outlives the grids it was
	// filled for.
	ar := arena{exact: true}
	for _, g := range added {
		n.put(buildFragments(&ar, s.ChainOf(g)), copied)
	}
	return n, true
}

// chunkFor returns the chunk of id for writing: a copy of a shared one
// the first time (copied records the copies), a new one where none is.
func (a *Answers) chunkFor(id geo.GridID, copied map[int]bool) *fragChunk {
	k := int(id >> chunkBits)
	if k >= len(a.chunks) {
		a.chunks = append(a.chunks, make([]*fragChunk, k+1-len(a.chunks))...)
	}
	switch c := a.chunks[k]; {
	case c == nil:
		a.chunks[k] = new(fragChunk)
	case copied != nil && !copied[k]:
		cp := *c
		a.chunks[k] = &cp
	}
	if copied != nil {
		copied[k] = true
	}
	return a.chunks[k]
}

// put stores f under its grid's id (copied: see chunkFor; nil while
// building from scratch).
func (a *Answers) put(f Fragments, copied map[int]bool) {
	id := f.Grid.ID
	if a.chunks == nil {
		a.byMap[id] = &f
		return
	}
	a.chunkFor(id, copied)[id&(1<<chunkBits-1)] = f
}

// drop removes the fragments of g, unless they are another grid's.
func (a *Answers) drop(g *geo.Grid, copied map[int]bool) {
	if f := a.Of(g); f == nil || f.Grid != g {
		return
	}
	if a.chunks == nil {
		delete(a.byMap, g.ID)
		return
	}
	a.chunkFor(g.ID, copied)[g.ID&(1<<chunkBits-1)] = Fragments{}
}

// Of returns the fragments of the grid with g's id, or nil if no grid of
// this version has it.
func (a *Answers) Of(g *geo.Grid) *Fragments {
	if a.chunks == nil {
		return a.byMap[g.ID]
	}
	k := int(g.ID >> chunkBits)
	if k >= len(a.chunks) || a.chunks[k] == nil {
		return nil
	}
	if f := &a.chunks[k][g.ID&(1<<chunkBits-1)]; f.Grid != nil {
		return f
	}
	return nil
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
