// Package geo holds gridmap's model of a city's governance grids: the unit
// hierarchy (district > subdistrict > community > grid), buildings, service
// stations and streets, the national-standard codes that name them, the
// immutable Snapshot that readers share, and point-in-grid location.
//
// Coordinates are WGS-84 longitude/latitude (orb.Point is {lon, lat}).
// Distances and areas carry their unit (meters, square meters) in their names.
// The package does no logging and no HTTP.
package geo
