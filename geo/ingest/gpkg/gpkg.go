// Package gpkg reads feature layers of an OGC GeoPackage (a SQLite file)
// into ingest Layers, in pure Go (modernc.org/sqlite, no cgo): the layer's
// columns as text, its geometries from the GeoPackage binary ("GP" header
// and ISO WKB, Z and M dropped), and its coordinate system from
// gpkg_spatial_ref_sys (EPSG code and WKT definition).
package gpkg

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// Layers returns the names of the feature layers (gpkg_contents rows
// with data_type "features") of the GeoPackage at path, in the order the
// file lists them.
func Layers(path string) ([]string, error) {
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return featureTables(db, path)
}

// Read reads the feature layer name of the GeoPackage at path; name ""
// reads the only feature layer, and is an error when there are several.
// Features come in primary-key order with Index their 1-based position;
// attribute values are text (integers and reals in their shortest
// decimal form, booleans "true"/"false", dates as stored, null "").
// A fault names the file, the feature and the reason (*ingest.Error).
func Read(path, name string) (*ingest.Layer, error) {
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tables, err := featureTables(db, path)
	if err != nil {
		return nil, err
	}
	if name, err = pickLayer(path, name, tables); err != nil {
		return nil, err
	}
	t, err := describe(db, path, name)
	if err != nil {
		return nil, err
	}
	l := &ingest.Layer{Name: name, Source: path, SRS: t.srs, Fields: t.fieldNames(),
		Encoding: "UTF-8", EncodingFrom: "declared"}
	if l.Features, err = readFeatures(db, path, t); err != nil {
		return nil, err
	}
	return l, nil
}

// open checks that path is a SQLite file and opens it read-only.
func open(path string) (*sql.DB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening GeoPackage: %w", err)
	}
	head := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte(sqliteMagic)) {
		return nil, ingest.Errorf(path, 0, "not a GeoPackage: not a SQLite 3 database")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("opening GeoPackage %s: %w", path, err)
	}
	dsn := "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?mode=ro"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening GeoPackage %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// featureTables lists gpkg_contents' feature tables.
func featureTables(db *sql.DB, path string) ([]string, error) {
	rows, err := db.Query(`SELECT table_name FROM gpkg_contents WHERE lower(data_type) = 'features' ORDER BY rowid`)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return nil, ingest.Errorf(path, 0, "not a GeoPackage: no gpkg_contents table")
	}
	if err != nil {
		return nil, ingest.Errorf(path, 0, "reading gpkg_contents: %v", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, ingest.Errorf(path, 0, "reading gpkg_contents: %v", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, ingest.Errorf(path, 0, "reading gpkg_contents: %v", err)
	}
	return names, nil
}

// pickLayer checks name against the feature tables (case-insensitively,
// as SQLite names are) or picks the only one when name is "".
func pickLayer(path, name string, tables []string) (string, error) {
	if len(tables) == 0 {
		return "", ingest.Errorf(path, 0, "the GeoPackage has no feature layer")
	}
	if name == "" {
		if len(tables) > 1 {
			return "", ingest.Errorf(path, 0, "the GeoPackage has %d feature layers (%s): name one", len(tables), strings.Join(tables, ", "))
		}
		return tables[0], nil
	}
	for _, t := range tables {
		if strings.EqualFold(t, name) {
			return t, nil
		}
	}
	return "", ingest.Errorf(path, 0, "no feature layer %q (layers: %s)", name, strings.Join(tables, ", "))
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// errNoRows is returned when a metadata row is missing.
var errNoRows = errors.New("no such row in gpkg_spatial_ref_sys")
