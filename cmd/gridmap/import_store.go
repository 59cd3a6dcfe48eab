package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/store/bolt"
)

// repairsFile is where a store directory keeps the last import's repairs
// (GeoJSON), served at GET /v1/import/repairs.geojson.
const repairsFile = "import-repairs.geojson"

// checkNewStore refuses, before any work, a store directory that already
// holds a store. (A database is checked when the city is stored.)
func checkNewStore(_ context.Context, where string) error {
	if isPostgres(where) {
		return nil
	}
	if storeExists(where) {
		return fmt.Errorf("--store %s already holds a city: gridmap import builds a new store; choose a new directory or remove %s",
			where, filepath.Join(where, bolt.FileName))
	}
	return nil
}

// storeCity writes the imported city as the base of a new store. A
// directory store is built beside the target and moved into place only
// when complete, so a failure leaves the target as it was.
func storeCity(ctx context.Context, where string, res *importer.Result) error {
	if isPostgres(where) {
		return storePGCity(ctx, where, res)
	}
	if err := checkNewStore(ctx, where); err != nil {
		return err
	}
	abs, err := filepath.Abs(where)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return fmt.Errorf("creating the store: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".import-")
	if err != nil {
		return fmt.Errorf("creating the store: %w", err)
	}
	defer os.RemoveAll(tmp)
	st, err := bolt.OpenOptions(tmp, func() (*geo.City, error) { return res.City, nil }, bolt.Options{LockTimeout: storeLockWait})
	if err != nil {
		return fmt.Errorf("creating the store: %w", err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("creating the store: %w", err)
	}
	if res.Repairs != nil {
		if err := os.WriteFile(filepath.Join(tmp, repairsFile), res.Repairs, 0o644); err != nil {
			return fmt.Errorf("creating the store: %w", err)
		}
	}
	return moveStore(tmp, abs)
}

// moveStore moves the finished store in tmp to dir: a rename of the
// directory when dir does not exist, else of its files (the database
// last, so a store appears complete or not at all).
func moveStore(tmp, dir string) error {
	if err := os.Rename(tmp, dir); err == nil {
		return nil
	} else if _, serr := os.Stat(dir); serr != nil {
		return fmt.Errorf("moving the store into %s: %w", dir, err)
	}
	for _, name := range []string{repairsFile, bolt.FileName} {
		err := os.Rename(filepath.Join(tmp, name), filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("moving the store into %s: %w", dir, err)
		}
	}
	return nil
}

// storePGCity stores the city in a PostgreSQL database that holds none.
func storePGCity(ctx context.Context, dsn string, res *importer.Result) error {
	seeded := false
	st, err := openPGStore(ctx, dsn, func() (*geo.City, error) { seeded = true; return res.City, nil })
	if err != nil {
		return err
	}
	defer st.Close()
	if !seeded {
		return fmt.Errorf("--store %s already holds a city: gridmap import builds a new one; nothing was stored", storeName(dsn))
	}
	if res.Repairs != nil {
		return st.SetImportRepairs(ctx, res.Repairs)
	}
	return nil
}
