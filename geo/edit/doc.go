// Package edit changes a city's grid layout safely: it decodes planners'
// edit operations, computes the new grids copy-on-write, validates them
// and previews their impact, and renumbers a community's grids with a
// crosswalk from old codes to new.
//
// # Operations
//
// An Op is one edit, decoded strictly from JSON by DecodeOp:
//
//   - replace: a grid gets a new geometry. Siblings lose the area it now
//     covers; each piece of area it gives up goes to the sibling sharing
//     the longest boundary with that piece.
//   - move_boundary: the boundary shared by two neighbouring grids is
//     replaced by a line; their union is cut by the line and each piece
//     goes to the grid that held most of it.
//   - split: a grid is cut by a line. The largest part keeps the grid's id
//     and code unless codes are given; the others are new grids.
//   - merge: neighbouring grids become one; the first named keeps its id
//     and code, the others are retired.
//   - create: a new grid from a geometry, clipped to the community; the
//     siblings it overlaps lose that area.
//   - retire: a grid's area goes to the neighbours named in "into".
//   - replace_layout: a community's whole layout at once, as uploaded from
//     a GIS (features with a code keep that grid's id; features without
//     one are new grids; grids left out are retired).
//   - staff: a grid's staff (网格长 and 网格员, each with a phone) is
//     replaced by a list that geo.CheckStaff accepts (names non-empty,
//     phones Chinese mobile or landline numbers, at most one head); the
//     geometry stays. Edits that reshape a grid keep its staff; new grids
//     have none.
//
// # Topology
//
// Coordinates are snapped to 1e-7 degrees (as cityio stores them) and
// every new boundary vertex is inserted into the neighbouring rings that
// pass within 1e-7 degrees of it, including grids of other communities,
// so shared edges stay vertex-identical and no sliver seams appear. A
// vertex that lands on an existing edge is placed on a lattice point
// within a few centimetres along it that lies within 5e-8 degrees of the
// edge (usually within 2e-9); on a community's boundary the edge measured
// against is the community's own (Unit.Geometry, which edits leave
// unchanged), so repeated edits do not drift off it. Neighbours that only
// gain vertices appear in Result.Changes with ChangeStitched.
//
// # Validation
//
// Apply validates the outcome: polygons valid (no empty, unclosed or
// degenerate ring, no spike, no self-intersection), grids inside their
// community, no overlap between siblings and no gap left in the community
// beyond Options.ToleranceM2 (with the offending area as geometry), and
// every building in exactly one grid by geo.GridContains. Households per
// grid outside 300-500 are warnings. Areas in square meters use an
// equirectangular projection at the community's latitude.
//
// # Identity and codes
//
// New grids get stable ids above every id ever used, and codes with the
// next free sequence of their community, never reusing a retired code. A
// CodeHistory, kept by the store, records which grid held which code and
// when (valid-from and valid-to); Recode renumbers a community in the
// standard order and returns the crosswalk.
package edit
