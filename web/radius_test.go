package web

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo/planar"
)

// TestEarthRadiusMirrored checks that the page measures on the server's
// sphere: measure.js's EARTH_RADIUS_M is geo/planar.EarthRadiusMeters.
func TestEarthRadiusMirrored(t *testing.T) {
	src, err := os.ReadFile("static/js/head/measure.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const EARTH_RADIUS_M = ([0-9.]+);`).FindSubmatch(src)
	if m == nil {
		t.Fatal("measure.js declares no EARTH_RADIUS_M")
	}
	if r, _ := strconv.ParseFloat(string(m[1]), 64); r != planar.EarthRadiusMeters {
		t.Errorf("measure.js EARTH_RADIUS_M = %s, geo/planar.EarthRadiusMeters = %v", m[1], planar.EarthRadiusMeters)
	}
}
