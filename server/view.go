package server

import (
	"bytes"
	"context"
	"strconv"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/gridmap/gridmap/tiles"
)

// A view is a snapshot plus the response fragments derived from it, built
// once per Swap so that lookups only copy bytes.
type view struct {
	snap *geo.Snapshot
	// walkCfg says how the walking network is built (set by Swap).
	walkCfg *WalkConfig
	// base, set by Swap, holds the newest walking network, coverage and
	// address index for this view's to be rebased on (derived.go); nil
	// for views of past versions, which build their own.
	base *lineage
	// warmCtx is cancelled when a newer view is swapped in, to stop
	// warming this one (set by Swap; nil for views of past versions).
	warmCtx    context.Context
	warmCancel context.CancelFunc
	// etag is the quoted entity tag of every GET response on this view.
	etag []byte
	// versionJSON is `,"version":N}`, the tail of lookup responses.
	versionJSON []byte

	// byID maps a grid id to its index in frags when ids are dense; byMap
	// is used otherwise.
	byID  []int32
	byMap map[geo.GridID]int32
	frags []gridFragments

	unitsOnce [maxUnitDepth + 1]sync.Once
	unitsJSON [maxUnitDepth + 1][]byte

	// walk is the walking network and its coverages (walk.go).
	walk walkView

	// renderer draws the view's vector tiles (tiles.go); tileGen, set when
	// it is built, keys the view's tiles in the server's tile cache.
	renderer lazy[*tiles.Renderer]
	tileGen  uint64
	// baseGen keys the tiles of the renderer this view's was made from
	// (0 for none), whose unchanged tiles warm carries over.
	baseGen uint64
	// search is the code and name index of /v1/search (search.go).
	search lazy[*searchIndex]
	// addrIndex is the address index of /v1/geocode and /v1/reverse
	// (geocode.go).
	addrIndex lazy[*address.Index]
	// ogc holds the collections of /ogc (ogc_layers.go).
	ogc lazy[*ogcLayers]
}

// gridFragments are one grid's precomputed response pieces.
type gridFragments struct {
	// grid is the grid they were built for; the next version's view reuses
	// them while the grid is unchanged.
	grid *geo.Grid
	// json is {"grid":{...},"community":{...},"subdistrict":{...},"district":{...}}.
	json []byte
	// csv is ",grid,community,subdistrict,district," (the error column follows).
	csv []byte
	// ndjson is `"grid":"...","community":"...","subdistrict":"...","district":"..."}`.
	ndjson []byte
}

func newView(s *geo.Snapshot) *view { return nextView(nil, s) }

// nextView is newView reusing prev's fragments of every grid that is
// unchanged (the same grid in the same units); prev may be nil.
func nextView(prev *view, s *geo.Snapshot) *view {
	if prev != nil && !sameUnits(prev.snap.City, s.City) {
		prev = nil
	}
	v := &view{snap: s}
	v.etag = []byte(`"v` + strconv.FormatUint(s.Version, 10) + "-" + strconv.FormatInt(s.Created.UnixNano(), 36) + `"`)
	v.versionJSON = []byte(`,"version":` + strconv.FormatUint(s.Version, 10) + `}`)
	grids := s.City.Grids
	v.frags = make([]gridFragments, len(grids))
	maxID := geo.GridID(0)
	for _, g := range grids {
		maxID = max(maxID, g.ID)
	}
	if int(maxID) <= 2*len(grids)+1024 {
		v.byID = make([]int32, int(maxID)+1)
		for i := range v.byID {
			v.byID[i] = -1
		}
	} else {
		v.byMap = make(map[geo.GridID]int32, len(grids))
	}
	// A view that reuses most fragments builds few: exact allocations then,
	// so that no shared arena block outlives the grids it was filled for.
	a := arena{exact: prev != nil}
	for i, g := range grids {
		if f := prev.reusable(g); f != nil {
			v.frags[i] = *f
		} else {
			v.frags[i] = buildFragments(&a, s.ChainOf(g))
		}
		if v.byID != nil {
			v.byID[g.ID] = int32(i)
		} else {
			v.byMap[g.ID] = int32(i)
		}
	}
	return v
}

// fragments returns the precomputed pieces for g, or nil if g is not in
// this view's snapshot.
func (v *view) fragments(g *geo.Grid) *gridFragments {
	i := int32(-1)
	if v.byID != nil {
		if int(g.ID) < len(v.byID) {
			i = v.byID[g.ID]
		}
	} else if j, ok := v.byMap[g.ID]; ok {
		i = j
	}
	if i < 0 {
		return nil
	}
	return &v.frags[i]
}

// reusable returns v's fragments of g when they were built for g itself,
// or nil; v may be nil.
func (v *view) reusable(g *geo.Grid) *gridFragments {
	if v == nil {
		return nil
	}
	if f := v.fragments(g); f != nil && f.grid == g {
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

// etagMatches reports whether an If-None-Match header value names v's tag.
func (v *view) etagMatches(inm []byte) bool {
	if len(inm) == 0 {
		return false
	}
	if bytes.Equal(inm, v.etag) {
		return true
	}
	for _, t := range bytes.Split(inm, []byte{','}) {
		t = bytes.TrimSpace(t)
		t = bytes.TrimPrefix(t, []byte("W/"))
		if bytes.Equal(t, v.etag) || bytes.Equal(t, []byte{'*'}) {
			return true
		}
	}
	return false
}

// buildFragments builds a grid's fragments and stores them in a.
func buildFragments(a *arena, ch geo.Chain) gridFragments {
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
		b = appendUnitRef(b, part.u)
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
	b = a.store(b)
	return gridFragments{grid: g, json: b[:jsonEnd:jsonEnd], csv: b[jsonEnd:csvEnd:csvEnd], ndjson: b[csvEnd:]}
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

// appendUnitRef appends {"code":"...","name":"..."} or null.
func appendUnitRef(b []byte, u *geo.Unit) []byte {
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
