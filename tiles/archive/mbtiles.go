package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/tiles"

	// The pure-Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"
)

// ErrNeedsGzip is returned by WriteMBTiles for a set of uncompressed
// tiles: MBTiles readers expect pbf tiles gzip-compressed.
var ErrNeedsGzip = errors.New("archive: mbtiles needs gzip-compressed tiles")

// mbtilesSchema is the MBTiles 1.3 schema: the metadata table and the
// tiles table (TMS rows, y up) with its unique index.
const mbtilesSchema = `
CREATE TABLE metadata (name TEXT, value TEXT);
CREATE UNIQUE INDEX name ON metadata (name);
CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`

// WriteMBTiles writes set as an MBTiles 1.3 database at path, replacing
// any file there: a metadata table (name, format pbf, bounds, center,
// minzoom, maxzoom, and json with vector_layers) and one row per tile,
// its row flipped to the TMS scheme. The database is built beside path
// and renamed into place, so a failed export leaves no half-written file.
func WriteMBTiles(ctx context.Context, path string, set *Set, md Metadata) (err error) {
	if set.Compression != Gzip {
		return ErrNeedsGzip
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing mbtiles: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()
	if err := fillMBTiles(ctx, tmpName, set, md); err != nil {
		return fmt.Errorf("writing mbtiles %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("writing mbtiles: %w", err)
	}
	return nil
}

// fillMBTiles creates the schema in the database file at path and fills
// it in one transaction.
func fillMBTiles(ctx context.Context, path string, set *Set, md Metadata) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"+mbtilesSchema); err != nil {
		return fmt.Errorf("creating the schema: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertMetadata(ctx, tx, md); err != nil {
		return err
	}
	if err := insertTiles(ctx, tx, set); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return db.Close()
}

// insertMetadata writes the metadata rows.
func insertMetadata(ctx context.Context, tx *sql.Tx, md Metadata) error {
	layers, err := json.Marshal(struct {
		VectorLayers []tiles.VectorLayer `json:"vector_layers"`
	}{md.layers()})
	if err != nil {
		return fmt.Errorf("encoding vector_layers: %w", err)
	}
	num := func(vs ...float64) string {
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = strconv.FormatFloat(v, 'f', -1, 64)
		}
		return strings.Join(parts, ",")
	}
	rows := [][2]string{
		{"name", md.Name}, {"format", "pbf"}, {"type", "overlay"}, {"version", md.Version},
		{"description", md.Description}, {"attribution", md.Attribution},
		{"bounds", num(md.Bounds[:]...)}, {"center", num(md.Center[:]...)},
		{"minzoom", strconv.FormatUint(uint64(md.MinZoom), 10)}, {"maxzoom", strconv.FormatUint(uint64(md.MaxZoom), 10)},
		{"json", string(layers)},
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, "INSERT INTO metadata (name, value) VALUES (?, ?)", r[0], r[1]); err != nil {
			return fmt.Errorf("writing metadata %s: %w", r[0], err)
		}
	}
	return nil
}

// insertTiles writes one row per tile, y flipped to TMS.
func insertTiles(ctx context.Context, tx *sql.Tx, set *Set) error {
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, t := range set.Tiles {
		k := t.Key
		row := (uint64(1) << k.Z) - 1 - uint64(k.Y)
		if _, err := stmt.ExecContext(ctx, k.Z, k.X, row, set.Contents[t.Content]); err != nil {
			return fmt.Errorf("writing tile %s: %w", k, err)
		}
	}
	return nil
}
