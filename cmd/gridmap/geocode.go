package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// geocodeFlags are the flags of gridmap geocode.
type geocodeFlags struct {
	in, out string
	format  string
	column  string
	crs     string
	workers int
	quiet   bool
	city    serveFlags // data, scale and seed select the city
}

func newGeocodeCmd(getenv func(string) string) *cobra.Command {
	var f geocodeFlags
	cmd := &cobra.Command{
		Use:   "geocode --in FILE --out FILE",
		Short: "Geocode a CSV or NDJSON file of addresses offline, writing the columns of POST /v1/geocode",
		Long: `Geocode reads a CSV file with a header row and an address column (or
NDJSON, one {"address": ...} object or string per line), matches every
address to a building and grid of the city, and writes each row back with
the columns building, grid, community, subdistrict, district, lon, lat,
confidence, standard_address, reason and error, in input order. It needs
no server, uses every core, and its memory stays bounded whatever the
size of the file. "-" reads stdin or writes stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd, getenv, map[string]string{
				"data": "GRIDMAP_DATA", "scale": "GRIDMAP_SCALE", "seed": "GRIDMAP_SEED",
			}); err != nil {
				return err
			}
			return runGeocode(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.in, "in", "", "input file of addresses, or - for stdin (required)")
	fl.StringVar(&f.out, "out", "", "output file, or - for stdout (required)")
	fl.StringVar(&f.format, "format", "", "csv or ndjson (default: from the input's extension)")
	fl.StringVar(&f.column, "column", "", "CSV column or NDJSON member holding the address (default: address, addr or 地址)")
	fl.StringVar(&f.crs, "crs", "wgs84", "coordinate system of the lon and lat written: wgs84, cgcs2000, gcj02 or bd09")
	fl.IntVar(&f.workers, "workers", 0, "goroutines geocoding (0: one per core)")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress bar or summary, even on a terminal")
	fl.StringVar(&f.city.data, "data", "", "directory of a city's GeoJSON files (default: generate the fixture city)")
	fl.IntVar(&f.city.scale, "scale", 1, "cities' worth of fixture data to generate (without --data)")
	fl.Uint64Var(&f.city.seed, "seed", 1, "fixture generator seed (without --data)")
	_ = cmd.MarkFlagRequired("in")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// geocodeFormat returns the stream format: --format, or the input's
// extension (.csv, .ndjson, .jsonl), or the output's for stdin.
func geocodeFormat(f geocodeFlags) (string, error) {
	if f.format != "" {
		switch f.format {
		case "csv", "ndjson":
			return f.format, nil
		}
		return "", fmt.Errorf("--format %q: want csv or ndjson", f.format)
	}
	for _, name := range []string{f.in, f.out} {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".csv":
			return "csv", nil
		case ".ndjson", ".jsonl":
			return "ndjson", nil
		}
	}
	return "", fmt.Errorf("cannot tell the format of %q from its extension; give --format csv or ndjson", f.in)
}

// runGeocode geocodes f.in into f.out. The output is written to a
// temporary file renamed into place at the end, so a failed run leaves no
// half-written file.
func runGeocode(ctx context.Context, f geocodeFlags, stdout, stderr io.Writer) error {
	format, err := geocodeFormat(f)
	if err != nil {
		return err
	}
	cr, err := crs.Parse(f.crs)
	if err != nil {
		return fmt.Errorf("--crs: %w", err)
	}
	in, size, err := openInput(f.in)
	if err != nil {
		return err
	}
	defer in.Close()
	start := time.Now()
	snap, err := loadSnapshot(f.city)
	if err != nil {
		return err
	}
	idx := address.NewIndex(snap)
	out, commit, err := createOutput(f.out, stdout)
	if err != nil {
		return err
	}
	defer commit(false)
	show := !f.quiet && isTerminal(stderr)
	bar := newProgress(stderr, size, show)
	w := bufio.NewWriterSize(out, 1<<16)
	loaded := time.Since(start)
	start = time.Now()
	rows, err := bulk.GeocodeStream(ctx, snap, idx, io.TeeReader(in, bar), w,
		bulk.GeocodeOptions{Format: format, Column: f.column, CRS: cr, Workers: f.workers})
	_ = bar.Finish()
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = commit(true)
	}
	if err != nil {
		return fmt.Errorf("geocoding %s: %w", f.in, err)
	}
	if show {
		took := time.Since(start)
		fmt.Fprintf(stderr, "\nloaded the city in %s; geocoded %d rows in %s (%.0f rows/s) into %s\n",
			loaded.Round(time.Millisecond), rows, took.Round(time.Millisecond), float64(rows)/took.Seconds(), f.out)
	}
	return nil
}

// openInput opens name, or stdin for "-", and returns its size in bytes
// (-1 when unknown).
func openInput(name string) (io.ReadCloser, int64, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), -1, nil
	}
	fh, err := os.Open(name)
	if err != nil {
		return nil, 0, fmt.Errorf("opening the input: %w", err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, fmt.Errorf("opening the input: %w", err)
	}
	return fh, st.Size(), nil
}

// createOutput opens a temporary file beside name (or stdout for "-").
// commit(true) closes it and renames it to name; commit(false) removes
// it, and does nothing after a commit.
func createOutput(name string, stdout io.Writer) (io.Writer, func(bool) error, error) {
	if name == "-" {
		return stdout, func(bool) error { return nil }, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, nil, fmt.Errorf("creating the output: %w", err)
	}
	done := false
	commit := func(ok bool) error {
		if done {
			return nil
		}
		done = true
		if !ok {
			tmp.Close()
			return os.Remove(tmp.Name())
		}
		err := tmp.Close()
		if err == nil {
			err = os.Rename(tmp.Name(), name)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", name, err)
		}
		return nil
	}
	return tmp, commit, nil
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	fh, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := fh.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newProgress returns a progress bar over size bytes of input drawn on w,
// or an invisible one when show is false.
func newProgress(w io.Writer, size int64, show bool) *progressbar.ProgressBar {
	if !show {
		return progressbar.NewOptions64(size, progressbar.OptionSetVisibility(false), progressbar.OptionSetWriter(io.Discard))
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("geocoding"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetPredictTime(true),
	)
}
