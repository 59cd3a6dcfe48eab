package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/klauspost/compress/gzip"
)

// webCacheVendor is the Cache-Control of vendored libraries and fonts
// (paths with a "vendor" directory): they change only with a new build, but
// their names carry no version, so a day rather than a year. Everything
// else, the page and its own modules, is revalidated on every load.
const (
	webCacheVendor = "public, max-age=86400"
	webCacheOther  = "no-cache"
)

// webContentTypes are the types of the files a web map is made of, fixed
// here rather than read from the host's mime.types: a browser refuses a
// module script served as anything but JavaScript.
var webContentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".txt":   "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".ttf":   "font/ttf",
	".pbf":   "application/x-protobuf",
	"":       "text/plain; charset=utf-8", // LICENSE, README
}

// WithWebFS serves the static web map in fsys at the site root: its
// index.html at "/", every other file at its own path ("/static/app.css").
// Each top-level file and directory of fsys gets its own route, so the
// API's routes (/v1, /tiles, /healthz, ...) are never shadowed; New fails
// when a top-level name is already a route. Files get a fixed
// Content-Type, a content-hash ETag (If-None-Match gets 304), gzip for
// text when the client accepts it, and Cache-Control "no-cache", or a day
// under a vendor directory. A file is read on its first request and then
// kept in memory.
func WithWebFS(fsys fs.FS) Option {
	return WithMount(func(s *Server) error { return s.mountWeb(fsys) })
}

// A webSite serves the files of one fs.FS.
type webSite struct {
	fsys  fs.FS
	mu    sync.Mutex
	files map[string]*webFile
}

// A webFile is one file ready to serve, loaded on first use.
type webFile struct {
	once                      sync.Once
	err                       error
	data, gz                  []byte
	etag, gzETag              string
	contentType, cacheControl string
}

// A webRoute is a route of the web map and its handler.
type webRoute struct {
	path string
	h    Handler
}

// mountWeb registers the routes of fsys: "/" and one per top-level entry.
func (s *Server) mountWeb(fsys fs.FS) error {
	if _, err := fs.Stat(fsys, "index.html"); err != nil {
		return fmt.Errorf("mounting the web map: %w", err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("mounting the web map: %w", err)
	}
	site := &webSite{fsys: fsys, files: make(map[string]*webFile)}
	s.csp = pageCSP(fsys)
	routes := []webRoute{{"/", func(c *fiber.Ctx) error { return site.serve(c, "index.html") }}}
	for _, e := range entries {
		name := e.Name()
		if s.claims(name) {
			return fmt.Errorf("mounting the web map: %q is already a route", "/"+name)
		}
		if e.IsDir() {
			routes = append(routes, webRoute{"/" + name + "/*", func(c *fiber.Ctx) error { return site.serveIn(c, name) }})
		} else {
			routes = append(routes, webRoute{"/" + name, func(c *fiber.Ctx) error { return site.serve(c, name) }})
		}
	}
	for _, r := range routes {
		if err := s.Handle(http.MethodGet, r.path, r.h); err != nil {
			return fmt.Errorf("mounting the web map: %w", err)
		}
	}
	return nil
}

// claims reports whether a registered route starts with the segment name.
func (s *Server) claims(name string) bool {
	for _, r := range s.routes {
		first, _, _ := strings.Cut(strings.TrimPrefix(r.path, "/"), "/")
		if first == name {
			return true
		}
	}
	return false
}

// serveIn serves the file under directory dir named by the route's
// wildcard, which may be percent-encoded.
func (w *webSite) serveIn(c *fiber.Ctx, dir string) error {
	rest, err := url.PathUnescape(c.Params("*"))
	if err != nil {
		return fiber.NewError(http.StatusNotFound, "no such file")
	}
	return w.serve(c, dir+"/"+rest)
}

// serve writes file name of the site, or a 404 problem.
func (w *webSite) serve(c *fiber.Ctx, name string) error {
	f := w.file(name)
	if f == nil {
		return fiber.NewError(http.StatusNotFound, "no such file: /"+clipString(name, 100))
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, f.cacheControl)
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	gz := f.gz != nil && acceptsGzip(c.Request().Header.PeekBytes(headerAcceptEncoding))
	if f.gz != nil {
		h.SetCanonical(headerVary, headerAcceptEncoding)
	}
	etag := f.etag
	if gz {
		etag = f.gzETag
	}
	h.SetCanonical(headerETag, []byte(etag))
	if etagListMatches(c.Request().Header.PeekBytes(headerINM), f.etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	h.SetContentType(f.contentType)
	if gz {
		h.SetCanonical(headerContentEncoding, valueGzip)
		c.Response().SetBodyRaw(f.gz)
	} else {
		c.Response().SetBodyRaw(f.data)
	}
	return nil
}

// file returns the loaded file name, or nil when it is not a readable
// regular file of the site.
func (w *webSite) file(name string) *webFile {
	if !fs.ValidPath(name) || name == "." {
		return nil
	}
	w.mu.Lock()
	f, ok := w.files[name]
	if !ok {
		if st, err := fs.Stat(w.fsys, name); err != nil || !st.Mode().IsRegular() {
			w.mu.Unlock()
			return nil
		}
		f = &webFile{}
		w.files[name] = f
	}
	w.mu.Unlock()
	f.once.Do(func() { f.err = f.load(w.fsys, name) })
	if f.err != nil {
		return nil
	}
	return f
}

// load reads, hashes and, for text, compresses a file.
func (f *webFile) load(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	f.data = data
	f.etag = `"` + hex.EncodeToString(sum[:16]) + `"`
	f.contentType = webContentType(name)
	f.cacheControl = webCacheOther
	if strings.HasPrefix(name, "vendor/") || strings.Contains(name, "/vendor/") {
		f.cacheControl = webCacheVendor
	}
	if compressible(f.contentType) && len(data) >= 1024 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(data)
		if err := zw.Close(); err == nil && buf.Len() < len(data)*9/10 {
			f.gz = buf.Bytes()
			f.gzETag = f.etag[:len(f.etag)-1] + `-gz"`
		}
	}
	return nil
}

// webContentType returns the Content-Type of a file name.
func webContentType(name string) string {
	if t, ok := webContentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether gzip shrinks files of a Content-Type.
func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.HasPrefix(contentType, "application/json") ||
		strings.HasPrefix(contentType, "image/svg")
}

// clipString returns at most n bytes of s.
func clipString(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
