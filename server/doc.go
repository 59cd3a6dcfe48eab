// Package server is gridmap's HTTP API: point-in-grid lookups (single, JSON
// batch and streamed CSV/NDJSON), the unit tree, grid features, layer
// exports, health, readiness and Prometheus metrics.
//
// It is the only package that imports Fiber. Every error a handler returns
// is mapped to an HTTP status once, in one error handler, as an RFC 9457
// application/problem+json document; a field at fault is named in the
// problem's "field" member.
//
// The served geo.Snapshot lives behind an atomic pointer: each request loads
// it once, readers never lock, and Swap publishes the next version.
package server
