package server

import (
	"testing"

	"github.com/gridmap/gridmap/geo/walk"
)

// TestWithWalkReplacesStreets serves the fixture city with a walking
// network built from only the arterial streets (as an OpenStreetMap
// extract of main roads would be) and checks that coverage follows that
// network, not the snapshot's own streets.
func TestWithWalkReplacesStreets(t *testing.T) {
	snap := fixtureSnapshot(t)
	var ways []walk.Way
	for _, w := range walk.WaysFromStreets(snap.City.Streets) {
		if w.Class == "primary" {
			ways = append(ways, w)
		}
	}
	if len(ways) == 0 {
		t.Fatal("the fixture city has no primary streets")
	}
	sparse, err := New(Config{}, snap, nil, WithWalk(WalkConfig{Ways: ways}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var full, thin coverageJSON
	getJSON(t, walkServer(t), "/v1/coverage?level=district", &full)
	getJSON(t, sparse, "/v1/coverage?level=district", &thin)
	thin.Total.check(t, "arterials-only total")
	if thin.Total.Households != full.Total.Households {
		t.Errorf("arterials-only coverage counts %d households, want all %d", thin.Total.Households, full.Total.Households)
	}
	if thin.Total.HouseholdsCovered >= full.Total.HouseholdsCovered {
		t.Errorf("arterials-only network covers %d households, want fewer than the full network's %d",
			thin.Total.HouseholdsCovered, full.Total.HouseholdsCovered)
	}
}
