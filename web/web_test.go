package web

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerServes(t *testing.T) {
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
		{"stylesheet", "GET", "/static/app.css", 200, "text/css; charset=utf-8", "--panel-width", "no-cache"},
		{"vendor readme", "GET", "/static/vendor/README.txt", 200, "text/plain; charset=utf-8", "make web", "public, max-age=86400"},
		{"unknown file", "GET", "/static/js/nope.js", 404, "", "", ""},
		{"no directory listing", "GET", "/static/js/", 404, "", "", ""},
		{"go source not embedded", "GET", "/web.go", 404, "", "", ""},
		{"post refused", "POST", "/", 405, "", "", ""},
	}
	h := Handler()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := get(t, h, c.method, c.path)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != c.wantStatus {
				t.Fatalf("%s %s status = %d, want %d", c.method, c.path, res.StatusCode, c.wantStatus)
			}
			if c.wantType != "" && res.Header.Get("Content-Type") != c.wantType {
				t.Errorf("%s %s Content-Type = %q, want %q", c.method, c.path, res.Header.Get("Content-Type"), c.wantType)
			}
			if c.wantCache != "" && res.Header.Get("Cache-Control") != c.wantCache {
				t.Errorf("%s %s Cache-Control = %q, want %q", c.method, c.path, res.Header.Get("Cache-Control"), c.wantCache)
			}
			if !strings.Contains(string(body), c.wantBody) {
				t.Errorf("%s %s body does not contain %q", c.method, c.path, c.wantBody)
			}
		})
	}
}

// TestPageIsSelfContained checks that the page and its own assets name no
// other host: the map must work with no network at all.
func TestPageIsSelfContained(t *testing.T) {
	// Any absolute URL, or a protocol-relative one in src, href or url().
	external := regexp.MustCompile(`(?i)https?://|(src|href)\s*=\s*["']?//|url\(\s*["']?//`)
	// An XML namespace name (inline SVG icons) is an identifier, never
	// fetched.
	namespace := regexp.MustCompile(`xmlns(:\w+)?=["']http://www\.w3\.org/[\w/.]*["']`)
	err := fs.WalkDir(FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path, "static/vendor/") {
			return err
		}
		b, err := fs.ReadFile(FS(), path)
		if err != nil {
			return err
		}
		if m := external.Find(namespace.ReplaceAll(b, nil)); m != nil {
			t.Errorf("%s refers to another host: %q", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking the embedded site: %v", err)
	}
}

// TestModulesImportExistingFiles checks every relative import of the page's
// own modules against the embedded files, so a renamed module fails here
// rather than in a browser.
func TestModulesImportExistingFiles(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^import\s[^'"]*['"](\./[^'"]+)['"]`)
	entries, err := fs.ReadDir(FS(), "static/js")
	if err != nil {
		t.Fatalf("reading static/js: %v", err)
	}
	for _, e := range entries {
		src, err := fs.ReadFile(FS(), "static/js/"+e.Name())
		if err != nil {
			t.Fatalf("reading %s: %v", e.Name(), err)
		}
		for _, m := range imports.FindAllSubmatch(src, -1) {
			target := "static/js/" + strings.TrimPrefix(string(m[1]), "./")
			if _, err := fs.Stat(FS(), target); err != nil {
				t.Errorf("%s imports %s: %v", e.Name(), m[1], err)
			}
		}
	}
}

func TestContentType(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"module", "static/vendor/maplibre-gl/maplibre-gl.mjs", "text/javascript; charset=utf-8"},
		{"font", "static/vendor/noto-sans-sc/files/noto-sans-sc-0-400-normal.woff2", "font/woff2"},
		{"unknown", "static/x.bin", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ContentType(c.file); got != c.want {
				t.Errorf("ContentType(%q) = %q, want %q", c.file, got, c.want)
			}
		})
	}
}

// TestHasVendor checks that HasVendor reports the embedded MapLibre GL JS
// module, and that the module is the real library: a build that embedded
// an empty or truncated copy would serve a blank map.
func TestHasVendor(t *testing.T) {
	if !HasVendor() {
		t.Skip("vendored files missing: run `make web` (make test does) to embed MapLibre GL JS")
	}
	b, err := fs.ReadFile(FS(), VendorMarker)
	if err != nil {
		t.Fatalf("HasVendor() = true but reading %s: %v", VendorMarker, err)
	}
	if len(b) < 100_000 || !bytes.Contains(b, []byte("maplibre")) {
		t.Errorf("%s holds %d bytes without the library's name, want the MapLibre GL JS module", VendorMarker, len(b))
	}
}

// TestHandlerRevalidates checks the content-hash ETag: the same file gets
// the same tag, and If-None-Match with it gets 304 with no body.
func TestHandlerRevalidates(t *testing.T) {
	h := Handler()
	first := get(t, h, "GET", "/static/app.css")
	tag := first.Header.Get("ETag")
	if tag == "" {
		t.Fatal("GET /static/app.css has no ETag")
	}
	if again := get(t, h, "GET", "/static/app.css").Header.Get("ETag"); again != tag {
		t.Errorf("ETag changed between requests: %s then %s", tag, again)
	}
	if other := get(t, h, "GET", "/").Header.Get("ETag"); other == tag || other == "" {
		t.Errorf("ETag of / = %q, want a different, non-empty tag than app.css's %q", other, tag)
	}
	req := httptest.NewRequest("GET", "/static/app.css", nil)
	req.Header.Set("If-None-Match", tag)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match %s: status %d with %d body bytes, want 304 and none", tag, rec.Code, rec.Body.Len())
	}
}
