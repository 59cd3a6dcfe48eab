package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/table"
	"github.com/gridmap/gridmap/geo/store"
)

// readStaffInput reads the --staff table (CSV, TSV or .xlsx; GBK
// detected) without geometry. PATH#sheet names an .xlsx sheet.
func readStaffInput(arg string) (*ingest.Layer, error) {
	path, sheet, _ := strings.Cut(arg, "#")
	switch fileExt(path) {
	case ".csv", ".tsv", ".txt", ".xlsx":
	default:
		return nil, fmt.Errorf("--staff %s: unknown file type %q (want .csv, .tsv, .txt or .xlsx)", path, fileExt(path))
	}
	l, _, err := table.Read(path, table.Options{NoGeometry: true, Sheet: sheet})
	if err != nil {
		return nil, fmt.Errorf("--staff: %w", err)
	}
	return l, nil
}

// staffSummary says how many staff rows matched grids.
func staffSummary(w io.Writer, rep *importer.Report) {
	s := rep.Staff
	if s == nil {
		return
	}
	fmt.Fprintf(w, "staff: %d of %d rows matched grids (%d grids have staff; %d rows name no grid)\n", s.Matched, s.Rows, s.Grids, len(s.Unmatched))
}

// staffAuthor is the author of the changesets a staff-only import makes.
const staffAuthor = "gridmap import --staff"

// runStaffImport is import --staff without --grids: the staff table is
// matched against the grids of the existing store and each grid whose
// staff it changes gets a staff changeset, like one made over the API
// (listed in the history, revertible). --dry-run only reports.
func runStaffImport(ctx context.Context, f importFlags, stdout io.Writer) error {
	if f.store == "" {
		return errors.New("--store DIR|postgres://... is required: the store whose grids get the staff (or --grids to import a city)")
	}
	l, err := readStaffInput(f.staff)
	if err != nil {
		return err
	}
	var m *importer.Mapping
	if f.mapping != "" {
		data, err := os.ReadFile(f.mapping)
		if err != nil {
			return fmt.Errorf("--mapping: %w", err)
		}
		if m, err = importer.ParseMapping(data); err != nil {
			return fmt.Errorf("--mapping %s: %w", f.mapping, err)
		}
	}
	st, err := openCityStore(ctx, f.store, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	state, err := st.Load(ctx)
	if err != nil {
		return err
	}
	ops, rep, err := importer.StaffEdits(state.City, l, m)
	staffSummary(stdout, &importer.Report{Staff: rep})
	if err != nil {
		return err
	}
	if f.dryRun {
		_, err := fmt.Fprintf(stdout, "dry run: the staff of %d grids would change; nothing stored\n", len(ops))
		return err
	}
	n, err := commitStaff(ctx, st, state, ops)
	if err != nil {
		return fmt.Errorf("%w (%d of %d grids' staff committed before)", err, n, len(ops))
	}
	_, err = fmt.Fprintf(stdout, "committed the staff of %d grids as %d changesets to %s\n", n, n, storeName(f.store))
	return err
}

// commitStaff appends one staff changeset per op, each on the version
// the previous made, and returns how many it committed. The ops touch
// different grids, so each is computed on the loaded state.
func commitStaff(ctx context.Context, st store.Store, state *store.State, ops []edit.Op) (int, error) {
	snap, err := geo.NewSnapshot(state.City, state.Version)
	if err != nil {
		return 0, err
	}
	base := state.Version
	for i, op := range ops {
		res, err := edit.Apply(snap, op, edit.Options{History: state.History})
		if err != nil {
			return i, fmt.Errorf("staff of grid %s: %w", op.Grid, err)
		}
		if !res.Valid {
			return i, fmt.Errorf("staff of grid %s: %v", op.Grid, res.Errors)
		}
		cs, err := store.NewChangeset(base, staffAuthor, op.Reason, op, res)
		if err != nil {
			return i, err
		}
		if err := st.Append(ctx, cs); err != nil {
			return i, fmt.Errorf("committing the staff of grid %s: %w", op.Grid, err)
		}
		base = cs.Version
	}
	return len(ops), nil
}
