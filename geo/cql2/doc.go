// Package cql2 parses and evaluates the text encoding of OGC Common Query
// Language (CQL2), as used by the filter parameter of OGC API - Features
// Part 3: the Basic CQL2 comparisons (=, <>, <, <=, >, >=, IS [NOT] NULL),
// the Advanced ones (LIKE, BETWEEN, IN), AND/OR/NOT with parentheses, and
// the Basic Spatial functions S_INTERSECTS, S_WITHIN, S_CONTAINS and
// S_DISJOINT over WKT literals (POINT, LINESTRING, POLYGON, their MULTI
// forms) and BBOX(...).
//
// Parse turns text into an Expr or an *Error naming the character where the
// text goes wrong; Check types an Expr against a collection's queryables;
// Compile prepares it to match features. Geometry literals are read in the
// coordinate order they are written in; MapGeometries maps them to WGS-84
// lon/lat (filter-crs) before Compile. The package does no HTTP.
package cql2
