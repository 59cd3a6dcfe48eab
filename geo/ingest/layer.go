// Package ingest holds what every reader of a city's own data produces: a
// Layer of Features with their attributes as text, in the coordinates of
// the file and with the coordinate system the file declares. Readers live
// in subpackages (shapefile, gpkg, table, osmfile); the import pipeline
// (package importer) maps columns, reprojects, repairs and builds a city.
//
// A reader never guesses silently: a fault names the file, the feature
// (1-based index, as GDAL's FID for Shapefiles) and the reason, through
// *Error.
package ingest

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// ErrFormat is wrapped by every reader error caused by the content of a
// file (as opposed to an I/O failure).
var ErrFormat = errors.New("ingest: malformed input")

// A Layer is one table of features read from a file: a Shapefile, a
// GeoPackage table, a CSV or Excel sheet, a GeoJSON file or an
// OpenStreetMap extract's ways or buildings.
type Layer struct {
	// Name is the layer's name: the Shapefile's base name, the GeoPackage
	// table, the sheet, or for OSM "streets" / "buildings".
	Name string
	// Source is the path the layer was read from (for messages).
	Source string
	// SRS is the coordinate system the file declares; zero when it
	// declares none (then the pipeline uses --crs or fails).
	SRS SRS
	// Fields are the attribute names in file order.
	Fields []string
	// Features are the records in file order.
	Features []Feature
	// Encoding names the text encoding the attributes were decoded from
	// ("UTF-8", "GBK", "GB18030"), and how it was chosen ("cpg", "ldid",
	// "detected", "declared"), for the import report.
	Encoding, EncodingFrom string
}

// A Feature is one record: a geometry in the layer's coordinates (nil for
// a record with none) and its attribute values, Props[i] for Fields[i],
// as text (numbers in their shortest decimal form, dates as YYYY-MM-DD,
// null as "").
type Feature struct {
	// Index is the record's 1-based position in its file.
	Index int
	// Geometry is a orb.Point, orb.MultiPoint, orb.LineString,
	// orb.MultiLineString, orb.Polygon or orb.MultiPolygon, or nil. Z and M
	// are dropped. Rings are as the file has them (not repaired).
	Geometry orb.Geometry
	// Props are the attribute values, one per Layer.Fields entry.
	Props []string
}

// Get returns the value of field name in f (exact match), and whether the
// layer has that field.
func (l *Layer) Get(f *Feature, name string) (string, bool) {
	for i, n := range l.Fields {
		if n == name {
			if i < len(f.Props) {
				return f.Props[i], true
			}
			return "", true
		}
	}
	return "", false
}

// An SRS is a declared spatial reference system: an EPSG code where the
// file names one (GeoPackage srs_id, a .prj with an AUTHORITY, a GeoJSON
// "crs" member), and the WKT text where the file has it (a .prj). The
// pipeline resolves it with crs.Resolve(EPSG, WKT); readers do not
// interpret it.
type SRS struct {
	EPSG int
	WKT  string
}

// IsZero reports whether no system was declared.
func (s SRS) IsZero() bool { return s.EPSG == 0 && s.WKT == "" }

// An Error is a fault in one file, at one feature when Feature > 0.
type Error struct {
	File    string
	Feature int
	Reason  string
}

func (e *Error) Error() string {
	if e.Feature > 0 {
		return fmt.Sprintf("%s: feature %d: %s", e.File, e.Feature, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}

// Unwrap makes errors.Is(err, ErrFormat) true.
func (e *Error) Unwrap() error { return ErrFormat }

// Errorf returns an *Error for file at feature (0: the file as a whole).
func Errorf(file string, feature int, format string, args ...any) error {
	return &Error{File: file, Feature: feature, Reason: fmt.Sprintf(format, args...)}
}
