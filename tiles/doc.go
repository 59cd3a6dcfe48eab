// Package tiles renders a geo.Snapshot as Mapbox Vector Tiles 2.1 and
// describes them with a TileJSON 3.0.0 document.
//
// A Renderer is built once per snapshot. It builds the polygon topology of
// districts, subdistricts, communities and grids once: every ring is split
// at its junctions into arcs, and an arc shared by two polygons (in either
// direction) is stored once. Per zoom level each arc is simplified once
// (Douglas-Peucker in tile units, keeping its endpoints) and snapped to the
// integer grid of that zoom, and every polygon is rebuilt from its
// simplified arcs, so neighbouring polygons share their borders exactly at
// every zoom, with no slivers and no gaps. Per tile, features are found with
// a packed R-tree per layer, clipped to the tile plus a buffer, wound as the
// 2.1 specification wants (exterior rings positive by its area formula,
// holes negative) and written as protocol buffer bytes directly, in the
// field order of orb's vectortile types (whose bytes the tests compare).
//
// Memory is kept small: features are stored column by column, their tags
// as varints and their property values pre-encoded in one byte slab per
// layer (building addresses as references into the snapshot); each zoom's
// geometry sits in a few flat integer slabs, built on first use or by
// Prepare, after which the topology it was built from is dropped. At the
// scale-10 fixture city (180,000 buildings) a prepared renderer keeps about
// 40 MB.
//
// A Cache holds rendered tiles keyed on (snapshot version, z, x, y),
// bounded in bytes, with concurrent misses collapsed into one render. Tiles
// carry a content-hash ETag and a precomputed gzip variant.
//
// The package does no HTTP and no logging; geometry is never modified in
// place (unlike orb's Clip, Simplify and ProjectToTile, which mutate).
package tiles
