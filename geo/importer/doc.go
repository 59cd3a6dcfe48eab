// Package importer builds a city from a city's own data: layers read by
// the readers of package ingest (Shapefile, GeoPackage, GeoJSON, CSV and
// Excel tables, OpenStreetMap extracts), in any coordinate system package
// crs knows, with columns named the way Chinese GIS data names them.
//
// Run takes the layers and goes through fixed steps, each reported
// through Options.Progress:
//
//  1. columns: each attribute (grid code, community name, address,
//     households, ...) is taken from the column a Mapping names, or else
//     from the first column whose name is a usual one for it (Chinese,
//     English or pinyin initials: 网格编码, WGBM, grid_code); the choice is
//     in the Report.
//  2. coordinates: every layer is converted to WGS-84 from the system it
//     declares, else the one given for it, else the default; a layer with
//     none of the three is a fault naming it, never a guess.
//  3. hierarchy: each grid's community comes from its 15-digit code, else
//     a community code column, else the units layer (the unit holding the
//     grid's interior point), else community names looked up among the
//     known divisions; grids without a code get new ones in the standard
//     order (geo.StandardOrder), after the codes already used.
//  4. repair: the grids are made a partition of each community by the
//     Repairer (tolerances in Options.Repair), which records every change
//     and derives missing community boundaries.
//  5. buildings, stations and streets: buildings from points or from
//     footprints (their interior point, geo.InteriorPoint), placed in the
//     grid that holds them; addresses given as text are split into parts
//     by package address, and those it cannot place are listed in the
//     report, not dropped. Households come from a column or stay unknown
//     (0 in the model, and the report counts the buildings whose
//     households are unknown instead of inventing numbers).
//  6. validation: the city must pass cityio.Validate; anything left is a
//     fault.
//
// Run returns the city only when nothing is fatal: on any fault it
// returns an error listing every fault (file, feature and reason) and no
// city, so a caller that stores the result never half-imports.
//
// The package does no logging and reads no flags or environment.
package importer
