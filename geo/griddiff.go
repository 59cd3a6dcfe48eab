package geo

import (
	"cmp"
	"slices"
)

// DiffGrids compares two lists of grids sorted by code (as a City's are),
// a before an edit and b after it, by pointer: an edit replaces the grids
// it changes and shares the rest. It returns the grids of a that b lacks
// and those of b that a lacks (a grid changed under the same code is in
// both), in order of code, with a pass along the two lists. It reports
// false when either list is not sorted by code.
func DiffGrids(a, b []*Grid) (removed, added []*Grid, ok bool) {
	byCode := func(x, y *Grid) int { return cmp.Compare(x.Code, y.Code) }
	if !slices.IsSortedFunc(a, byCode) || !slices.IsSortedFunc(b, byCode) {
		return nil, nil, false
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j == len(b) || i < len(a) && a[i].Code <= b[j].Code:
			removed = append(removed, a[i])
			i++
		default:
			added = append(added, b[j])
			j++
		}
	}
	return removed, added, true
}
