package gpkg

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/ingest"
)

// table describes one feature table: its primary key, geometry column,
// attribute columns and declared coordinate system.
type table struct {
	name, pk, geom string
	cols           []column
	srs            ingest.SRS
}

// column is an attribute column and its declared type, upper case.
type column struct{ name, typ string }

func (t *table) fieldNames() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

// describe reads a feature table's geometry column, coordinate system
// and columns from the GeoPackage metadata.
func describe(db *sql.DB, path, name string) (*table, error) {
	t := &table{name: name}
	var srsID int64
	err := db.QueryRow(`SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ? COLLATE NOCASE`, name).Scan(&t.geom, &srsID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ingest.Errorf(path, 0, "layer %q has no row in gpkg_geometry_columns", name)
	}
	if err != nil {
		return nil, ingest.Errorf(path, 0, "reading gpkg_geometry_columns for %q: %v", name, err)
	}
	if t.srs, err = readSRS(db, srsID); err != nil {
		return nil, ingest.Errorf(path, 0, "layer %q: srs_id %d: %v", name, srsID, err)
	}
	rows, err := db.Query(`SELECT name, type, pk FROM pragma_table_info(?)`, name)
	if err != nil {
		return nil, ingest.Errorf(path, 0, "reading the columns of %q: %v", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c column
		var pk int
		if err := rows.Scan(&c.name, &c.typ, &pk); err != nil {
			return nil, ingest.Errorf(path, 0, "reading the columns of %q: %v", name, err)
		}
		c.typ = strings.ToUpper(c.typ)
		switch {
		case pk == 1 && t.pk == "" && c.typ == "INTEGER":
			t.pk = c.name
		case strings.EqualFold(c.name, t.geom):
			t.geom = c.name
		default:
			t.cols = append(t.cols, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, ingest.Errorf(path, 0, "reading the columns of %q: %v", name, err)
	}
	if t.pk == "" {
		t.pk = "rowid"
	}
	return t, nil
}

// readSRS reads a gpkg_spatial_ref_sys row. The undefined systems 0
// (geographic) and -1 (Cartesian) declare nothing.
func readSRS(db *sql.DB, id int64) (ingest.SRS, error) {
	if id == 0 || id == -1 {
		return ingest.SRS{}, nil
	}
	var org sql.NullString
	var code sql.NullInt64
	var def sql.NullString
	err := db.QueryRow(`SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, id).Scan(&org, &code, &def)
	if errors.Is(err, sql.ErrNoRows) {
		return ingest.SRS{}, errNoRows
	}
	if err != nil {
		return ingest.SRS{}, err
	}
	var s ingest.SRS
	if strings.EqualFold(org.String, "EPSG") && code.Valid {
		s.EPSG = int(code.Int64)
	}
	if d := strings.TrimSpace(def.String); d != "" && !strings.EqualFold(d, "undefined") {
		s.WKT = d
	}
	return s, nil
}

// readFeatures reads every row of t in primary-key order.
func readFeatures(db *sql.DB, path string, t *table) ([]ingest.Feature, error) {
	// "+col" is a no-op expression that hides the declared type, so the
	// driver hands DATE and DATETIME text over as stored.
	sel := []string{quoteIdent(t.pk), quoteIdent(t.geom)}
	if t.pk == "rowid" {
		sel[0] = "rowid"
	}
	for _, c := range t.cols {
		sel = append(sel, "+"+quoteIdent(c.name))
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + quoteIdent(t.name) + " ORDER BY " + sel[0]
	rows, err := db.Query(q)
	if err != nil {
		return nil, ingest.Errorf(path, 0, "reading layer %q: %v", t.name, err)
	}
	defer rows.Close()
	var fid int64
	var blob []byte
	vals := make([]any, len(t.cols))
	dest := []any{&fid, &blob}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	var out []ingest.Feature
	for rows.Next() {
		index := len(out) + 1
		if err := rows.Scan(dest...); err != nil {
			return nil, ingest.Errorf(path, index, "layer %q: %v", t.name, err)
		}
		f := ingest.Feature{Index: index, Props: make([]string, len(t.cols))}
		if len(blob) > 0 {
			g, _, err := decodeBlob(blob)
			if err != nil {
				return nil, ingest.Errorf(path, index, "layer %q fid %d: %v", t.name, fid, err)
			}
			f.Geometry = g
		}
		for i, v := range vals {
			f.Props[i] = formatValue(t.cols[i].typ, v)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, ingest.Errorf(path, len(out)+1, "layer %q: %v", t.name, err)
	}
	return out, nil
}

// formatValue renders one attribute value as text: integers and reals in
// their shortest decimal form, BOOLEAN columns as "true"/"false", text as
// stored, blobs as text when UTF-8 and hex otherwise, null as "".
func formatValue(typ string, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int64:
		if typ == "BOOLEAN" {
			return strconv.FormatBool(v != 0)
		}
		return strconv.FormatInt(v, 10)
	case float64:
		return formatFloat(v)
	case string:
		return v
	case []byte:
		if utf8.Valid(v) {
			return string(v)
		}
		return hex.EncodeToString(v)
	}
	return ""
}

// formatFloat gives a real's shortest decimal form without an exponent
// (exponent form beyond 1e21, where plain digits would mislead).
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return strconv.FormatFloat(f, 'g', -1, 64)
	case f == 0:
		return "0"
	case math.Abs(f) >= 1e21:
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
