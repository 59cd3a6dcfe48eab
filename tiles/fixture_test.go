package tiles

import (
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

// The generated reference city, built once per test binary.
var fixtureCity struct {
	once sync.Once
	snap *geo.Snapshot
	err  error
}

// citySnapshot returns a snapshot of fixtures.Generate(Seed 1, Scale 1),
// shared by the tests (nothing modifies it).
func citySnapshot(t testing.TB) *geo.Snapshot {
	t.Helper()
	fixtureCity.once.Do(func() {
		fixtureCity.snap, fixtureCity.err = generateCity()
	})
	if fixtureCity.err != nil {
		t.Fatalf("generating the fixture city: %v", fixtureCity.err)
	}
	return fixtureCity.snap
}

// generateCity builds a fresh snapshot of the reference city.
func generateCity() (*geo.Snapshot, error) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		return nil, err
	}
	return geo.NewSnapshot(c, 1)
}

// cityRenderer returns a renderer of the reference city.
func cityRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := NewRenderer(citySnapshot(t), Options{})
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}
