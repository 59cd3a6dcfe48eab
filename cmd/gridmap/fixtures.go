package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/spf13/cobra"
)

func newFixturesCmd(getenv func(string) string) *cobra.Command {
	var out string
	var seed uint64
	var scale int
	cmd := &cobra.Command{
		Use:   "fixtures --out DIR",
		Short: "Write the synthetic fixture city as GeoJSON files that serve --data reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd, getenv, map[string]string{"seed": "GRIDMAP_SEED", "scale": "GRIDMAP_SCALE"}); err != nil {
				return err
			}
			if out == "" {
				return errors.New("--out DIR is required")
			}
			start := time.Now()
			city, err := fixtures.Generate(fixtures.Options{Seed: seed, Scale: scale})
			if err != nil {
				return fmt.Errorf("generating the fixture city: %w", err)
			}
			if err := cityio.Write(out, city); err != nil {
				return fmt.Errorf("writing the city to %s: %w", out, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote %d units, %d grids, %d buildings, %d stations, %d streets to %s in %v\n",
				len(city.Units), len(city.Grids), len(city.Buildings), len(city.Stations), len(city.Streets), out,
				time.Since(start).Round(time.Millisecond))
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "directory to write (created if missing)")
	fl.Uint64Var(&seed, "seed", 1, "generator seed")
	fl.IntVar(&scale, "scale", 1, "cities' worth of data to generate")
	return cmd
}
