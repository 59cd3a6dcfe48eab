// Package cityio reads, validates and writes a city's data set in its
// on-disk format: a directory of GeoJSON files in WGS-84 longitude/latitude.
//
// # Format
//
// A city directory holds six files:
//
//   - city.json: {"code":"5202","name":"六盘水市","province":"贵州省",
//     "crs":"wgs84","synthetic":true,"source":"...","generator":{...}}.
//     crs names the system of every coordinate in the layer files: wgs84
//     (the default when absent), cgcs2000 (treated as WGS-84), gcj02 or
//     bd09 (see package crs). The reader converts to WGS-84; the writer
//     always writes wgs84.
//   - units.geojson: the city, districts, subdistricts and communities.
//     Properties code (short significant form: "5202", "520201",
//     "520201011", "520201011001"; the 12-digit form is accepted), name,
//     level (city, district, subdistrict or community, agreeing with the
//     code), parent (the short code of the code's parent; absent for the
//     city). Geometry Polygon, MultiPolygon or null.
//   - grids.geojson: properties id (positive integer, stable), code (15
//     digits), name, community (12 digits), households, buildings.
//     Geometry Polygon or MultiPolygon.
//   - buildings.geojson: Point; properties id, address (the full standard
//     text, geo.Address.String), its parts province, city, district,
//     subdistrict, community, road, number, estate, building, then units,
//     floors, households and grid (15-digit code).
//   - stations.geojson: Point; properties id, kind (community or centre),
//     name, unit (short code of the community or subdistrict served) and,
//     for community stations, community (12 digits).
//   - streets.geojson: LineString; properties id, name, class.
//   - staff.json (optional): the grids' staff, one JSON object per line:
//     {"grid":"<15 digits>","name":"王秀英","role":"head","type":"part_time",
//     "phone":"138-1234-5678"}; role head (网格长) or worker (网格员), type
//     full_time (专职), part_time (兼职) or absent; checked by geo.CheckStaff.
//
// Each Feature's "id" member repeats the object's id (units: their short
// code); when present on input it must agree. Unknown members and
// properties are ignored. The writer emits one feature per line with a
// fixed property order, coordinates snapped to 1e-7 degrees and printed
// in their shortest form (at most 7 decimals), polygons as MultiPolygon,
// so the same City always gives the same bytes and diffs stay readable.
//
// # Reading
//
// ReadFS decodes the files (concurrently, with geo/wire's JSON scanner:
// encoding/json is several times slower on these files),
// converts coordinates to WGS-84, normalizes (Normalize: snapping, ring
// orientation, sorting, Grid.Bound) and validates. It collects every
// problem it can find, naming layer, feature and fault, and then refuses
// the whole city: it never returns a partly loaded one. A feature with a
// fault is dropped before validation, and references to it (a building
// naming a dropped grid) are not reported again.
//
// Limits: a layer file may not exceed MaxLayerBytes, city.json
// MaxMetaBytes, a feature MaxFeatureVertices vertices, and JSON nesting
// 128 levels. No input makes the reader panic.
//
// # Validation
//
// Validate (run by the reader and by Write) checks:
//   - codes that parse, levels that agree with codes, one city unit equal
//     to city.json's code, unit parents that exist, a grid's community
//     that exists and is a community, a building's grid that exists, a
//     station's unit that exists with the level its kind serves;
//   - duplicate unit codes, grid codes and ids of every layer, ids > 0;
//   - non-empty valid UTF-8 names, non-negative counts, and grid
//     households and building counts equal to the sums over its buildings;
//   - coordinates finite within lon -180..180, lat -90..90; rings closed
//     with at least 4 points; polygons valid by simplefeatures (simple
//     rings, so no bow-ties or spikes; holes inside shells; connected
//     interiors; parts not overlapping); lines with 2 distinct points;
//   - Grid.Bound equal to the geometry's bound;
//   - per community with a geometry: every grid vertex and edge midpoint
//     inside or on the community (within 5e-8 degrees) and no grid edge
//     properly crossing its boundary; the grids' area (m², equirectangular
//     at the community's latitude) equal to the community's within
//     1 m² + 1e-6 relative, so gaps are found;
//   - per community: no two grids with intersecting interiors (a vertex
//     or edge midpoint of one strictly inside the other, a proper edge
//     crossing, or one lying wholly on the other);
//   - every building inside or on the boundary of its grid.
//
// A unit whose geometry is null is kept with a nil Geometry: the reader
// does not derive a community's area from its grids (a union of every
// community would cost more than the whole load). Without a community
// geometry, its grids are checked against each other but not for
// containment or gaps.
package cityio
