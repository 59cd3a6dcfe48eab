package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/table"
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
