package server

import (
	_ "embed"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

//go:embed openapi.yaml
var openAPISpec []byte

// handleHealthz answers GET /healthz: the process is alive.
func (s *Server) handleHealthz(c *fiber.Ctx) error {
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyString(`{"status":"ok"}`)
	return nil
}

// handleReadyz answers GET /readyz: 200 with the version once a snapshot
// is loaded, 503 before.
func (s *Server) handleReadyz(c *fiber.Ctx) error {
	v := s.view.Load()
	if v == nil {
		return ErrNotReady
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyString(`{"status":"ready","version":` + strconv.FormatUint(v.snap.Version, 10) + `}`)
	return nil
}

// handleVersion answers GET /v1/version with the snapshot's version and
// creation time.
func (s *Server) handleVersion(c *fiber.Ctx) error {
	v := s.view.Load()
	if v == nil {
		return ErrNotReady
	}
	if notModified(c, v) {
		return nil
	}
	b := []byte(`{"version":`)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	b = append(b, `,"created":"`...)
	b = v.snap.Created.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `"}`...)
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// notModified sets the view's ETag and, if the request's If-None-Match
// names it, answers 304 and returns true.
func notModified(c *fiber.Ctx, v *view) bool {
	c.Response().Header.SetCanonical(headerETag, v.etag)
	if v.etagMatches(c.Request().Header.PeekBytes(headerINM)) {
		c.Status(http.StatusNotModified)
		return true
	}
	return false
}

// handleOpenAPI serves the embedded OpenAPI description.
func handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml")
	c.Response().SetBodyRaw(openAPISpec)
	return nil
}

// metricsHandler serves the server's own Prometheus registry.
func (s *Server) metricsHandler() Handler {
	h := adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	return func(c *fiber.Ctx) error { return h(c) }
}
