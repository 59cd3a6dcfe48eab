package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/walk/osmload"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/web"
	"github.com/spf13/cobra"
)

// serveFlags are the flags of gridmap serve.
type serveFlags struct {
	addr           string
	data           string
	scale          int
	seed           uint64
	logLevel       string
	accessLogEvery int
	tileCacheMB    int
	osm            string
	walkSpeedKMH   float64
	store          string
	readOpen       bool
	maxConns       int
	maxConnsPerIP  int
	trustedProxies []string
	debugAddr      string
	editBudget     time.Duration
	maxEditChecks  int
}

func newServeCmd(getenv func(string) string) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the city over HTTP from its store (created on the first run from the embedded city, or --data)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd, getenv, map[string]string{
				"addr": "GRIDMAP_ADDR", "data": "GRIDMAP_DATA", "scale": "GRIDMAP_SCALE", "seed": "GRIDMAP_SEED",
				"log-level": "GRIDMAP_LOG_LEVEL", "access-log-every": "GRIDMAP_ACCESS_LOG_EVERY",
				"tile-cache-mb": "GRIDMAP_TILE_CACHE_MB", "store": "GRIDMAP_STORE", "read-open": "GRIDMAP_READ_OPEN",
				"max-conns": "GRIDMAP_MAX_CONNS", "max-conns-per-ip": "GRIDMAP_MAX_CONNS_PER_IP",
				"trusted-proxy": "GRIDMAP_TRUSTED_PROXIES", "debug-addr": "GRIDMAP_DEBUG_ADDR",
				"edit-budget": "GRIDMAP_EDIT_BUDGET", "max-edit-validations": "GRIDMAP_MAX_EDIT_VALIDATIONS",
			}); err != nil {
				return err
			}
			level, err := parseLevel(f.logLevel)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			if f.store == "" {
				f.store = defaultStoreDir(getenv)
			}
			return serve(cmd.Context(), f, log)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", ":8080", "TCP address to listen on")
	fl.StringVar(&f.data, "data", "", "directory of a city's GeoJSON files (default: generate the fixture city)")
	fl.IntVar(&f.scale, "scale", 1, "cities' worth of fixture data to generate (without --data)")
	fl.Uint64Var(&f.seed, "seed", 1, "fixture generator seed (without --data)")
	fl.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.IntVar(&f.accessLogEvery, "access-log-every", 0, "log one request in every N (0: only failures)")
	fl.IntVar(&f.tileCacheMB, "tile-cache-mb", server.DefaultTileCacheBytes>>20, "MiB of rendered vector tiles to keep (0: no cache, every tile is rendered)")
	fl.StringVar(&f.osm, "osm", "", "OpenStreetMap extract (.osm or .osm.pbf) whose walkable ways form the walking network (default: the city's streets)")
	fl.Float64Var(&f.walkSpeedKMH, "walk-speed-kmh", walk.DefaultSpeedKMH, "walking speed for service circles other than the standard's 5/10/15 minutes")
	fl.StringVar(&f.store, "store", "", "the city's store, its data, every edit and the tokens: a directory (default: $XDG_STATE_HOME/gridmap or ~/.local/state/gridmap), "+
		"or a postgres:// URL of a PostgreSQL/PostGIS database that several instances share")
	fl.BoolVar(&f.readOpen, "read-open", true, "let anyone read; false requires a token (any role) for the API and tiles")
	fl.IntVar(&f.maxConns, "max-conns", 0, "most connections open at once; more are answered 503 (default: 10000, or the open-file limit less 128)")
	fl.StringSliceVar(&f.trustedProxies, "trusted-proxy", nil, "address or CIDR of a reverse proxy whose X-Forwarded-Host/-Proto are believed (repeatable; default none)")
	fl.IntVar(&f.maxConnsPerIP, "max-conns-per-ip", 0, "most connections open at once from one client address (default: half of --max-conns)")
	fl.StringVar(&f.debugAddr, "debug-addr", "", "also serve Go's profiles (/debug/pprof/) on this address, e.g. 127.0.0.1:6060 (default: none)")
	fl.DurationVar(&f.editBudget, "edit-budget", server.DefaultConfig().EditBudget, "longest one edit may take to validate; over it the request gets 503 and nothing changes")
	fl.IntVar(&f.maxEditChecks, "max-edit-validations", server.DefaultConfig().MaxEditValidations, "most edits (previews and commits) validated at once; more get 429")
	return cmd
}

