// Package web holds gridmap's browser map: a static page (HTML, CSS and ES
// modules) and the vendored MapLibre GL JS and Noto Sans SC files it needs,
// all embedded in the binary so the map works with no network at all.
//
// The vendored files under static/vendor are copied from node_modules by
// `make web` (go:embed skips symlinks, so they are copies). A fresh clone
// builds without them: the page then says that `make web` has not been run.
//
// The package only depends on net/http; the server mounts Handler (or FS)
// at the site root.
package web
