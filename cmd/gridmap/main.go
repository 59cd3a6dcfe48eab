// Command gridmap serves a city's governance grids over HTTP and writes the
// synthetic fixture city.
//
//	gridmap serve [--addr :8080] [--store DIR|postgres://...] [--read-open=false] [--data DIR] [--scale N] [--seed S] [--osm FILE]
//	gridmap tokens create --name NAME --role viewer|planner|admin [--scope CODE]... [--store DIR|postgres://...]
//	gridmap tokens list|revoke NAME|ID [--store DIR|postgres://...]
//	gridmap fixtures --out DIR [--seed S] [--scale N]
//	gridmap points [--n N] [--format csv|ndjson] [--crs CRS] > points.csv
//	gridmap import --store DIR|postgres://... --grids PATH [--units PATH] [--buildings PATH] [--streets PATH] [--stations PATH] [--crs CRS] [--report DIR] [--dry-run]
//	gridmap geocode --in FILE --out FILE [--format csv|ndjson] [--column address] [--data DIR]
//	gridmap export tiles --format pmtiles|mbtiles --out FILE [--minzoom Z] [--maxzoom Z] [--bbox W,S,E,N] [--version N] [--store DIR|postgres://...]
//	gridmap version
//
// serve keeps the city and every edit in a store directory ($XDG_STATE_HOME/
// gridmap or ~/.local/state/gridmap unless --store is given), created on
// the first run from --data or the generated city; later runs load the
// store's latest version. The tokens commands open the same store; a
// directory store is held by one process at a time, so stop the server
// first (or use the admin routes /v1/tokens while it runs). A postgres://
// store is shared: several servers follow it and the tokens commands run
// beside them.
//
// Flags can also be set through the environment: GRIDMAP_ADDR,
// GRIDMAP_DATA, GRIDMAP_SCALE, GRIDMAP_SEED, GRIDMAP_LOG_LEVEL,
// GRIDMAP_ACCESS_LOG_EVERY, GRIDMAP_STORE and GRIDMAP_READ_OPEN. A flag
// given on the command line wins.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd(os.Stdout, os.Stderr, os.Getenv).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gridmap:", err)
		os.Exit(1)
	}
}

// newRootCmd builds the command tree. Output goes to stdout and stderr;
// getenv supplies the environment defaults.
func newRootCmd(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	root := &cobra.Command{
		Use:           "gridmap",
		Short:         "Serve a city's governance grids and answer which grid a point is in",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newServeCmd(getenv), newFixturesCmd(getenv), newPointsCmd(), newVersionCmd())
	root.AddCommand(newGeocodeCmd(getenv), newTokensCmd(getenv), newImportCmd(getenv), newExportCmd(getenv))
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "gridmap", version)
			return err
		},
	}
}
