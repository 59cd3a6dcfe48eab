package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/tiles"
	"github.com/prometheus/client_golang/prometheus"
)

// mvtContentType is the media type of a Mapbox Vector Tile.
const mvtContentType = "application/vnd.mapbox-vector-tile"

var (
	headerXCache          = []byte("X-Cache")
	headerCacheControl    = []byte("Cache-Control")
	headerVary            = []byte("Vary")
	headerContentEncoding = []byte("Content-Encoding")
	headerAcceptEncoding  = []byte("Accept-Encoding")
	valueHit              = []byte("HIT")
	valueMiss             = []byte("MISS")
	valueGzip             = []byte("gzip")
)

// A tileServer serves the vector tiles of the server's current view through
// one server-wide cache.
type tileServer struct {
	s *Server
	// cache holds rendered tiles keyed on the view's tileGen; nil when
	// Config.TileCacheBytes is negative.
	cache        *tiles.Cache
	cacheControl []byte
	// gens hands every view's renderer a cache key of its own, so that two
	// snapshots with the same version number never share tiles.
	gens atomic.Uint64
}

// registerMaps registers what the web map needs: the tiles, their TileJSON
// document and the search, and warms each new view's renderer and index.
func (s *Server) registerMaps() error {
	ts := &tileServer{s: s, cacheControl: []byte(s.cfg.TileCacheControl)}
	s.tileSrv = ts
	if s.cfg.TileCacheBytes > 0 {
		ts.cache = tiles.NewCache(s.cfg.TileCacheBytes)
		ts.registerMetrics(s.metrics.reg)
	}
	for _, r := range []struct {
		path string
		h    Handler
	}{
		{"/tiles.json", ts.handleTileJSON},
		{"/tiles/:z/:x/:y", ts.handleTile},
		{"/v1/search", s.handleSearch},
		{"/v1/export/tiles.pmtiles", s.handleTileArchive},
		{"/styles/gridmap.json", s.handleStyle},
	} {
		if err := s.Handle(http.MethodGet, r.path, r.h); err != nil {
			return err
		}
	}
	s.warmers = append(s.warmers, ts.warm, s.warmSearch, ts.prepare)
	return nil
}

// renderer returns view v's tile renderer, building it on first use.
// Made from the newest renderer (tiles.NewRendererFrom), the renderer
// and its zooms are patched in time proportional to the edit, so their
// builds go ahead of long ones like the quick warmers' (backgroundFirst);
// a renderer built whole waits its turn.
func (ts *tileServer) renderer(v *view) (*tiles.Renderer, error) {
	return ts.buildRenderer(v, false)
}

// buildRenderer is renderer; with skip, a build whose turn comes after a newer
// version replaced v (a whole view) gives up with errSuperseded, which
// v keeps no record of.
func (ts *tileServer) buildRenderer(v *view, skip bool) (*tiles.Renderer, error) {
	return v.renderer.get(func() (r *tiles.Renderer, err error) {
		opts := ts.s.tileOptions(v) // builds the coverage first, in its own turn
		base, baseGen := v.base.tileRenderer()
		run := background
		if base != nil {
			run = backgroundFirst
		}
		opts.Run = run
		run(func() {
			if skip && ts.superseded(v) {
				err = errSuperseded
				return
			}
			r, err = tiles.NewRendererFrom(v.snap, opts, base)
		})
		if errors.Is(err, errSuperseded) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("building the tiles of version %d: %w", v.snap.Version, err)
		}
		v.tileGen, v.baseGen = ts.gens.Add(1), baseGen
		v.base.keepRenderer(v, r)
		return r, nil
	})
}

// superseded reports whether v, a whole (unscoped) view, is no longer
// the current one because a newer version replaced it.
func (ts *tileServer) superseded(v *view) bool {
	cur := ts.s.view.Load()
	return v.scopes == nil && cur != nil && cur != v && cur.snap.Version > v.snap.Version
}

// servingRenderer returns the renderer a tile request for view v draws
// with and its tile cache key: v's own, built on first use, unless v is a
// whole-city view that a newer commit replaced before its build's turn
// came; then the request draws with the current view's renderer (built
// the same way), a newer version than it asked for, never an older one.
// So requests during a burst of commits never queue a renderer for every
// version, only for the versions current when a build's turn comes; after
// maxSuperseded such steps v's renderer is built regardless, so a request
// always ends.
func (ts *tileServer) servingRenderer(v *view) (*tiles.Renderer, uint64, error) {
	for try := 0; ; try++ {
		if r, ok := v.renderer.ready(); ok {
			return r, v.tileGen, nil
		}
		r, err := ts.buildRenderer(v, v.scopes == nil && try < maxSuperseded)
		if err == nil {
			return r, v.tileGen, nil
		}
		if !errors.Is(err, errSuperseded) {
			return nil, 0, err
		}
		v = ts.s.view.Load()
	}
}

