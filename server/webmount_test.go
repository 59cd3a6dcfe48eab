package server

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gridmap/gridmap/web"
)

// testSite is a small web map: a page, its own modules and vendored files.
func testSite() fstest.MapFS {
	big := []byte(strings.Repeat("export const x = 'maplibre';\n", 200))
	return fstest.MapFS{
		"index.html":                     {Data: []byte("<!doctype html><title>网格地图</title>")},
		"LICENSE":                        {Data: []byte("MIT")},
		"static/app.css":                 {Data: []byte("body{margin:0}")},
		"static/js/main.mjs":             {Data: []byte("import 'maplibre-gl';")},
		"static/vendor/lib/maplibre.mjs": {Data: big},
		"static/vendor/fonts/a.woff2":    {Data: []byte("wOF2....")},
	}
}

func newWebServer(t *testing.T, fsys fstest.MapFS) *Server {
	t.Helper()
	s, err := New(Config{}, testSnapshot(t), nil, WithWebFS(fsys))
	if err != nil {
		t.Fatalf("New with a web FS: %v", err)
	}
	return s
}

func TestWebFiles(t *testing.T) {
	site := testSite()
	s := newWebServer(t, site)
	cases := []struct {
		path, file, contentType, cache string
	}{
		{"/", "index.html", "text/html; charset=utf-8", "no-cache"},
		{"/index.html", "index.html", "text/html; charset=utf-8", "no-cache"},
		{"/LICENSE", "LICENSE", "text/plain; charset=utf-8", "no-cache"},
		{"/static/app.css", "static/app.css", "text/css; charset=utf-8", "no-cache"},
		{"/static/js/main.mjs", "static/js/main.mjs", "text/javascript; charset=utf-8", "no-cache"},
		{"/static/vendor/lib/maplibre.mjs", "static/vendor/lib/maplibre.mjs", "text/javascript; charset=utf-8", webCacheVendor},
		{"/static/vendor/fonts/a.woff2", "static/vendor/fonts/a.woff2", "font/woff2", webCacheVendor},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			r := do(t, s, http.MethodGet, tc.path, "", "")
			if r.status != http.StatusOK || !bytes.Equal(r.body, site[tc.file].Data) {
				t.Fatalf("GET %s = %d %.60q, want 200 with %s", tc.path, r.status, r.body, tc.file)
			}
			for name, want := range map[string]string{"Content-Type": tc.contentType, "Cache-Control": tc.cache,
				"X-Content-Type-Options": "nosniff"} {
				if got := r.header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			etag := r.header.Get("ETag")
			if nm := do(t, s, http.MethodGet, tc.path, "", "", "If-None-Match", etag); etag == "" || nm.status != http.StatusNotModified {
				t.Errorf("If-None-Match %s: %d, want 304", etag, nm.status)
			}
			if head := do(t, s, http.MethodHead, tc.path, "", ""); head.status != http.StatusOK || len(head.body) != 0 {
				t.Errorf("HEAD %s = %d with %d bytes, want 200 and none", tc.path, head.status, len(head.body))
			}
		})
	}
}

func TestWebGzip(t *testing.T) {
	site := testSite()
	s := newWebServer(t, site)
	const path = "/static/vendor/lib/maplibre.mjs"
	r := do(t, s, http.MethodGet, path, "", "", "Accept-Encoding", "gzip")
	if r.header.Get("Content-Encoding") != "gzip" || r.header.Get("Vary") != "Accept-Encoding" || len(r.body) >= len(site["static/vendor/lib/maplibre.mjs"].Data) {
		t.Fatalf("GET %s with gzip: Content-Encoding %q, Vary %q, %d bytes", path, r.header.Get("Content-Encoding"), r.header.Get("Vary"), len(r.body))
	}
	if got := gunzip(t, r.body); !bytes.Equal(got, site["static/vendor/lib/maplibre.mjs"].Data) {
		t.Errorf("gzip body does not gunzip to the file")
	}
	if small := do(t, s, http.MethodGet, "/static/app.css", "", "", "Accept-Encoding", "gzip"); small.header.Get("Content-Encoding") != "" {
		t.Errorf("a 14-byte file was gzipped")
	}
}

func TestWebNotFound(t *testing.T) {
	s := newWebServer(t, testSite())
	for _, path := range []string{"/static/nope.js", "/static/", "/static/js", "/static/%2e%2e/index.html", "/nope.html", "/static/js/main.mjs/x"} {
		t.Run(path, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, path, "", ""), http.StatusNotFound, "")
		})
	}
	// The API is not shadowed by the site.
	for _, path := range []string{"/healthz", "/v1/version", "/tiles.json", "/v1/search?q=520201"} {
		if r := do(t, s, http.MethodGet, path, "", ""); r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s beside the site = %d %q, want 200 JSON", path, r.status, r.header.Get("Content-Type"))
		}
	}
}

