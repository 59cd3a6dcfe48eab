// Package walk is the walking-network engine behind the 15-minute service
// circles: a pedestrian graph built from streets or an OpenStreetMap extract,
// buildings and stations snapped onto it, bounded shortest-path reach from one
// station, many stations or any point, the coverage of buildings and
// households per unit, the gaps, a display polygon for a circle, and greedy
// suggestions for new station sites.
//
// # Distances
//
// Every distance is in meters on the WGS-84 sphere of radius 6,378,137 m
// (orb.EarthRadius). An edge's length is the sum of the haversine
// lengths of its segments. Snapping measures the walk from a point to the
// nearest edge in a local equirectangular projection centred on the point,
// which differs from the geodesic by less than one part in 10,000 within the
// 500 m a point may lie off the network. The network distance from a source
// to a target is access walk + walk along the network + access walk: for a
// source snapped to edge e at offset t with access a, the node at e's start
// is at a+t and the node at its end at a+(length-t); a target snapped to
// edge f at offset s with access b is at min(D(from)+s, D(to)+(length-s))+b,
// or a+|t-s|+b when it lies on the source's own edge and that is shorter.
//
// # Minutes and meters
//
// The standard (GB 50180-2018) gives walking distances, not a speed: the
// 15-minute circle is 800-1000 m (default 1000 m), the 10-minute about 500 m
// and the 5-minute about 300 m, so the three bands are not linear in time.
// MinutesToMeters maps 5, 10 and 15 minutes to Band5, Band10 and Band15 and
// any other whole or fractional number of minutes to meters at the walking
// speed (default 4 km/h, 66.7 m a minute). HTTP handlers should convert
// minutes with it once and call the meter-based API.
//
// # Circles
//
// Network.Circle draws a reach as a picture: every reached stretch of
// street, up to where the walk runs out, is rasterised onto a lattice of
// CellMeters (12 m) cells as a distance field: at each lattice point, the
// network distance of the nearest reached street point plus TaperSlope
// times how far beyond BufferMeters (50 m) that point lies. A band of L
// meters is the region where the field is at most L, traced by marching
// squares with linear interpolation, holes under MinHoleAreaMeters2 (4 ha)
// filled and rings simplified by half a meter. Bands drawn in one call come
// from the same field, so they nest; the polygons are valid MultiPolygons,
// outer rings counter-clockwise.
//
// # For the HTTP layer
//
// Convert minutes with Network.MinutesToMeters (ErrLimitRange outside
// 1-60), then: StationReach + Circle(r, Band5, Band10, Band15) for a
// station's circle and covered buildings; PointReach + Circle for a what-if
// circle; Coverage(limit).Units(level) and .Gaps for coverage and gaps
// (GridTally gives a grid's share for the tile layer); NearestStation and
// NearestStationToBuilding; Suggest for new sites. ErrUnknownStation and
// ErrUnknownBuilding are 404s; ErrLimitRange, ErrBadK, ErrOffNetwork,
// ErrNoCandidates, ErrBadGeometry and geo.ErrNotFound in candidate rules
// are 400/422s; ErrNoStation is a 404 or 422.
//
// # Concurrency
//
// A Graph and a Network are immutable once built and safe for concurrent
// use; queries borrow scratch space from a free list, so a query allocates only
// its result.
package walk