// maxSuperseded bounds how many times a tile request moves on to a newer
// version (see servingRenderer).
const maxSuperseded = 4

// warm builds a new view's renderer and, if the view is still current,
// carries over from the previous version's cached tiles those it draws
// the same (tiles.Changes: away from the polygons and points the edit
// changed) and drops the cached tiles of every other view.
func (ts *tileServer) warm(v *view) {
	if ts.s.view.Load() != v {
		return
	}
	r, err := ts.renderer(v)
	if err != nil {
		ts.s.log.Error("warming tiles", "version", v.snap.Version, "err", err)
		return
	}
	if ts.cache != nil && ts.s.view.Load() == v {
		var changes *tiles.Changes
		if v.baseGen != 0 {
			background(func() { changes = r.Changes() })
		}
		if changes != nil {
			ts.cache.Carry(v.baseGen, v.tileGen, changes.Unchanged)
		}
		ts.cache.Retain(v.tileGen)
	}
}

// prepare builds (or patches) every zoom's generalised geometry of a new
// view's renderer, zoom by zoom, each in its own turn of the Background
// limiter, until a newer view cancels it.
func (ts *tileServer) prepare(v *view) {
	r, err := ts.renderer(v)
	if err != nil {
		return // warm logged it
	}
	ctx := v.warmCtx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := r.Prepare(ctx); err != nil && ctx.Err() == nil {
		ts.s.log.Error("warming tiles", "version", v.snap.Version, "err", err)
	}
}

// handleTile answers GET /tiles/{z}/{x}/{y}.mvt with one vector tile.
func (ts *tileServer) handleTile(c *fiber.Ctx) error {
	k, err := parseTilePath(c.Params("z"), c.Params("x"), c.Params("y"))
	if err != nil {
		return err
	}
	v, err := ts.s.readView(c)
	if err != nil {
		return err
	}
	r, gen, err := ts.servingRenderer(v)
	if err != nil {
		return err
	}
	var tile tiles.Tile
	hit := false
	if ts.cache == nil {
		tile, err = r.RenderTile(k)
	} else {
		tile, hit, err = ts.cache.Get(gen, k, func() (tiles.Tile, error) { return r.RenderTile(k) })
	}
	if err != nil {
		return fmt.Errorf("serving tile %s: %w", k, err)
	}
	ts.writeTile(c, tile, hit)
	return nil
}

// parseTilePath parses the z, x and y path segments of a tile request; y
// must end in ".mvt". A fault is a *FieldError naming z, x or y.
func parseTilePath(z, x, y string) (tiles.Key, error) {
	row, ok := strings.CutSuffix(y, ".mvt")
	if !ok {
		return tiles.Key{}, fieldErr(http.StatusBadRequest, "y", "%s must be a row number followed by .mvt", quoteClip([]byte(y)))
	}
	k, err := tiles.ParseKey(z, x, row)
	if err != nil {
		var ke *tiles.KeyError
		if errors.As(err, &ke) {
			return tiles.Key{}, fieldErr(http.StatusBadRequest, ke.Field, "%s %s", quoteClip([]byte(ke.Value)), ke.Reason)
		}
		return tiles.Key{}, fieldErr(http.StatusBadRequest, "z", "%v", err)
	}
	return k, nil
}

// writeTile writes a tile response: 304 when If-None-Match names the tile,
// 204 for an empty tile, else the MVT bytes, gzipped when the client
// accepts gzip. The gzipped form has its own ETag (the tile's with "-gz"),
// as RFC 9110 wants of a different representation.
func (ts *tileServer) writeTile(c *fiber.Ctx, tile tiles.Tile, hit bool) {
	h := &c.Response().Header
	if hit {
		h.SetCanonical(headerXCache, valueHit)
	} else {
		h.SetCanonical(headerXCache, valueMiss)
	}
	h.SetCanonical(headerCacheControl, ts.cacheControl)
	ts.s.markPrivate(c)
	h.SetCanonical(headerVary, headerAcceptEncoding)
	gz := !tile.Empty && acceptsGzip(c.Request().Header.PeekBytes(headerAcceptEncoding))
	var buf [80]byte
	etag := append(buf[:0], tile.ETag...)
	if gz {
		etag = gzipETag(etag)
	}
	h.SetCanonical(headerETag, etag)
	switch {
	case etagListMatches(c.Request().Header.PeekBytes(headerINM), tile.ETag):
		c.Status(http.StatusNotModified)
	case tile.Empty:
		c.Status(http.StatusNoContent)
	case gz:
		h.SetContentType(mvtContentType)
		h.SetCanonical(headerContentEncoding, valueGzip)
		c.Response().SetBodyRaw(tile.Gzip)
	default:
		h.SetContentType(mvtContentType)
		c.Response().SetBodyRaw(tile.Data)
	}
}

// gzipETag turns the quoted tag "abc" into "abc-gz", in place.
func gzipETag(etag []byte) []byte {
	if len(etag) < 2 {
		return etag
	}
	return append(etag[:len(etag)-1], `-gz"`...)
}

