package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed index.html all:static
var site embed.FS

// VendorMarker is the file, relative to FS, whose presence shows that
// `make web` has copied MapLibre GL JS into the embedded assets.
const VendorMarker = "static/vendor/maplibre-gl/maplibre-gl.mjs"

// FS returns the embedded site: index.html at its root and every asset under
// static/ (static/app.css, static/js/..., static/vendor/...). Paths in the
// page are relative, so the site may be served at any prefix ending in "/".
func FS() fs.FS { return site }

// HasVendor reports whether the embedded assets include the vendored
// MapLibre GL JS files, that is whether `make web` ran before the build.
func HasVendor() bool {
	_, err := fs.Stat(site, VendorMarker)
	return err == nil
}

// contentTypes fixes the types that module scripts and fonts need, whatever
// the host's mime.types says (browsers refuse a module served as text/plain).
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".woff2": "font/woff2",
	".png":   "image/png",
	".svg":   "image/svg+xml",
	".txt":   "text/plain; charset=utf-8",
}

// ContentType returns the Content-Type gridmap serves for a file name, or ""
// to let the server sniff it.
func ContentType(name string) string {
	return contentTypes[path.Ext(name)]
}

// CacheControl returns the Cache-Control header for an asset path: the
// page and its own modules are revalidated on every load (they change with
// each build), vendored files are cached for a day.
func CacheControl(name string) string {
	if strings.HasPrefix(strings.TrimPrefix(name, "/"), "static/vendor/") {
		return "public, max-age=86400"
	}
	return "no-cache"
}

// Handler serves FS: GET or HEAD "/" returns index.html, "/static/..." the
// assets, with the types from ContentType, the caching from CacheControl
// and a content-hash ETag (so If-None-Match gets a 304). Directory
// listings are not served.
func Handler() http.Handler {
	files := http.FileServerFS(site)
	etags := hashFiles(site)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := r.URL.Path
		if name != "/" && strings.HasSuffix(name, "/") {
			http.NotFound(w, r)
			return
		}
		if name == "/" {
			name = "/index.html"
		}
		h := w.Header()
		if ct := ContentType(name); ct != "" {
			h.Set("Content-Type", ct)
		}
		if tag, ok := etags[strings.TrimPrefix(name, "/")]; ok {
			h.Set("ETag", tag)
		}
		h.Set("Cache-Control", CacheControl(name))
		h.Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// hashFiles returns a quoted ETag (a content hash) for every file of fsys.
// Unreadable files get none and are served without one.
func hashFiles(fsys fs.FS) map[string]string {
	tags := make(map[string]string)
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(b)
		tags[p] = `"` + hex.EncodeToString(sum[:12]) + `"`
		return nil
	})
	return tags
}
