package server

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// An exportTable is a layer built for one export request: typed columns
// and rows of a geometry (a point or a multipolygon) and one text value
// per column ("" for null; numbers as plain decimals). It is written as
// GeoJSON, CSV or a zipped Shapefile by the same code, so the three
// formats always agree.
type exportTable struct {
	name    string // file base name: grids, gaps
	columns []shapefile.Field
	rows    []exportRow
}

// An exportRow is one feature of an exportTable.
type exportRow struct {
	geom   orb.Geometry
	values []string
}

// The export formats.
const (
	formatGeoJSON = "geojson"
	formatTextCSV = "csv"
	formatSHP     = "shp"
)

// formatJSON is the grid table's attribute rows without geometry.
const formatJSON = "json"

// parseExportFormat parses the format parameter (GeoJSON when empty);
// json only when withJSON.
func parseExportFormat(raw string, withJSON bool) (string, error) {
	switch raw {
	case "", formatGeoJSON:
		return formatGeoJSON, nil
	case formatTextCSV, formatSHP:
		return raw, nil
	case formatJSON:
		if withJSON {
			return raw, nil
		}
		return "", fieldErr(http.StatusBadRequest, "format", "json is for grids only; want geojson, csv or shp")
	}
	return "", fieldErr(http.StatusBadRequest, "format", "%s is not geojson, csv or shp", quoteClip([]byte(raw)))
}

// appendValue appends a cell as JSON: "" as null, a number as it is,
// text as a string.
func appendValue(b []byte, col shapefile.Field, v string) []byte {
	switch {
	case v == "":
		return append(b, "null"...)
	case col.Type == 'N':
		return append(b, v...)
	}
	return wire.AppendString(b, v)
}

// send writes t in format as the response, named for download.
func (t *exportTable) send(c *fiber.Ctx, format string, version uint64) error {
	var body []byte
	var ctype, ext string
	switch format {
	case formatTextCSV:
		body, ctype, ext = t.csv(), "text/csv; charset=utf-8", ".csv"
	case formatSHP:
		now := time.Now().UTC()
		files, err := shapefile.Encode(shapefile.Layer{Fields: t.columns, Features: t.features(), PRJ: shapefile.WGS84PRJ,
			Year: now.Year(), Month: int(now.Month()), Day: now.Day()})
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := shapefile.WriteZip(&buf, t.name, files); err != nil {
			return err
		}
		body, ctype, ext = buf.Bytes(), "application/zip", ".zip"
	default:
		body, ctype, ext = t.geojson(version), "application/geo+json", ".geojson"
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+t.name+ext+`"`)
	c.Response().SetBodyRaw(body)
	return nil
}

// features returns the rows as Shapefile features.
func (t *exportTable) features() []shapefile.Feature {
	out := make([]shapefile.Feature, len(t.rows))
	for i, r := range t.rows {
		out[i] = shapefile.Feature{Geometry: r.geom, Props: r.values}
	}
	return out
}

// geojson returns t as a FeatureCollection: numbers as JSON numbers, ""
// as null, and the snapshot version.
func (t *exportTable) geojson(version uint64) []byte {
	b := append(make([]byte, 0, 256+len(t.rows)*512), `{"type":"FeatureCollection","name":`...)
	b = wire.AppendString(b, t.name)
	b = append(b, `,"version":`...)
	b = appendInt(b, int(version))
	b = append(b, `,"features":[`...)
	for i, r := range t.rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"Feature","geometry":`...)
		switch g := r.geom.(type) {
		case orb.Point:
			b = wire.Lattice.AppendPoint(b, g)
		case orb.MultiPolygon:
			b = wire.Lattice.AppendMultiPolygon(b, g)
		default:
			b = append(b, "null"...)
		}
		b = append(b, `,"properties":{`...)
		for j, col := range t.columns {
			if j > 0 {
				b = append(b, ',')
			}
			b = wire.AppendString(b, col.Name)
			b = append(b, ':')
			b = appendValue(b, col, r.values[j])
		}
		b = append(b, "}}"...)
	}
	return append(b, "]}"...)
}

// csv returns t as CSV with a BOM (wire.BOM, so that Excel reads UTF-8) and a header row; a point's lon and lat
// come last (a polygon has none: CSV carries the attributes). Text that
// a spreadsheet would take for a formula (=, +, -, @) gets a leading '.
func (t *exportTable) csv() []byte {
	b := append(make([]byte, 0, 64+len(t.rows)*128), wire.BOM...)
	points := len(t.rows) > 0
	for _, r := range t.rows {
		if _, ok := r.geom.(orb.Point); !ok {
			points = false
		}
	}
	for j, col := range t.columns {
		if j > 0 {
			b = append(b, ',')
		}
		b = wire.AppendCSVField(b, col.Name)
	}
	if points {
		b = append(b, ",lon,lat"...)
	}
	b = append(b, "\r\n"...)
	for _, r := range t.rows {
		for j, col := range t.columns {
			if j > 0 {
				b = append(b, ',')
			}
			v := r.values[j]
			if col.Type == 'C' && v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
				v = "'" + v
			}
			b = wire.AppendCSVField(b, v)
		}
		if p, ok := r.geom.(orb.Point); points && ok {
			b = append(b, ',')
			b = appendFixed(b, p[0], 7)
			b = append(b, ',')
			b = appendFixed(b, p[1], 7)
		}
		b = append(b, "\r\n"...)
	}
	return b
}
