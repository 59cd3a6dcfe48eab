package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/store/pg"
	"github.com/gridmap/gridmap/server"
)

// importCityDir reads a directory in the loader's format through the
// import pipeline: the layers as they are, repaired, validated.
func importCityDir(dir string) (*importer.Result, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reading city: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("reading city: %s is not a directory", dir)
	}
	in, prov, err := importer.CityDirInputs(dir)
	if err != nil {
		return nil, err
	}
	_, divs, err := knownDivisions()
	if err != nil {
		return nil, err
	}
	return importer.Run(context.Background(), importer.Options{Inputs: in, Divisions: divs, Province: prov})
}

// logImport logs what an import of --data repaired and left out.
func logImport(log *slog.Logger, res *importer.Result) {
	if res == nil || log == nil {
		return
	}
	rep := res.Report
	if len(rep.Repairs) > 0 {
		log.Warn("the city's data needed repairs (gridmap import --report DIR lists each)", "repairs", len(rep.Repairs),
			"by_kind", fmt.Sprint(rep.RepairCounts))
		for _, r := range rep.Largest(5) {
			log.Info("repair", "kind", r.Kind, "grids", r.Grids, "lon", r.Where[0], "lat", r.Where[1], "area_m2", r.AreaM2, "moved_m", r.MovedM)
		}
	}
	if n := len(rep.Skipped) + len(rep.Unparsed) + len(rep.Warnings); n > 0 {
		log.Warn("import notes", "skipped", len(rep.Skipped), "unparsed_addresses", len(rep.Unparsed), "warnings", len(rep.Warnings))
	}
}

// saveRepairs keeps the last import's repairs in the store: a file in a
// store directory, a row in a PostgreSQL store.
func saveRepairs(ctx context.Context, st cityStore, where string, geojson []byte) error {
	if geojson == nil {
		return nil
	}
	if ps, ok := st.(*pg.Store); ok {
		return ps.SetImportRepairs(ctx, geojson)
	}
	tmp := filepath.Join(where, repairsFile+".tmp")
	if err := os.WriteFile(tmp, geojson, 0o644); err != nil {
		return fmt.Errorf("saving the import's repairs: %w", err)
	}
	return os.Rename(tmp, filepath.Join(where, repairsFile))
}

// memRepairs holds the repairs of a city served from memory.
type memRepairs struct{ p atomic.Pointer[[]byte] }

// importRepairsSource reads the last import's repairs from the store (or
// from memory without one) for GET /v1/import/repairs.geojson.
func importRepairsSource(st cityStore, where string, mem *memRepairs) server.ImportRepairs {
	return func(ctx context.Context) ([]byte, error) {
		switch v := st.(type) {
		case nil:
			if b := mem.p.Load(); b != nil {
				return *b, nil
			}
			return nil, nil
		case *pg.Store:
			return v.ImportRepairs(ctx)
		}
		b, err := os.ReadFile(filepath.Join(where, repairsFile))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return b, err
	}
}
