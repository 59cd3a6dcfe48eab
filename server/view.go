package server

import (
	"bytes"
	"context"
	"strconv"
	"sync"

	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/search"
	"github.com/gridmap/gridmap/tiles"
)

// A view is a snapshot plus the response fragments derived from it, built
// once per Swap so that lookups only copy bytes.
type view struct {
	snap *geo.Snapshot
	// scopes, when set, are the read scopes this view was cut down to
	// (readscope.go); nil for a view of the whole city.
	scopes []geo.DivisionCode
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

	// answers are the grids' precomputed answer pieces, shared with the
	// bulk streams.
	answers *bulk.Answers

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
	search lazy[*search.Index]
	// addrIndex is the address index of /v1/geocode and /v1/reverse
	// (geocode.go).
	addrIndex lazy[*address.Index]
	// ogc holds the collections of /ogc (ogc_layers.go).
	ogc lazy[*ogcLayers]
}

func newView(s *geo.Snapshot) *view { return nextView(nil, s) }

// nextView is newView reusing prev's answer fragments of every grid that
// is unchanged (bulk.NewAnswers); prev may be nil.
func nextView(prev *view, s *geo.Snapshot) *view {
	v := &view{snap: s}
	v.etag = []byte(`"v` + strconv.FormatUint(s.Version, 10) + "-" + strconv.FormatInt(s.Created.UnixNano(), 36) + `"`)
	v.versionJSON = []byte(`,"version":` + strconv.FormatUint(s.Version, 10) + `}`)
	var prevAnswers *bulk.Answers
	if prev != nil {
		prevAnswers = prev.answers
	}
	v.answers = bulk.NewAnswers(prevAnswers, s)
	return v
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
