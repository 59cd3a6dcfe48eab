package web

import (
	"embed"
	"io/fs"
)

//go:embed index.html all:static
var site embed.FS

// VendorMarker is the file, relative to FS, whose presence shows that
// `make web` has copied MapLibre GL JS into the embedded assets.
const VendorMarker = "static/vendor/maplibre-gl/maplibre-gl.mjs"

// FS returns the embedded site: index.html at its root and every asset under
// static/ (static/app.css, static/js/..., static/vendor/...). Paths in the
// page are relative, so the site may be served at any prefix ending in "/".
// The server serves it (server.WithWebFS): the one static-file server, with
// its content types, caching and ETags.
func FS() fs.FS { return site }

// HasVendor reports whether the embedded assets include the vendored
// MapLibre GL JS files, that is whether `make web` ran before the build.
func HasVendor() bool {
	_, err := fs.Stat(site, VendorMarker)
	return err == nil
}
