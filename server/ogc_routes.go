package server

import (
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/wire"
)

// The OGC API - Features conformance classes /ogc implements.
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
}

// registerOGC registers OGC API - Features under /ogc.
func (s *Server) registerOGC() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/ogc", s.handleOGCLanding},
		{http.MethodGet, "/ogc/conformance", s.handleOGCConformance},
		{http.MethodGet, "/ogc/collections", s.handleOGCCollections},
		{http.MethodGet, "/ogc/collections/:collectionId", s.handleOGCCollection},
		{http.MethodGet, "/ogc/collections/:collectionId/queryables", s.handleOGCQueryables},
		{http.MethodGet, "/ogc/collections/:collectionId/schema", s.handleOGCSchema},
		{http.MethodGet, "/ogc/collections/:collectionId/items", s.handleOGCItems},
		{http.MethodGet, "/ogc/collections/:collectionId/items/:featureId", s.handleOGCItem},
		{http.MethodPost, "/ogc/collections/:collectionId/items", s.handleOGCCreate},
		{http.MethodPut, "/ogc/collections/:collectionId/items/:featureId", s.handleOGCReplace},
		{http.MethodPatch, "/ogc/collections/:collectionId/items/:featureId", s.handleOGCUpdate},
		{http.MethodDelete, "/ogc/collections/:collectionId/items/:featureId", s.handleOGCDelete},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	return nil
}

// handleOGCLanding answers GET /ogc: the landing page with its links.
func (s *Server) handleOGCLanding(c *fiber.Ctx) error {
	if err := checkOGCParams(c, nil, "f"); err != nil {
		return err
	}
	base := ogcBase(c)
	b := append([]byte(nil), `{"title":"gridmap","description":"The city's governance grids, units, buildings, stations and streets as OGC API - Features.","links":[`...)
	for i, l := range [][4]string{
		{base + "/ogc", "self", "application/json", "this document"},
		{base + "/openapi.yaml", "service-desc", "application/vnd.oai.openapi;version=3.0", "the API definition (OpenAPI, YAML)"},
		{base + "/", "service-doc", "text/html", "the web map"},
		{base + "/ogc/conformance", "conformance", "application/json", "conformance classes"},
		{base + "/ogc/collections", "data", "application/json", "the collections"},
	} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLink(b, l[0], l[1], l[2], l[3])
	}
	b = append(b, "]}"...)
	return writeOGCJSON(c, b)
}

// handleOGCConformance answers GET /ogc/conformance.
func (s *Server) handleOGCConformance(c *fiber.Ctx) error {
	if err := checkOGCParams(c, nil, "f"); err != nil {
		return err
	}
	b := append([]byte(nil), `{"conformsTo":[`...)
	for i, u := range ogcConformance {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, u)
	}
	b = append(b, "]}"...)
	return writeOGCJSON(c, b)
}

// ogcView returns the view served now, inside the request's read scopes.
func (s *Server) ogcView(c *fiber.Ctx) (*view, error) { return s.readView(c) }

// ogcBase returns the scheme and host the request was made to, the base
// of every link.
func ogcBase(c *fiber.Ctx) string { return c.BaseURL() }

// appendLink appends one link object.
func appendLink(b []byte, href, rel, typ, title string) []byte {
	b = append(b, `{"href":`...)
	b = wire.AppendString(b, href)
	b = append(b, `,"rel":`...)
	b = wire.AppendString(b, rel)
	b = append(b, `,"type":`...)
	b = wire.AppendString(b, typ)
	b = append(b, `,"title":`...)
	b = wire.AppendString(b, title)
	return append(b, '}')
}

// writeOGCJSON answers with a JSON document, after checking f.
func writeOGCJSON(c *fiber.Ctx, b []byte) error {
	if err := checkFormat(c); err != nil {
		return err
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// checkFormat accepts f=json (and geojson); HTML is not served.
func checkFormat(c *fiber.Ctx) error {
	switch f := c.Query("f"); f {
	case "", "json", "geojson", "application/json", "application/geo+json":
		return nil
	default:
		return fieldErr(http.StatusBadRequest, "f", "%s is not a served format: only json", quoteClip([]byte(f)))
	}
}

// checkOGCParams refuses query parameters that are neither in allowed nor
// accepted by extra (nil: none), naming the first unknown one.
func checkOGCParams(c *fiber.Ctx, extra func(string) bool, allowed ...string) error {
	var err error
	c.Request().URI().QueryArgs().VisitAll(func(k, _ []byte) {
		if err != nil {
			return
		}
		name := string(k)
		if slices.Contains(allowed, name) || (extra != nil && extra(name)) {
			return
		}
		if name == "" {
			err = fieldErr(http.StatusBadRequest, "query", "holds a parameter without a name")
			return
		}
		err = fieldErr(http.StatusBadRequest, name, "is not a parameter of this resource")
	})
	return err
}
