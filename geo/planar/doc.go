// Package planar is the small geometry kernel that the grid editor
// (geo/edit) and the topology repair (geo/repair) share: the 1e-7 degree
// coordinate lattice and how to place a point on it close to a line,
// segment predicates and intersection, noding (inserting the vertices that
// lie on a ring's edges), polygonizing a set of noded segments into faces,
// and lengths and areas in metres.
//
// Coordinates are WGS-84 lon/lat degrees. Lengths and areas use one mean
// Earth radius (EarthRadiusMeters, as geo/cityio's area check) in an
// equirectangular projection at a reference latitude: exact enough at
// community scale, and consistent between a community and its grids.
package planar
