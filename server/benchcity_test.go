package server

import (
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

var (
	fixtureOnce sync.Once
	fixtureSnap *geo.Snapshot
	fixtureErr  error
)

// fixtureSnapshot returns the generated reference city (seed 1, scale 1)
// as version 1, generated once per test binary.
func fixtureSnapshot(tb testing.TB) *geo.Snapshot {
	tb.Helper()
	fixtureOnce.Do(func() {
		var city *geo.City
		city, fixtureErr = fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
		if fixtureErr == nil {
			fixtureSnap, fixtureErr = geo.NewSnapshot(city, 1)
		}
	})
	if fixtureErr != nil {
		tb.Fatalf("generating the fixture city: %v", fixtureErr)
	}
	return fixtureSnap
}

// benchServer returns a server with the default limits over the fixture
// city.
func benchServer(tb testing.TB) *Server {
	tb.Helper()
	s, err := New(Config{}, fixtureSnapshot(tb), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
