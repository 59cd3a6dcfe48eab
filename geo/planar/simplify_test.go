package planar

import (
	"slices"
	"testing"
)

// TestDouglasPeucker checks the vertices kept on a line with one bump
// above the tolerance and one below, at scale 1 and scaled.
func TestDouglasPeucker(t *testing.T) {
	type pt [2]float64
	line := []pt{{0, 0}, {1, 0.1}, {2, 0}, {3, 2}, {4, 0}, {5, 0.05}, {6, 0}}
	for _, tc := range []struct {
		scale, tol float64
		want       []int
	}{
		{1, 0.5, []int{0, 2, 3, 4, 6}},        // the bump at 3 and the feet of its slopes stay; 0.1 and 0.05 go
		{1, 0.01, []int{0, 1, 2, 3, 4, 5, 6}}, // every vertex counts
		{10, 0.5, []int{0, 1, 2, 3, 4, 6}},    // scaled: 0.1 becomes 1, 0.05 becomes 0.5 (not more)
		{1, 3, []int{0, 6}},                   // nothing is far enough
	} {
		keep := make([]bool, len(line))
		keep[0], keep[len(line)-1] = true, true
		DouglasPeucker(line, 0, len(line)-1, tc.scale, tc.tol*tc.tol, keep)
		var got []int
		for i, k := range keep {
			if k {
				got = append(got, i)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("scale %g tolerance %g kept %v, want %v", tc.scale, tc.tol, got, tc.want)
		}
	}
}
