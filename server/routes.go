package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// routeInfo records a registered route for Allow headers and the OpenAPI
// check.
type routeInfo struct {
	method, path string
}

// A Handler handles one request. Returned errors become problem+json
// responses.
type Handler func(c *fiber.Ctx) error

func (s *Server) registerRoutes() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/healthz", s.handleHealthz},
		{http.MethodGet, "/readyz", s.handleReadyz},
		{http.MethodGet, "/metrics", s.metricsHandler()},
		{http.MethodGet, "/openapi.yaml", handleOpenAPI},
		{http.MethodGet, "/v1/version", s.handleVersion},
		{http.MethodGet, "/v1/lookup", s.handleLookup},
		{http.MethodPost, "/v1/lookup", s.handleLookupPost},
		{http.MethodGet, "/v1/units", s.handleUnits},
		{http.MethodGet, "/v1/units/:code", s.handleUnit},
		{http.MethodGet, "/v1/grids/:code", s.handleGrid},
		{http.MethodGet, "/v1/export/:layer.geojson", s.handleExport},
		{http.MethodGet, "/v1/import/repairs.geojson", s.handleImportRepairs},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	// Before the editing routes: /v1/changes/stream is not a version.
	if err := s.registerFeed(); err != nil {
		return err
	}
	if err := s.registerEditing(); err != nil {
		return err
	}
	if err := s.registerGeocode(); err != nil {
		return err
	}
	if err := s.registerStaff(); err != nil {
		return err
	}
	if err := s.registerMaps(); err != nil {
		return err
	}
	s.quickWarmers = append(s.quickWarmers, s.warmSearch) // patched in a millisecond: before the tiles
	if err := s.registerOGC(); err != nil {
		return err
	}
	if err := s.registerExports(); err != nil {
		return err
	}
	return s.registerWalk()
}

// Handle registers h for method and path (a Fiber route template). The
// handler is wrapped with per-route metrics, panic recovery and the
// problem+json error mapping. GET routes also answer HEAD.
func (s *Server) Handle(method, path string, h Handler) error {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return fmt.Errorf("registering %s %s: unsupported method", method, path)
	}
	s.routes = append(s.routes, routeInfo{method: method, path: path})
	s.app.Add(method, path, s.wrap(method, path, h))
	if method == http.MethodGet {
		s.routes = append(s.routes, routeInfo{method: http.MethodHead, path: path})
		s.app.Add(http.MethodHead, path, s.wrap(http.MethodHead, path, h))
	}
	return nil
}

// wrap adds metrics, recovery and error mapping around h.
func (s *Server) wrap(method, path string, h Handler) fiber.Handler {
	rm := s.metrics.route(method, path)
	readToken := s.cfg.ReadRequiresToken && tokenGuarded(path)
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := s.checkFraming(c)
		if readToken && err == nil {
			_, err = s.authenticateRead(c)
		}
		if err == nil {
			err = s.callRecovering(c, h)
		}
		if err != nil {
			s.writeError(c, err)
		} else if method != http.MethodPost && hasBody(c) {
			// An unexpected body was not read: do not parse it as the
			// connection's next request.
			c.Context().SetConnectionClose()
		}
		s.setSecurityHeaders(c)
		d := time.Since(start)
		status := c.Response().StatusCode()
		rm.observe(status, d)
		if s.cfg.AccessLogEvery > 0 && s.accessSeq.Add(1)%uint64(s.cfg.AccessLogEvery) == 0 {
			s.log.Info("request", "method", method, "route", path, "path", c.Path(),
				"status", status, "duration_us", d.Microseconds())
		}
		return nil
	}
}

// callRecovering runs h, turning a panic into an error.
func (s *Server) callRecovering(c *fiber.Ctx, h Handler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("handler panicked", "path", c.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return h(c)
}

// fiberErrorHandler handles the errors Fiber raises itself: unknown routes
// (404) and wrong methods (405).
func (s *Server) fiberErrorHandler(c *fiber.Ctx, err error) error {
	s.writeError(c, err)
	if fe, ok := err.(*fiber.Error); ok && fe.Code == http.StatusMethodNotAllowed {
		c.Set(fiber.HeaderAllow, s.allowed(c.Path()))
	}
	s.setSecurityHeaders(c)
	return nil
}

// writeError writes err as an application/problem+json response. A request
// whose body may be unread gets Connection: close, so the next request on
// the connection cannot start in the middle of it.
func (s *Server) writeError(c *fiber.Ctx, err error) {
	p := problemOf(err)
	if p.status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", p.status, "err", err)
	} else if s.log.Enabled(c.UserContext(), slog.LevelDebug) {
		s.log.Debug("request rejected", "method", c.Method(), "path", c.Path(), "status", p.status, "err", err)
	}
	resp := c.Response()
	resp.Reset()
	resp.SetStatusCode(p.status)
	resp.Header.SetContentType("application/problem+json")
	if p.challenge != "" {
		resp.Header.Set(fiber.HeaderWWWAuthenticate, p.challenge)
	}
	if p.retryAfter > 0 {
		resp.Header.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.retryAfter))
	}
	resp.SetBodyRaw(nil)
	resp.AppendBody(appendProblem(make([]byte, 0, 256), p, c.Path()))
	if hasBody(c) {
		c.Context().SetConnectionClose()
	}
}

// allowed lists the methods registered for a path, for the Allow header.
func (s *Server) allowed(path string) string {
	var ms []string
	for _, r := range s.routes {
		if matchTemplate(r.path, path) && !contains(ms, r.method) {
			ms = append(ms, r.method)
		}
	}
	return strings.Join(ms, ", ")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// matchTemplate reports whether path matches a route template whose
// segments are literals or ":name" parameters, optionally followed by a
// literal suffix (":layer.geojson").
func matchTemplate(tmpl, path string) bool {
	ts := strings.Split(strings.Trim(tmpl, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, t := range ts {
		if !strings.HasPrefix(t, ":") {
			if t != ps[i] {
				return false
			}
			continue
		}
		suffix := ""
		if dot := strings.IndexByte(t, '.'); dot >= 0 {
			suffix = t[dot:]
		}
		if len(ps[i]) <= len(suffix) || !strings.HasSuffix(ps[i], suffix) {
			return false
		}
	}
	return true
}

// hasBody reports whether the request declares a body: a positive
// Content-Length or chunked transfer encoding.
func hasBody(c *fiber.Ctx) bool {
	if len(c.Request().Header.Peek(framingFault)) > 0 {
		return true // a refused body, declared but never read
	}
	n := c.Request().Header.ContentLength()
	return n > 0 || n == -1
}
