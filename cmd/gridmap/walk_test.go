package main

import (
	"context"
	"log/slog"
	"testing"
)

// TestWalkConfig checks the --osm and --walk-speed-kmh flags.
func TestWalkConfig(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cases := []struct {
		name    string
		f       serveFlags
		wantErr bool
		ways    bool
	}{
		{name: "default streets", f: serveFlags{walkSpeedKMH: 4}},
		{name: "osm extract", f: serveFlags{walkSpeedKMH: 5, osm: "../../geo/walk/osmload/testdata/tiny.osm"}, ways: true},
		{name: "missing extract", f: serveFlags{walkSpeedKMH: 4, osm: "testdata/no-such.osm"}, wantErr: true},
		{name: "zero speed", f: serveFlags{walkSpeedKMH: 0}, wantErr: true},
		{name: "absurd speed", f: serveFlags{walkSpeedKMH: 90}, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := walkConfig(context.Background(), c.f, log)
			if (err != nil) != c.wantErr {
				t.Fatalf("walkConfig(%+v) error = %v, want error %v", c.f, err, c.wantErr)
			}
			if err != nil {
				return
			}
			if (len(got.Ways) > 0) != c.ways {
				t.Errorf("walkConfig(%+v) gave %d ways, want ways: %v", c.f, len(got.Ways), c.ways)
			}
			if got.Options.SpeedKMH != c.f.walkSpeedKMH {
				t.Errorf("speed = %v, want %v", got.Options.SpeedKMH, c.f.walkSpeedKMH)
			}
		})
	}
}