// serve opens the store (creating it on the first run), listens, so that
// /healthz answers while the city is indexed, then publishes the store's
// latest version (making /readyz ready) and serves until ctx is
// cancelled. Without a store directory the city is served read-only from
// memory.
func serve(ctx context.Context, f serveFlags, log *slog.Logger) error {
	start := time.Now()
	cfg := server.Config{Addr: f.addr, AccessLogEvery: f.accessLogEvery, ReadRequiresToken: !f.readOpen,
		MaxConns: f.maxConns, MaxConnsPerIP: f.maxConnsPerIP, TrustedProxies: f.trustedProxies,
		EditBudget: f.editBudget, MaxEditValidations: f.maxEditChecks}
	if f.editBudget <= 0 || f.maxEditChecks <= 0 {
		return fmt.Errorf("--edit-budget %v and --max-edit-validations %d must both be positive", f.editBudget, f.maxEditChecks)
	}
	if cfg.MaxConns == 0 {
		cfg.MaxConns = connCap(raiseFileLimit(log), server.DefaultConfig().MaxConns)
	} else {
		raiseFileLimit(log)
	}
	switch {
	case f.tileCacheMB < 0:
		return fmt.Errorf("--tile-cache-mb %d: want 0 (no cache) or more", f.tileCacheMB)
	case f.tileCacheMB == 0:
		cfg.TileCacheBytes = -1
	default:
		cfg.TileCacheBytes = int64(f.tileCacheMB) << 20
	}
	if !web.HasVendor() {
		log.Warn("the web map lacks its vendored MapLibre files: run make web before building")
	}
	wcfg, err := walkConfig(ctx, f, log)
	if err != nil {
		return err
	}
	release := newMemoryReleaser(2*time.Second, 30*time.Second)
	opts := []server.Option{server.WithWebFS(web.FS()), server.WithWalk(wcfg), server.WithWarmed(release.warmed)}
	restoreGC := func() {}
	if f.store != "" && !isPostgres(f.store) && storeExists(f.store) {
		restoreGC = sync.OnceFunc(collectLessWhileLoading())
		defer restoreGC()
	}
	st, err := openServeStore(ctx, f, log)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
		opts = append(opts, server.WithStore(st), server.WithTokens(st))
	}
	mem := &memRepairs{}
	opts = append(opts, server.WithImportRepairs(importRepairsSource(st, f.store, mem)))
	srv, err := server.New(cfg, nil, log, opts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", f.addr, err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if _, err := serveDebug(runCtx, f.debugAddr, log); err != nil {
		ln.Close()
		return err
	}
	go release.run(runCtx)
	done := make(chan error, 1)
	go func() { done <- srv.RunListener(runCtx, ln) }()

	err = publish(ctx, srv, st, f, log, mem)
	restoreGC()
	if err != nil {
		stop()
		return errors.Join(err, <-done)
	}
	snap := srv.Snapshot()
	// Building the city leaves much garbage; hand it back to the OS now
	// rather than carrying it as resident memory.
	debug.FreeOSMemory()
	logReady(log, snap, f, ln.Addr(), time.Since(start))
	return <-done
}