// etagListMatches reports whether an If-None-Match value names etag, its
// gzip form, or "*". Weak tags match too (RFC 9110 weak comparison).
func etagListMatches(inm []byte, etag string) bool {
	for len(inm) > 0 {
		var tag []byte
		tag, inm, _ = bytes.Cut(inm, []byte{','})
		tag = bytes.TrimPrefix(bytes.TrimSpace(tag), []byte("W/"))
		if string(tag) == "*" || string(tag) == etag {
			return true
		}
		if n := len(etag); n >= 2 && len(tag) == n+3 && string(tag[:n-1]) == etag[:n-1] && string(tag[n-1:]) == `-gz"` {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip: it
// names gzip (or x-gzip) with a non-zero quality, or names no gzip but
// allows "*".
func acceptsGzip(ae []byte) bool {
	gzip, star := -1, -1
	for len(ae) > 0 {
		var item []byte
		item, ae, _ = bytes.Cut(ae, []byte{','})
		name, params, _ := bytes.Cut(item, []byte{';'})
		name = bytes.TrimSpace(name)
		switch {
		case bytes.EqualFold(name, []byte("gzip")), bytes.EqualFold(name, []byte("x-gzip")):
			gzip = max(gzip, quality(params))
		case string(name) == "*":
			star = max(star, quality(params))
		}
	}
	if gzip >= 0 {
		return gzip > 0
	}
	return star > 0
}

// quality returns 0 when the parameters of an Accept-Encoding item hold a
// zero q-value ("q=0", "q=0.000"), else 1.
func quality(params []byte) int {
	for len(params) > 0 {
		var p []byte
		p, params, _ = bytes.Cut(params, []byte{';'})
		p = bytes.TrimSpace(p)
		if len(p) < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=' {
			continue
		}
		v := bytes.TrimSpace(p[2:])
		v = bytes.TrimLeft(v, "0")
		v = bytes.TrimPrefix(v, []byte{'.'})
		if len(bytes.TrimLeft(v, "0")) == 0 {
			return 0
		}
	}
	return 1
}

// handleTileJSON answers GET /tiles.json with the TileJSON 3.0 document of
// the current view's tiles. Its tile URL is absolute, built from the
// request's scheme and host, and carries the snapshot version as "v", so
// that browser caches never mix tiles of two versions.
func (ts *tileServer) handleTileJSON(c *fiber.Ctx) error {
	v, err := ts.s.readView(c)
	if err != nil {
		return err
	}
	r, err := ts.renderer(v)
	if err != nil {
		return err
	}
	url := requestOrigin(c) + "tiles/{z}/{x}/{y}.mvt?v=" + strconv.FormatUint(v.snap.Version, 10)
	doc, err := r.TileJSON(url)
	if err != nil {
		return fmt.Errorf("describing tiles: %w", err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encoding tiles.json: %w", err)
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Response().SetBodyRaw(b)
	return nil
}

// requestOrigin returns "scheme://host/" of the request, or "" (making the
// tile URL relative to tiles.json) when the host is missing or holds
// characters a host cannot have.
func requestOrigin(c *fiber.Ctx) string {
	return hostOrigin(c.Hostname(), c.Protocol() == "https")
}

// hostOrigin returns "scheme://host/", or "" when host is empty, too
// long or holds characters a host cannot have.
func hostOrigin(host string, https bool) string {
	if host == "" || len(host) > 255 {
		return ""
	}
	for i := 0; i < len(host); i++ {
		b := host[i]
		ok := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte(".-_:[]", b) >= 0
		if !ok {
			return ""
		}
	}
	if https {
		return "https://" + host + "/"
	}
	return "http://" + host + "/"
}

// registerMetrics publishes the tile cache's counters.
func (ts *tileServer) registerMetrics(reg *prometheus.Registry) {
	stat := func(f func(tiles.CacheStats) float64) func() float64 {
		return func() float64 { return f(ts.cache.Stats()) }
	}
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gridmap_tile_cache_hits_total",
			Help: "Tile requests answered from the tile cache."}, stat(func(s tiles.CacheStats) float64 { return float64(s.Hits) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gridmap_tile_cache_misses_total",
			Help: "Tile requests not answered from the tile cache."}, stat(func(s tiles.CacheStats) float64 { return float64(s.Misses) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gridmap_tile_renders_total",
			Help: "Tiles rendered for the tile cache (concurrent misses of one tile render once)."},
			stat(func(s tiles.CacheStats) float64 { return float64(s.Renders) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gridmap_tile_cache_bytes",
			Help: "Bytes of tiles held by the tile cache."}, stat(func(s tiles.CacheStats) float64 { return float64(s.Bytes) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gridmap_tile_cache_entries",
			Help: "Tiles held by the tile cache."}, stat(func(s tiles.CacheStats) float64 { return float64(s.Entries) })),
	)
}
