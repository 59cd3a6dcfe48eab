package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// ImportRepairs returns the repairs of the import that built the served
// city, as a GeoJSON FeatureCollection, or nil when none is kept (the
// city was generated, or imported clean).
type ImportRepairs func(ctx context.Context) ([]byte, error)

// WithImportRepairs serves the last import's repairs at
// GET /v1/import/repairs.geojson.
func WithImportRepairs(f ImportRepairs) Option {
	return func(s *Server) { s.importRepairs = f }
}

// emptyCollection is served when no repairs are kept.
var emptyCollection = []byte(`{"type":"FeatureCollection","features":[]}`)

// handleImportRepairs answers GET /v1/import/repairs.geojson: the repairs
// the import made (kind, grids, area, move per feature), for the web
// map's repairs layer and for GIS tools; an empty collection when none
// is kept.
func (s *Server) handleImportRepairs(c *fiber.Ctx) error {
	body := emptyCollection
	if s.importRepairs != nil {
		b, err := s.importRepairs(c.UserContext())
		if err != nil {
			return fmt.Errorf("reading the import's repairs: %w", err)
		}
		if b != nil {
			if body, err = s.scopeRepairs(c, b); err != nil {
				return err
			}
		}
	}
	c.Response().Header.SetContentType("application/geo+json")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	if c.Method() == http.MethodHead {
		return nil
	}
	return c.Send(body)
}
