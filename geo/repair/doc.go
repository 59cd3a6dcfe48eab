// Package repair turns hand-digitised grids into a partition of each
// community: it snaps, nodes and rebuilds them so that neighbours share
// vertex-identical borders, with no overlap and no gap, on the 1e-7
// degree lattice that geo/cityio stores, and it records every change.
//
// Grids takes the grids (a key, a community key, a MultiPolygon in WGS-84
// lon/lat, possibly invalid), the communities' boundaries where the data
// has them, and Options; it returns the repaired grids, the boundaries
// they partition and a list of Repairs, or an *Error listing every fault
// it cannot repair. Communities with a boundary are repaired each on its
// own, in parallel. The grids of all communities without one are repaired
// together, so that neighbouring communities neither overlap nor leave
// gaps between them, and each such community is then the union of its
// repaired grids. (A community without a boundary is not checked against
// the given boundaries of its neighbours.)
//
// # The rules, in order
//
//  1. Clean: coordinates go on the lattice, consecutive repeated points
//     are dropped (duplicate_points), open rings are closed
//     (unclosed_ring), rings with no area are dropped (degenerate_ring).
//     Rings may run either way; rings that disagree (shells both ways, or
//     a hole running as its shell) are recorded (winding). Output shells
//     run counter-clockwise and holes clockwise. A key given twice with
//     the same shape is a repeated feature and is dropped (duplicate);
//     with a different shape it is a fault.
//  2. Snap (snap): vertices within Options.SnapM metres (default 0.5 m,
//     plus the 1.6 cm the lattice may add) become one point. The point
//     kept is the most trusted: a boundary vertex (boundaries never
//     move), then a vertex more rings share exactly, then one of a ring
//     sharing more of its vertices with others (a grid digitised with its
//     neighbours, not a noisy copy), then one of the sparser ring (a
//     densified border is the later copy). Then, least trusted first, a
//     vertex within SnapM of another ring's edge moves onto that edge, at
//     the lattice point nearest the edge's line; the vertex and the ends
//     of that edge then stay put, so two borders never chase each other.
//     No vertex moves farther than SnapM from where clustering put it.
//  3. Node (node): where a vertex lies within one lattice step of another
//     ring's edge it becomes a vertex of that edge, and where edges cross
//     the crossing becomes a vertex of both (on a boundary's edge, the
//     lattice point nearest its line), repeated until nothing changes. A
//     ring that crosses or touches itself is recorded (invalid_ring).
//  4. Faces: the noded edges cut the plane into faces. Each polygon
//     covers the faces inside it by the even-odd rule, so a bow-tie
//     covers both its lobes and a self-touching ring is split at the
//     touch; a grid covers a face when any of its polygons does.
//  5. Outside (outside): a face outside a given community boundary goes
//     to no grid. A grid with more than Options.MaxOutside (default half)
//     of its area outside is a fault: it belongs to another community.
//  6. Overlaps (overlap): a face several grids cover goes to the one
//     among them that shares the longest border with it, counting only
//     borders with faces already decided (repeated until all are); this
//     keeps each outline closest to what the neighbours agree on. With
//     Options.Overlap = LargestGrid it goes to the claimant with the
//     largest original area. Ties go to the grid given first.
//  7. Gaps: a face inside the community that no grid covers goes, if its
//     area is at most Options.GapM2 (default 200 m²), to the neighbour
//     sharing the longest border with it (gap_filled). A larger gap is a
//     fault inside a given boundary; inside a derived one it stays a
//     hole (gap_left).
//  8. Slivers (sliver): a detached piece of a grid that is not its
//     largest, with less than Options.SliverM2 (default 50 m²) or thinner
//     on average (2·area/perimeter) than Options.SliverWidthM (default
//     1 m), goes to the neighbour sharing the longest border with it.
//  9. Outlines: each grid's edges (those with it on one side only) are
//     traced into rings, split where a ring touches itself, so every grid
//     is a valid MultiPolygon and neighbours share the very same edges.
//  10. Stitch (node): a vertex of one grid lying within one lattice step
//     of another grid's edge becomes a vertex of that edge too, so grids
//     of neighbouring communities, repaired apart, also share their
//     border vertex for vertex.
//
// # Faults
//
// An *Error (errors.Is ErrUnrepairable) lists each fault with the grid's
// key, the community and a place: a grid with no geometry or no area; a
// key used twice with different shapes; a grid mostly outside its
// community; a grid left with no area (all of it claimed by others, as a
// copy under another key is); a gap above the threshold inside a given
// boundary; a community boundary with no grids. Nothing is returned half
// repaired.
//
// # Measures
//
// Lengths and areas are metres and m², in an equirectangular projection
// at the community's mean latitude with geo/planar's Earth radius (the
// one geo/cityio's validation uses).
//
// # Report
//
// Summarize counts the repairs by kind and lists the largest;
// WriteReport writes repairs.geojson (every repair as a feature QGIS
// opens), summary.json and summary.md into a directory.
package repair
