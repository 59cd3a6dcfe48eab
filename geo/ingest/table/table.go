// Package table reads tables of a city's own data, CSV and Excel .xlsx,
// into ingest Layers: an address table (标准地址库) or a list of stations
// with a coordinate per row, as a grid office exports them.
//
// The first row names the columns. The geometry comes from a longitude
// and a latitude column (or x and y) or from a WKT column, named by
// Options or recognised by the names such tables use: 经度/纬度, JD/WD,
// lon/lng/longitude, lat/latitude, x/y, POINT_X/POINT_Y, wkt/geometry/
// geom/the_geom/shape (case, spaces and underscores ignored). Read says
// which columns it chose (Chosen), for the import report. Every column,
// the coordinate columns included, stays an attribute, as text.
//
// A CSV may start with a UTF-8 byte-order mark, be separated by commas or
// tabs (sniffed from the header line) and quote fields; it is UTF-8 when
// it decodes as UTF-8 and GB18030 (a superset of GBK) otherwise, unless
// Options.Encoding says. An .xlsx is read from its first sheet or the one
// Options.Sheet names.
package table

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
)

// Options tune a read. The zero value recognises everything.
type Options struct {
	// Lon and Lat name the coordinate columns (x/easting and y/northing
	// for projected data); WKT names a WKT geometry column. Set Lon and
	// Lat, or WKT, or neither to recognise the columns by name.
	Lon, Lat, WKT string
	// NoGeometry reads the attributes only: every feature's geometry is
	// nil and no column is looked for.
	NoGeometry bool
	// KeepInvalid makes a row whose coordinates or WKT cannot be parsed a
	// feature with a nil geometry (listed in Chosen.Invalid) instead of
	// failing the read.
	KeepInvalid bool
	// Encoding, for a CSV, overrides the detection: "UTF-8", "GBK" or
	// "GB18030".
	Encoding string
	// Comma, for a CSV, overrides the sniffed separator (',' or '\t').
	Comma rune
	// Sheet names the .xlsx sheet to read; "" reads the first.
	Sheet string
}

// Chosen says how Read found the geometry, for the import report.
type Chosen struct {
	// Lon and Lat are the coordinate columns, or "".
	Lon, Lat string
	// WKT is the WKT column, or "".
	WKT string
	// By is "options" or "recognised", or "" when no geometry column
	// was found (every geometry is then nil).
	By string
	// Swapped is true when columns named X and Y held northing and
	// easting (the Chinese surveying convention: X is north), so Lon is
	// the Y column and Lat the X column.
	Swapped bool
	// Separator is the CSV separator used ("," or "\t"); "" for .xlsx.
	Separator string
	// Sheet is the .xlsx sheet read.
	Sheet string
	// Invalid lists the Index of each feature kept with a nil geometry
	// because its coordinates could not be parsed (Options.KeepInvalid).
	Invalid []int
}

// String describes the choice in a sentence for the import report.
func (c Chosen) String() string {
	var s string
	switch {
	case c.WKT != "":
		s = fmt.Sprintf("geometry from WKT column %q (%s)", c.WKT, c.By)
	case c.Lon != "":
		s = fmt.Sprintf("points from columns %q (x) and %q (y) (%s)", c.Lon, c.Lat, c.By)
		if c.Swapped {
			s += ", X/Y read as northing/easting"
		}
	default:
		s = "no geometry columns"
	}
	if len(c.Invalid) > 0 {
		s += fmt.Sprintf("; %d rows with unreadable coordinates kept without geometry", len(c.Invalid))
	}
	return s
}

// Read reads the table at path: .xlsx with ReadXLSX, anything else
// (.csv, .tsv, .txt) with ReadCSV.
func Read(path string, opt Options) (*ingest.Layer, Chosen, error) {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return ReadXLSX(path, opt)
	}
	return ReadCSV(path, opt)
}

// layerName is the file's base name without its extension.
func layerName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// header cleans the column names: spaces trimmed, empty names field_N
// (1-based, as GDAL names them).
func header(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			n = fmt.Sprintf("field_%d", i+1)
		}
		out[i] = n
	}
	return out
}
