package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/tiles/archive"
	"github.com/spf13/cobra"
)

// exportFlags are the flags of gridmap export tiles.
type exportFlags struct {
	serve            serveFlags
	format, out      string
	bbox             string
	minZoom, maxZoom uint32
	version          int64
}

// newExportCmd builds "gridmap export", whose one command writes tile
// archives.
func newExportCmd(getenv func(string) string) *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Export the city's data offline (tile archives)"}
	cmd.AddCommand(newExportTilesCmd(getenv))
	return cmd
}

// newExportTilesCmd builds "gridmap export tiles".
func newExportTilesCmd(getenv func(string) string) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "tiles --format pmtiles|mbtiles --out FILE",
		Short: "Write the vector tiles the server serves, of the current or a past version, as a PMTiles or MBTiles archive",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd, getenv, map[string]string{"store": "GRIDMAP_STORE", "data": "GRIDMAP_DATA"}); err != nil {
				return err
			}
			if f.serve.store == "" {
				f.serve.store = defaultStoreDir(getenv)
			}
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
			return exportTiles(cmd.Context(), f, cmd.OutOrStdout(), log)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "pmtiles", "archive format: pmtiles or mbtiles")
	fl.StringVar(&f.out, "out", "", "the archive file to write (replaced if it exists)")
	fl.Uint32Var(&f.minZoom, "minzoom", 0, "lowest zoom")
	fl.Uint32Var(&f.maxZoom, "maxzoom", tiles.DefaultMaxDataZoom, "highest zoom")
	fl.StringVar(&f.bbox, "bbox", "", "west,south,east,north in degrees (default: the whole city)")
	fl.Int64Var(&f.version, "version", -1, "the version to export (default: the latest)")
	fl.StringVar(&f.serve.store, "store", "", "the city's store, as for serve (a directory, or a postgres:// URL)")
	fl.StringVar(&f.serve.data, "data", "", "directory of a city's GeoJSON files, seeding a new store (default: the fixture city)")
	fl.StringVar(&f.serve.osm, "osm", "", "OpenStreetMap extract for the walking network, as for serve (the tiles' coverage properties)")
	fl.Float64Var(&f.serve.walkSpeedKMH, "walk-speed-kmh", walk.DefaultSpeedKMH, "walking speed, as for serve")
	f.serve.seed, f.serve.scale = 1, 1
	return cmd
}

// exportTiles renders the archive with a server over the store (so the
// tiles are those the server serves) and writes it.
func exportTiles(ctx context.Context, f exportFlags, stdout io.Writer, log *slog.Logger) error {
	req, err := f.request()
	if err != nil {
		return err
	}
	if f.serve.store == "" {
		return fmt.Errorf("no store: pass --store DIR or --store postgres://... (or set XDG_STATE_HOME or HOME)")
	}
	wcfg, err := walkConfig(ctx, f.serve, log)
	if err != nil {
		return err
	}
	st, err := openCityStore(ctx, f.serve.store, func() (*geo.City, error) { return loadCity(f.serve) })
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := server.New(server.Config{}, nil, log, server.WithStore(st), server.WithWalk(wcfg))
	if err != nil {
		return err
	}
	if err := srv.Reload(ctx); err != nil {
		return err
	}
	if !req.AtVersion {
		req.Version, req.AtVersion = srv.Snapshot().Version, true
	}
	start := time.Now()
	set, md, err := srv.TileSet(ctx, req)
	if err != nil {
		return fmt.Errorf("exporting tiles: %w", err)
	}
	if err := writeArchive(ctx, f.format, f.out, set, md); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: version %d, zooms %d-%d, %d tiles (%d distinct, %.1f MiB) in %.1fs\n",
		f.out, req.Version, req.MinZoom, req.MaxZoom, len(set.Tiles), len(set.Contents), float64(set.Bytes())/(1<<20), time.Since(start).Seconds())
	return err
}

// request checks the flags and turns them into a TileArchiveRequest.
func (f exportFlags) request() (server.TileArchiveRequest, error) {
	req := server.TileArchiveRequest{MinZoom: f.minZoom, MaxZoom: f.maxZoom}
	switch {
	case f.format != "pmtiles" && f.format != "mbtiles":
		return req, fmt.Errorf("--format %q: want pmtiles or mbtiles", f.format)
	case f.out == "":
		return req, errors.New("--out: name the archive file to write")
	case f.maxZoom > tiles.MaxZoom:
		return req, fmt.Errorf("--maxzoom %d: want at most %d", f.maxZoom, tiles.MaxZoom)
	case f.minZoom > f.maxZoom:
		return req, fmt.Errorf("--minzoom %d is above --maxzoom %d", f.minZoom, f.maxZoom)
	case f.version < -1:
		return req, fmt.Errorf("--version %d: want a version number", f.version)
	}
	if f.version >= 0 {
		req.Version, req.AtVersion = uint64(f.version), true
	}
	if f.bbox != "" {
		b, err := archive.ParseBound(f.bbox)
		if err != nil {
			return req, fmt.Errorf("--bbox: %w", err)
		}
		req.Bound = b
	}
	return req, nil
}

// writeArchive writes set in format to path. A PMTiles archive is built
// in memory and written whole, so a failure leaves no partial file.
func writeArchive(ctx context.Context, format, path string, set *archive.Set, md archive.Metadata) error {
	if format == "mbtiles" {
		return archive.WriteMBTiles(ctx, path, set, md)
	}
	var buf bytes.Buffer
	if _, err := archive.WritePMTiles(&buf, set, md); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
