package search

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

var (
	scale10Once sync.Once
	scale10     *geo.Snapshot
	scale10Err  error
)

// scale10City returns the fixture city at scale 10 (21,760 grids), built
// once per test binary.
func scale10City(b *testing.B) *geo.Snapshot {
	b.Helper()
	scale10Once.Do(func() {
		c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
		if err != nil {
			scale10Err = err
			return
		}
		scale10, scale10Err = geo.NewSnapshot(c, 1)
	})
	if scale10Err != nil {
		b.Fatalf("generating the scale-10 city: %v", scale10Err)
	}
	return scale10
}

// BenchmarkSearchCodeScale10 searches a grid's code, as the map's search
// box and the bench/commits pollers do.
func BenchmarkSearchCodeScale10(b *testing.B) {
	snap := scale10City(b)
	ix := New(snap)
	q := snap.City.Grids[len(snap.City.Grids)/2].Code.String()
	b.ReportAllocs()
	for b.Loop() {
		if hits := ix.Search(q, 10); len(hits) != 1 {
			b.Fatalf("Search(%q) = %d hits, want 1", q, len(hits))
		}
	}
}

// BenchmarkSearchNameScale10 searches a grid's full name and a community's
// name without its suffix.
func BenchmarkSearchNameScale10(b *testing.B) {
	snap := scale10City(b)
	ix := New(snap)
	var community *geo.Unit
	for _, u := range snap.City.Units {
		if u.Level() == geo.LevelCommunity {
			community = u
		}
	}
	qs := []string{Normalize(snap.City.Grids[len(snap.City.Grids)/3].Name), Normalize(community.ShortName())}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range qs {
			if hits := ix.Search(q, 10); len(hits) == 0 {
				b.Fatalf("Search(%q) found nothing", q)
			}
		}
	}
}

// BenchmarkNewScale10 builds the index of the whole city.
func BenchmarkNewScale10(b *testing.B) {
	snap := scale10City(b)
	b.ReportAllocs()
	for b.Loop() {
		New(snap)
	}
}

// BenchmarkPatchScale10 patches the index for a grid split: one grid
// replaced by two.
func BenchmarkPatchScale10(b *testing.B) {
	snap := scale10City(b)
	ix := New(snap)
	c := *snap.City
	c.Grids = slices.Clone(c.Grids)
	i := len(c.Grids) / 2
	for c.Grids[i+1].Code == c.Grids[i].Code+1 { // the last grid of a community
		i++
	}
	west, east := *c.Grids[i], *c.Grids[i]
	east.Code++
	west.Name, east.Name = fmt.Sprintf("%s西", west.Name), fmt.Sprintf("%s东", east.Name)
	c.Grids[i] = &west
	c.Grids = slices.Insert(c.Grids, i+1, &east)
	next := &geo.Snapshot{Version: 2, City: &c}
	b.ReportAllocs()
	for b.Loop() {
		if p := ix.Patch(next); p.base != ix.base {
			b.Fatal("Patch rebuilt the table for one split")
		}
	}
}
