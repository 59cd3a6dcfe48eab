package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// importRepairsTable keeps the repairs of the import that built the city
// (one row, a GeoJSON document), created when first written.
const importRepairsTable = `CREATE TABLE IF NOT EXISTS import_repairs (
	id      int PRIMARY KEY CHECK (id = 1),
	time    timestamptz NOT NULL DEFAULT now(),
	geojson bytea NOT NULL
)`

// SetImportRepairs keeps geojson as the repairs of the import that built
// the city, replacing earlier ones.
func (s *Store) SetImportRepairs(ctx context.Context, geojson []byte) error {
	if _, err := s.pool.Exec(ctx, importRepairsTable); err != nil {
		return fmt.Errorf("pg store: creating import_repairs: %w", err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO import_repairs (id, geojson) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET geojson = EXCLUDED.geojson, time = now()`, geojson)
	if err != nil {
		return fmt.Errorf("pg store: storing the import's repairs: %w", err)
	}
	return nil
}

// ImportRepairs returns the repairs SetImportRepairs kept, or nil.
func (s *Store) ImportRepairs(ctx context.Context) ([]byte, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('import_repairs') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("pg store: reading the import's repairs: %w", err)
	}
	if !exists {
		return nil, nil
	}
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT geojson FROM import_repairs WHERE id = 1`).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pg store: reading the import's repairs: %w", err)
	}
	return b, nil
}
