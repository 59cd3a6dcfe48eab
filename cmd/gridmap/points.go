package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/spf13/cobra"
)

// pointsFlags are the flags of gridmap points.
type pointsFlags struct {
	n      int
	format string
	crs    string
	seed   uint64
	scale  int
}

func newPointsCmd() *cobra.Command {
	var f pointsFlags
	cmd := &cobra.Command{
		Use:   "points [--n N] [--format csv|ndjson] [--crs CRS]",
		Short: "Write random points near the fixture city's buildings, as input for the bulk lookup",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writePoints(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.n, "n", 1_000_000, "number of points")
	fl.StringVar(&f.format, "format", "csv", "csv (id,lon,lat) or ndjson")
	fl.StringVar(&f.crs, "crs", "wgs84", "coordinate system to write: wgs84, cgcs2000, gcj02 or bd09")
	fl.Uint64Var(&f.seed, "seed", 1, "fixture city seed; also seeds the points")
	fl.IntVar(&f.scale, "scale", 1, "fixture city scale")
	return cmd
}

// writePoints writes f.n points, each within about 5 m of a random
// building entrance, to the command's output.
func writePoints(cmd *cobra.Command, f pointsFlags) error {
	if f.n < 0 {
		return fmt.Errorf("--n %d is negative", f.n)
	}
	if f.format != "csv" && f.format != "ndjson" {
		return fmt.Errorf("--format %q: want csv or ndjson", f.format)
	}
	c, err := crs.Parse(f.crs)
	if err != nil {
		return err
	}
	city, err := fixtures.Generate(fixtures.Options{Seed: f.seed, Scale: f.scale})
	if err != nil {
		return fmt.Errorf("generating the fixture city: %w", err)
	}
	if len(city.Buildings) == 0 {
		return fmt.Errorf("the fixture city has no buildings")
	}
	rng := rand.New(rand.NewPCG(f.seed, 0x9e3779b97f4a7c15))
	w := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<16)
	if f.format == "csv" {
		w.WriteString("id,lon,lat\n")
	}
	var b []byte
	for i := range f.n {
		p := city.Buildings[rng.IntN(len(city.Buildings))].Point
		p[0] += (rng.Float64() - 0.5) * 1e-4
		p[1] += (rng.Float64() - 0.5) * 1e-4
		p = crs.FromWGS84(c, p)
		b = b[:0]
		if f.format == "csv" {
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ',')
			b = wire.Lattice.AppendCoord(b, p[0])
			b = append(b, ',')
			b = wire.Lattice.AppendCoord(b, p[1])
		} else {
			b = append(b, `{"id":`...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, `,"lon":`...)
			b = wire.Lattice.AppendCoord(b, p[0])
			b = append(b, `,"lat":`...)
			b = wire.Lattice.AppendCoord(b, p[1])
			b = append(b, '}')
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return w.Flush()
}
