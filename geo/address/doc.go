// Package address turns messy Chinese addresses, as people type them into
// household registers and hotline tickets, into buildings and grids of a
// snapshot, without an outside geocoder.
//
// The pipeline has three steps, each usable on its own:
//
//   - Normalize folds full-width characters, Chinese numerals, building
//     words, old division names, noise (phone numbers, 附近) and doubled
//     prefixes into one canonical spelling.
//   - Parse splits an address into Parts: province, city, district,
//     subdistrict, community, road, door number, estate, building, unit,
//     floor and room, keeping what it could not place in Rest.
//   - An Index over a snapshot's buildings matches an address to a building
//     (or, where the address names only a road or an estate, to the grids it
//     spans) with a calibrated confidence, and answers the reverse question:
//     which building is nearest a point, and what is its standard address.
//
// Bad input (empty, too long, invalid UTF-8, control characters) is an
// error wrapping ErrEmpty, ErrTooLong or ErrInvalidText; an address that
// matches nothing is a normal answer with confidence 0 and a reason.
//
// The package does no logging and no HTTP.
package address
