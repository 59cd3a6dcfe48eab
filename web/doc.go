// Package web holds gridmap's browser map: a static page (HTML, CSS and ES
// modules) and the vendored MapLibre GL JS and Noto Sans SC files it needs,
// all embedded in the binary so the map works with no network at all.
//
// Besides the grid map itself (click-to-lookup panel, search by code, name
// or address through /v1/search and /v1/geocode), the page has a 15-minute
// service circles view (static/js/circles/circles.js): grids coloured by their
// covered share, uncovered buildings, each station's 5/10/15-minute walk
// and what-if stations, from the /v1/stations, /v1/coverage and /v1/circles
// routes.
//
// Planners edit grids in the editing mode (static/js/edit/editor.js): with a
// bearer token (asked once, kept in the tab's sessionStorage) they pick a
// grid, drag its vertices, draw a split line or pick a neighbour to merge;
// every change is previewed through POST /v1/edits/preview (validity,
// errors drawn on the map, who moves, households before and after) and
// committed with a reason through POST /v1/edits, after which the tiles
// are reloaded for the new version. Each grid's panel lists its history
// (GET /v1/grids/{code}/history).
//
// The vendored files under static/vendor are copied from node_modules by
// `make web` (go:embed skips symlinks, so they are copies). A fresh clone
// builds without them: the page then says that `make web` has not been run.
//
// The package only depends on net/http; the server mounts Handler (or FS)
// at the site root.
package web
