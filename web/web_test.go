package web

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

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
// own modules, in static/js and its feature folders, against the embedded
// files, so a renamed or moved module fails here rather than in a browser.
func TestModulesImportExistingFiles(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^(?:import\s[^'"]*|export\s[^'"]*\sfrom\s*)['"](\.\.?/[^'"]+)['"]`)
	checked := 0
	err := fs.WalkDir(FS(), "static/js", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".js") {
			return err
		}
		src, err := fs.ReadFile(FS(), name)
		if err != nil {
			return err
		}
		checked++
		for _, m := range imports.FindAllSubmatch(src, -1) {
			target := path.Join(path.Dir(name), string(m[1]))
			if _, err := fs.Stat(FS(), target); err != nil {
				t.Errorf("%s imports %s: %v", name, m[1], err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking static/js: %v", err)
	}
	if checked < 40 {
		t.Errorf("checked %d modules under static/js, want the page's 40 or more", checked)
	}
}

// TestBaseModulesImportNoFeature checks that the modules at static/js's top
// level (all but main.js, which puts the page together) import nothing from
// a feature folder: features build on the base, never the other way.
func TestBaseModulesImportNoFeature(t *testing.T) {
	feature := regexp.MustCompile(`(?m)^(?:import\s[^'"]*|export\s[^'"]*\sfrom\s*)['"]\./[^'"/]+/[^'"]*['"]`)
	entries, err := fs.ReadDir(FS(), "static/js")
	if err != nil {
		t.Fatalf("reading static/js: %v", err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "main.js" {
			continue
		}
		src, err := fs.ReadFile(FS(), "static/js/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if m := feature.Find(src); m != nil {
			t.Errorf("base module %s imports a feature module: %s", e.Name(), m)
		}
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