func TestWebMountRejects(t *testing.T) {
	cases := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no index.html", fstest.MapFS{"static/app.css": {Data: []byte("x")}}, "index.html"},
		{"a directory over the API", fstest.MapFS{"index.html": {}, "v1/x.js": {}}, `"/v1"`},
		{"a file over a route", fstest.MapFS{"index.html": {}, "healthz": {}}, `"/healthz"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(Config{}, nil, nil, WithWebFS(tc.fsys)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

// TestWebEmbeddedSite serves the real embedded site and follows every
// local stylesheet, script and import map entry of its index.html.
func TestWebEmbeddedSite(t *testing.T) {
	s, err := New(Config{}, testSnapshot(t), nil, WithWebFS(web.FS()))
	if err != nil {
		t.Fatal(err)
	}
	if !web.HasVendor() {
		t.Skip("vendored MapLibre GL JS is not embedded: run `make web` (make test does)")
	}
	page := do(t, s, http.MethodGet, "/", "", "")
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %q", page.status, page.header.Get("Content-Type"))
	}
	refs := regexp.MustCompile(`(?:href|src)="([^":]+)"|"(\./static/[^"]+)"`).FindAllStringSubmatch(string(page.body), -1)
	if len(refs) < 3 {
		t.Fatalf("index.html references %d local files, want the stylesheets and scripts", len(refs))
	}
	for _, m := range refs {
		ref := "/" + strings.TrimPrefix(m[1]+m[2], "./")
		r := do(t, s, http.MethodGet, ref, "", "")
		if r.status != http.StatusOK {
			t.Errorf("GET %s (from index.html) = %d", ref, r.status)
			continue
		}
		if ct := r.header.Get("Content-Type"); strings.HasSuffix(ref, "js") && ct != "text/javascript; charset=utf-8" ||
			strings.HasSuffix(ref, ".css") && ct != "text/css; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", ref, ct)
		}
	}
}

// TestWebEmbeddedSiteServes checks the embedded site's routes as served:
// types, caching, what is not found and the methods refused.
func TestWebEmbeddedSiteServes(t *testing.T) {
	s, err := New(Config{}, testSnapshot(t), nil, WithWebFS(web.FS()))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path string
		wantStatus         int
		wantType           string
		wantBody           string
		wantCache          string
	}{
		{"page at root", "GET", "/", 200, "text/html; charset=utf-8", "六盘水市网格地图", "no-cache"},
		{"head of root", "HEAD", "/", 200, "text/html; charset=utf-8", "", "no-cache"},
		{"module script", "GET", "/static/js/main.js", 200, "text/javascript; charset=utf-8", "import", "no-cache"},
		{"module in a feature folder", "GET", "/static/js/edit/editor.js", 200, "text/javascript; charset=utf-8", "import", "no-cache"},
		{"no feature folder listing", "GET", "/static/js/edit/", 404, "", "", ""},
		{"stylesheet", "GET", "/static/app.css", 200, "text/css; charset=utf-8", "--panel-width", "no-cache"},
		{"vendor readme", "GET", "/static/vendor/README.txt", 200, "text/plain; charset=utf-8", "make web", "public, max-age=86400"},
		{"unknown file", "GET", "/static/js/nope.js", 404, "", "", ""},
		{"no directory listing", "GET", "/static/js/", 404, "", "", ""},
		{"go source not embedded", "GET", "/web.go", 404, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, s, c.method, c.path, "", "")
			if r.status != c.wantStatus {
				t.Fatalf("%s %s status = %d, want %d", c.method, c.path, r.status, c.wantStatus)
			}
			if c.wantType != "" && r.header.Get("Content-Type") != c.wantType {
				t.Errorf("%s %s Content-Type = %q, want %q", c.method, c.path, r.header.Get("Content-Type"), c.wantType)
			}
			if c.wantCache != "" && r.header.Get("Cache-Control") != c.wantCache {
				t.Errorf("%s %s Cache-Control = %q, want %q", c.method, c.path, r.header.Get("Cache-Control"), c.wantCache)
			}
			if !strings.Contains(string(r.body), c.wantBody) {
				t.Errorf("%s %s body does not contain %q", c.method, c.path, c.wantBody)
			}
		})
	}
	page := do(t, s, http.MethodGet, "/static/app.css", "", "")
	tag := page.header.Get("ETag")
	if tag == "" {
		t.Fatal("GET /static/app.css has no ETag")
	}
	if again := do(t, s, http.MethodGet, "/static/app.css", "", "").header.Get("ETag"); again != tag {
		t.Errorf("ETag changed between requests: %s then %s", tag, again)
	}
}

func TestAcceptsGzip(t *testing.T) {
	cases := []struct {
		ae   string
		want bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"br, gzip, deflate", true},
		{"x-gzip", true},
		{"identity", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=0.001", true},
		{"gzip;q=1.0", true},
		{"*", true},
		{"*;q=0", false},
		{"gzip;q=0, *", false},
		{"br;q=1, *;q=0.5", true},
		{"gzipped", false},
	}
	for _, tc := range cases {
		if got := acceptsGzip([]byte(tc.ae)); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.ae, got, tc.want)
		}
	}
}

func TestETagListMatches(t *testing.T) {
	const tag = `"abc"`
	cases := []struct {
		inm  string
		want bool
	}{
		{``, false},
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"abc-gz"`, true},
		{`"x", "abc"`, true},
		{`*`, true},
		{`"abcd"`, false},
		{`"ab-gz"`, false},
		{`abc`, false},
	}
	for _, tc := range cases {
		if got := etagListMatches([]byte(tc.inm), tag); got != tc.want {
			t.Errorf("etagListMatches(%q, %s) = %v, want %v", tc.inm, tag, got, tc.want)
		}
	}
}