// openServeStore opens the store f.store names (a directory, or a
// PostgreSQL database for a postgres:// URL), seeding a new one with the
// city of --data or the fixture city. It returns nil without a store.
func openServeStore(ctx context.Context, f serveFlags, log *slog.Logger) (cityStore, error) {
	if f.store == "" {
		if !f.readOpen {
			return nil, fmt.Errorf("--read-open=false needs a store for its tokens: pass --store")
		}
		log.Warn("no store directory (set --store, XDG_STATE_HOME or HOME): serving from memory, read-only")
		return nil, nil
	}
	if !isPostgres(f.store) && storeExists(f.store) && f.data != "" {
		log.Info("the store already holds a city; --data only seeds a new store", "store", f.store, "data", f.data)
	}
	var imported *importer.Result
	st, err := openCityStore(ctx, f.store, func() (c *geo.City, err error) {
		c, imported, err = loadCityImport(f)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	logImport(log, imported)
	if imported != nil {
		if err := saveRepairs(ctx, st, f.store, imported.Repairs); err != nil {
			st.Close()
			return nil, err
		}
	}
	return st, nil
}

// publish serves the store's latest version, or without a store the city
// loaded from --data or generated.
func publish(ctx context.Context, srv *server.Server, st cityStore, f serveFlags, log *slog.Logger, mem *memRepairs) error {
	if st != nil {
		return srv.Reload(ctx)
	}
	city, res, err := loadCityImport(f)
	if err != nil {
		return err
	}
	logImport(log, res)
	if res != nil {
		mem.p.Store(&res.Repairs)
	}
	snap, err := geo.NewSnapshot(city, 1)
	if err != nil {
		return fmt.Errorf("indexing the city: %w", err)
	}
	srv.Swap(snap)
	return nil
}

// loadCity reads --data or generates the fixture city.
func loadCity(f serveFlags) (*geo.City, error) {
	city, _, err := loadCityImport(f)
	return city, err
}

// loadCityImport reads --data through the import pipeline (so the
// repairs a hand-made or exported city needs are made and reported), or
// generates the fixture city (no import result then).
func loadCityImport(f serveFlags) (*geo.City, *importer.Result, error) {
	if f.data != "" {
		res, err := importCityDir(f.data)
		if err != nil {
			return nil, res, fmt.Errorf("loading city from %s: %w", f.data, err)
		}
		return res.City, res, nil
	}
	city, err := fixtures.Generate(fixtures.Options{Seed: f.seed, Scale: f.scale})
	if err != nil {
		return nil, nil, fmt.Errorf("generating the fixture city: %w", err)
	}
	return city, nil, nil
}

// loadSnapshot loads the city (loadCity) and indexes it as version 1.
func loadSnapshot(f serveFlags) (*geo.Snapshot, error) {
	city, err := loadCity(f)
	if err != nil {
		return nil, err
	}
	snap, err := geo.NewSnapshot(city, 1)
	if err != nil {
		return nil, fmt.Errorf("indexing the city: %w", err)
	}
	return snap, nil
}

func logReady(log *slog.Logger, snap *geo.Snapshot, f serveFlags, addr net.Addr, took time.Duration) {
	c := snap.City
	households := 0
	for _, b := range c.Buildings {
		households += b.Households
	}
	source := "fixtures"
	if f.data != "" {
		source = f.data
	}
	if f.store != "" {
		source = storeName(f.store)
	}
	log.Info("ready", "addr", addr.String(), "source", source, "startup_ms", took.Milliseconds(),
		"version", snap.Version, "units", len(c.Units), "grids", len(c.Grids), "buildings", len(c.Buildings),
		"households", households, "stations", len(c.Stations), "streets", len(c.Streets))
}

// walkConfig reads --osm and --walk-speed-kmh. An OpenStreetMap extract is
// trusted input (the operator's file), read once at start.
func walkConfig(ctx context.Context, f serveFlags, log *slog.Logger) (server.WalkConfig, error) {
	if !(f.walkSpeedKMH > 0 && f.walkSpeedKMH <= 20) {
		return server.WalkConfig{}, fmt.Errorf("--walk-speed-kmh %v: want a speed in (0, 20]", f.walkSpeedKMH)
	}
	c := server.WalkConfig{Options: walk.Options{SpeedKMH: f.walkSpeedKMH}}
	if f.osm == "" {
		return c, nil
	}
	ways, stats, err := osmload.Load(ctx, f.osm)
	if err != nil {
		return c, fmt.Errorf("--osm %s: %w", f.osm, err)
	}
	if len(ways) == 0 {
		return c, fmt.Errorf("--osm %s: no walkable way", f.osm)
	}
	log.Info("walking network from OpenStreetMap", "file", f.osm, "ways", len(ways), "stats", fmt.Sprintf("%+v", stats))
	c.Ways = ways
	return c, nil
}
