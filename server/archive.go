package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/tiles/archive"
	"github.com/paulmach/orb"
)

// Limits of the tile archive route.
const (
	// archiveMaxTiles caps the tiles an archive request may address:
	// the whole fixture city from zoom 0 to 16 is about 52,000.
	archiveMaxTiles = 1_000_000
	// archiveCacheSize is how many built archives are kept.
	archiveCacheSize = 4
	// pmtilesContentType is the media type of a PMTiles archive.
	pmtilesContentType = "application/vnd.pmtiles"
)

// A TileArchiveRequest says which tiles an archive holds.
type TileArchiveRequest struct {
	// Version is the version whose tiles are archived when AtVersion is
	// set; otherwise the version being served.
	Version   uint64
	AtVersion bool
	// MinZoom and MaxZoom bound the zooms.
	MinZoom, MaxZoom uint32
	// Bound is the WGS-84 box (zero: the whole city).
	Bound orb.Bound
	// Compression of the tiles (zero: gzip, as the tile route serves them).
	Compression archive.Compression
	// MaxTiles caps the tiles the zooms and box may address (zero:
	// archive.DefaultMaxTiles).
	MaxTiles int
}

// TileSet renders the tiles req asks for with the renderer the tile route
// uses for that version, so the archive holds exactly the tiles the
// server serves, and describes them. A version after the current one is a
// 404 naming "version"; zooms or a box out of range a 400.
func (s *Server) TileSet(ctx context.Context, req TileArchiveRequest) (*archive.Set, archive.Metadata, error) {
	return s.tileSet(ctx, s.view.Load(), req)
}

// tileSet is TileSet on view cur (the current view, or its scoped view).
func (s *Server) tileSet(ctx context.Context, cur *view, req TileArchiveRequest) (*archive.Set, archive.Metadata, error) {
	if cur == nil || s.tileSrv == nil {
		return nil, archive.Metadata{}, ErrNotReady
	}
	v := cur
	if req.AtVersion {
		var err error
		if v, err = s.viewAt(ctx, cur, req.Version, "version"); err != nil {
			return nil, archive.Metadata{}, err
		}
	}
	r, err := s.tileSrv.renderer(v)
	if err != nil {
		return nil, archive.Metadata{}, err
	}
	set, err := archive.Render(ctx, r, archive.Options{MinZoom: req.MinZoom, MaxZoom: req.MaxZoom, Bound: req.Bound,
		Compression: req.Compression, MaxTiles: req.MaxTiles})
	switch {
	case errors.Is(err, archive.ErrTooManyTiles):
		return nil, archive.Metadata{}, fieldErr(http.StatusBadRequest, "maxzoom", "%v: lower maxzoom or narrow bbox", err)
	case errors.Is(err, archive.ErrBadOptions):
		return nil, archive.Metadata{}, fieldErr(http.StatusBadRequest, "minzoom", "%v", err)
	case err != nil:
		return nil, archive.Metadata{}, fmt.Errorf("archiving the tiles of version %d: %w", v.snap.Version, err)
	}
	doc, err := r.TileJSON("/tiles/{z}/{x}/{y}.mvt")
	if err != nil {
		return nil, archive.Metadata{}, err
	}
	return set, archive.NewMetadata(doc, set), nil
}

// An archiveCache keeps the most recently built archives, keyed by
// version and request, least recently used first out. Concurrent
// requests for one archive share one build; a failed build is not kept.
type archiveCache struct {
	mu      sync.Mutex
	entries map[string]*lazy[[]byte]
	order   []string
}

// get returns the archive under key, building it once.
func (c *archiveCache) get(key string, build func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*lazy[[]byte]{}
	}
	e, ok := c.entries[key]
	if !ok {
		e = &lazy[[]byte]{}
		c.entries[key] = e
		c.order = append(c.order, key)
		if len(c.order) > archiveCacheSize {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	b, err := e.get(build)
	if err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return b, err
}

// handleTileArchive answers GET /v1/export/tiles.pmtiles: the PMTiles
// archive of the current version's tiles, or of ?version=, in zooms
// minzoom-maxzoom (default 0-16) and ?bbox=west,south,east,north (default
// the city). It honours If-None-Match and single byte ranges, so a
// browser's pmtiles reader can read it in place.
func (s *Server) handleTileArchive(c *fiber.Ctx) error {
	cur, err := s.readView(c)
	if err != nil {
		return err
	}
	req, err := parseArchiveQuery(c, cur.snap.Version)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("v%d-z%d-%d-%v-s%s", req.Version, req.MinZoom, req.MaxZoom, req.Bound, scopeKey(cur.scopes))
	ctx := context.WithoutCancel(c.UserContext()) // a shared build outlives the request that started it
	body, err := s.archives.get(key, func() ([]byte, error) {
		set, md, err := s.tileSet(ctx, cur, req)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if _, err := archive.WritePMTiles(&buf, set, md); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		return err
	}
	etag := `"pmtiles-` + key + `"`
	h := &c.Response().Header
	h.Set(fiber.HeaderETag, etag)
	h.Set(fiber.HeaderAcceptRanges, "bytes")
	h.Set(fiber.HeaderCacheControl, "public, max-age=60")
	s.markPrivate(c)
	h.Set(fiber.HeaderContentDisposition, `attachment; filename="gridmap-v`+strconv.FormatUint(req.Version, 10)+`.pmtiles"`)
	if etagListMatches(c.Request().Header.Peek(fiber.HeaderIfNoneMatch), etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	h.SetContentType(pmtilesContentType)
	return writeRange(c, body)
}

// parseArchiveQuery reads version, minzoom, maxzoom and bbox; the version
// defaults to cur.
func parseArchiveQuery(c *fiber.Ctx, cur uint64) (TileArchiveRequest, error) {
	req := TileArchiveRequest{Version: cur, AtVersion: true, MaxZoom: tiles.DefaultMaxDataZoom, MaxTiles: archiveMaxTiles}
	args := c.Context().QueryArgs()
	if raw := args.Peek("version"); raw != nil {
		v, err := strconv.ParseUint(string(raw), 10, 64)
		if err != nil {
			return req, fieldErr(http.StatusBadRequest, "version", "%s is not a version number", quoteClip(raw))
		}
		req.Version = v
	}
	for _, z := range []struct {
		name string
		dst  *uint32
	}{{"minzoom", &req.MinZoom}, {"maxzoom", &req.MaxZoom}} {
		raw := args.Peek(z.name)
		if raw == nil {
			continue
		}
		v, err := strconv.ParseUint(string(raw), 10, 8)
		if err != nil || v > tiles.MaxZoom {
			return req, fieldErr(http.StatusBadRequest, z.name, "%s is not a zoom from 0 to %d", quoteClip(raw), tiles.MaxZoom)
		}
		*z.dst = uint32(v)
	}
	if req.MinZoom > req.MaxZoom {
		return req, fieldErr(http.StatusBadRequest, "minzoom", "minzoom %d is above maxzoom %d", req.MinZoom, req.MaxZoom)
	}
	if raw := args.Peek("bbox"); raw != nil {
		b, err := archive.ParseBound(string(raw))
		if err != nil {
			return req, fieldErr(http.StatusBadRequest, "bbox", "%v", err)
		}
		req.Bound = b
	}
	return req, nil
}
