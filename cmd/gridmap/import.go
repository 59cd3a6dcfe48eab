package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gridmap/gridmap/geo/importer"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// importFlags are the flags of gridmap import.
type importFlags struct {
	store   string
	paths   map[importer.Role]*string
	crsOf   map[importer.Role]*string
	layerOf map[importer.Role]*string
	mapping string
	staff   string
	crs     string
	dryRun  bool
	report  string
	quiet   bool
	tol     importer.Tolerances
}

func newImportCmd(getenv func(string) string) *cobra.Command {
	f := importFlags{paths: map[importer.Role]*string{}, crsOf: map[importer.Role]*string{}, layerOf: map[importer.Role]*string{}}
	cmd := &cobra.Command{
		Use:   "import --store DIR|postgres://... --grids PATH [--units PATH] [--buildings PATH] [--streets PATH] [--stations PATH] [--staff PATH]",
		Short: "Build a city into a new store from a city's own data (Shapefile, GeoPackage, GeoJSON, CSV/Excel, OpenStreetMap), repairing its topology",
		Long: `Import reads the grids (and optionally the community units, buildings or
the address table, streets and stations), recognises their columns (or
takes them from --mapping), converts coordinates to WGS-84 from the system
each file declares (else --<layer>-crs, else --crs), finds each grid's
community, gives uncoded grids codes in the standard order, repairs the
grids into a partition of each community, places buildings in grids,
validates the city and stores it: a store that gridmap serve --store then
serves. --report DIR writes report.md, report.json and repairs.geojson.
Any fault refuses the whole import and leaves the store untouched;
--dry-run writes only the report. --staff PATH adds the grids' staff
(网格长, 网格员) from a table; given without --grids it updates the grids
of the existing --store instead, one staff changeset per grid changed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd, getenv, map[string]string{"store": "GRIDMAP_STORE"}); err != nil {
				return err
			}
			return runImport(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.store, "store", "", "the new store: a directory (must not hold a store yet) or a postgres:// URL of a database without a city")
	for _, r := range importer.Roles {
		f.paths[r], f.crsOf[r], f.layerOf[r] = new(string), new(string), new(string)
		fl.StringVar(f.paths[r], string(r), "", fmt.Sprintf("the %s file (PATH or PATH#layer for a GeoPackage)", r))
		fl.StringVar(f.crsOf[r], string(r)+"-crs", "", fmt.Sprintf("coordinate system of the %s file when it declares none (epsg:4544, cgcs2000, gcj02, ...)", r))
		fl.StringVar(f.layerOf[r], string(r)+"-layer", "", fmt.Sprintf("the GeoPackage layer of the %s file", r))
	}
	fl.StringVar(&f.mapping, "mapping", "", "JSON file naming the column of each attribute, e.g. {\"grids\":{\"code\":\"WGBM\"}}")
	fl.StringVar(&f.crs, "crs", "", "coordinate system of every file that declares none and has no --<layer>-crs")
	fl.StringVar(&f.staff, "staff", "", "grid staff table (CSV/TSV/.xlsx): 网格编码 or 网格名称, 姓名, 职务 (网格长/网格员), 类型 (专职/兼职), 电话; without --grids it updates the existing --store, one changeset per grid")
	fl.BoolVar(&f.dryRun, "dry-run", false, "read, repair and validate, write the report, store nothing")
	fl.StringVar(&f.report, "report", "", "directory to write report.md, report.json and repairs.geojson to")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress bars")
	d := importer.DefaultTolerances
	fl.Float64Var(&f.tol.SnapM, "snap-m", d.SnapM, "snap vertices closer than this many metres")
	fl.Float64Var(&f.tol.GapM2, "gap-m2", d.GapM2, "fill gaps between grids up to this many m²")
	fl.Float64Var(&f.tol.SliverM2, "sliver-m2", d.SliverM2, "give detached pieces of a grid smaller than this many m² to a neighbour")
	fl.Float64Var(&f.tol.SliverWidthM, "sliver-width-m", d.SliverWidthM, "give detached pieces thinner than this many metres to a neighbour")
	fl.Float64Var(&f.tol.MaxOutside, "max-outside", d.MaxOutside, "largest share of a grid's area outside its community that is cut off (more is a fault)")
	return cmd
}

// runImport reads the inputs, runs the pipeline, writes the report and,
// unless --dry-run, the store.
func runImport(ctx context.Context, f importFlags, stdout, stderr io.Writer) error {
	if *f.paths[importer.RoleGrids] == "" && f.staff != "" {
		return runStaffImport(ctx, f, stdout)
	}
	if f.store == "" && !f.dryRun {
		return errors.New("--store DIR|postgres://... is required (or --dry-run)")
	}
	if *f.paths[importer.RoleGrids] == "" {
		return errors.New("--grids PATH is required")
	}
	if f.store != "" && !f.dryRun {
		if err := checkNewStore(ctx, f.store); err != nil {
			return err
		}
	}
	opts, err := importOptions(ctx, f, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	res, runErr := importer.Run(ctx, opts)
	if res != nil {
		logChoices(stderr, res.Report)
		if f.report != "" {
			if err := writeReport(f.report, res); err != nil {
				return errors.Join(runErr, err)
			}
		}
	}
	if runErr != nil {
		return runErr
	}
	summary(stdout, res.Report, time.Since(start))
	if f.dryRun {
		_, err := fmt.Fprintln(stdout, "dry run: nothing stored")
		return err
	}
	if err := storeCity(ctx, f.store, res); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "stored in %s: gridmap serve --store %s\n", storeName(f.store), storeName(f.store))
	return err
}

// importOptions reads every input file and the mapping.
func importOptions(ctx context.Context, f importFlags, stderr io.Writer) (importer.Options, error) {
	prov, divs, err := knownDivisions()
	if err != nil {
		return importer.Options{}, err
	}
	opts := importer.Options{Inputs: map[importer.Role]importer.Input{}, CRS: f.crs, Divisions: divs, Province: prov, Repair: f.tol}
	if f.mapping != "" {
		data, err := os.ReadFile(f.mapping)
		if err != nil {
			return opts, fmt.Errorf("--mapping: %w", err)
		}
		if opts.Mapping, err = importer.ParseMapping(data); err != nil {
			return opts, fmt.Errorf("--mapping %s: %w", f.mapping, err)
		}
	}
	osm := osmCache{}
	for _, r := range importer.Roles {
		path := *f.paths[r]
		if path == "" {
			continue
		}
		layer := *f.layerOf[r]
		if layer == "" {
			layer = opts.Mapping.Layer(r)
		}
		bar := newStepBar(stderr, f.quiet, "reading "+filepath.Base(path), -1)
		_ = bar.RenderBlank()
		l, note, err := readInput(ctx, osm, path, layer, r, opts.Mapping)
		_ = bar.Finish()
		if err != nil {
			return opts, err
		}
		opts.Inputs[r] = importer.Input{Layer: l, CRS: *f.crsOf[r], Note: note}
	}
	if f.staff != "" {
		if opts.Staff, err = readStaffInput(f.staff); err != nil {
			return opts, err
		}
	}
	opts.Progress = progressFunc(stderr, f.quiet)
	return opts, nil
}

// progressFunc shows one progress bar per step of the pipeline.
func progressFunc(w io.Writer, quiet bool) func(step string, done, total int) {
	var bar *progressbar.ProgressBar
	var cur string
	return func(step string, done, total int) {
		if step != cur {
			if bar != nil {
				_ = bar.Finish()
			}
			cur = step
			bar = newStepBar(w, quiet, step, int64(max(total, 1)))
		}
		_ = bar.Set(done)
		if done >= total && total > 0 {
			_ = bar.Finish()
		}
	}
}

// newStepBar returns a progress bar on w (invisible when quiet); size -1
// is a spinner.
func newStepBar(w io.Writer, quiet bool, desc string, size int64) *progressbar.ProgressBar {
	if quiet {
		return progressbar.NewOptions64(size, progressbar.OptionSetVisibility(false), progressbar.OptionSetWriter(io.Discard))
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}

// logChoices says on stderr which columns and coordinate systems the
// import chose, and its warnings.
func logChoices(w io.Writer, rep *importer.Report) {
	for _, in := range rep.Inputs {
		fmt.Fprintf(w, "%s: %s (layer %s, %d features, text %s, coordinates %s)\n", in.Role, in.Source, in.Layer, in.Features, in.Encoding, in.CRS)
		if in.Note != "" {
			fmt.Fprintf(w, "  %s\n", in.Note)
		}
		for _, c := range in.Columns {
			fmt.Fprintf(w, "  %s <- column %s (%s)\n", c.Attribute, c.Field, c.By)
		}
	}
	for i, s := range rep.Warnings {
		if i == 20 {
			fmt.Fprintf(w, "warning: and %d more (see the report)\n", len(rep.Warnings)-20)
			break
		}
		fmt.Fprintln(w, "warning:", s)
	}
}

// summary prints what was built and repaired.
func summary(w io.Writer, rep *importer.Report, took time.Duration) {
	c := rep.Counts
	fmt.Fprintf(w, "imported %d units, %d grids (%d new codes), %d buildings (%d households; unknown for %d), %d stations, %d streets in %v\n",
		c.Units, c.Grids, rep.NewCodes, c.Buildings, c.Households, c.HouseholdsUnknown, c.Stations, c.Streets, took.Round(time.Millisecond))
	fmt.Fprintf(w, "%d repairs, %d unparsed addresses, %d features skipped\n", len(rep.Repairs), len(rep.Unparsed), len(rep.Skipped))
	staffSummary(w, rep)
}

// writeReport writes report.md, report.json and repairs.geojson to dir.
func writeReport(dir string, res *importer.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	write := func(name string, fn func(io.Writer) error) error {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("--report: %w", err)
		}
		if err := fn(fh); err != nil {
			fh.Close()
			return fmt.Errorf("--report: writing %s: %w", name, err)
		}
		return fh.Close()
	}
	geojson := res.Repairs
	if geojson == nil {
		geojson = []byte(`{"type":"FeatureCollection","features":[]}` + "\n")
	}
	return errors.Join(write("report.md", res.Report.WriteMarkdown), write("report.json", res.Report.WriteJSON),
		write("repairs.geojson", func(w io.Writer) error { _, err := w.Write(geojson); return err }))
}
