// Package bulk streams CSV and NDJSON files of points or addresses through
// the city: each input row comes back with its grid and divisions (a point
// lookup) or its building, grid and point (an address geocode), in input
// order, with memory bounded whatever the size of the input and the rows
// processed in parallel. The HTTP server streams POST /v1/lookup and POST
// /v1/geocode bodies through it, and gridmap geocode streams files through
// it without a server: both write the same bytes.
//
// A Pipeline's producer cuts the input into chunks of whole records
// (geo/wire's splitters), workers process chunks in parallel with a Codec,
// and Read hands out their output in input order. Answers holds each
// grid's precomputed answer pieces for one city version.
package bulk
