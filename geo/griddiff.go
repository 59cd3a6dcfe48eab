package geo

import (
	"cmp"
	"slices"
)

// DiffGrids compares two lists of grids sorted by code (as a City's are),
// a before an edit and b after it, by pointer: an edit replaces the grids
// it changes and shares the rest. It returns the grids of a that b lacks
// and those of b that a lacks (a grid changed under the same code is in
// both), in order of code. The lists' common head and tail (the same
// pointers at the same places from either end) are skipped by comparing
// pointers alone, without reading a grid, and the span between is merged
// by code; so an edit costs a pass over two arrays of pointers, not a
// read of every grid. It reports false when that span of either list is
// not sorted by code (outside it the lists hold the same grids, so they
// differ in nothing there whatever their order).
func DiffGrids(a, b []*Grid) (removed, added []*Grid, ok bool) {
	removed, added, _, ok = diffGrids(a, b)
	return removed, added, ok
}

// diffGrids is DiffGrids, also reporting whether b is sorted by code
// given that a is: the span where they differ, with the grid on either
// side of it, is.
func diffGrids(a, b []*Grid) (removed, added []*Grid, sorted, ok bool) {
	head, tail := SharedEnds(a, b)
	sorted = slices.IsSortedFunc(b[max(head-1, 0):min(len(b)-tail+1, len(b))], cmpGridCode)
	a, b = a[head:len(a)-tail], b[head:len(b)-tail]
	if !slices.IsSortedFunc(a, cmpGridCode) || !slices.IsSortedFunc(b, cmpGridCode) {
		return nil, nil, false, false
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
	return removed, added, sorted, true
}

// cmpGridCode orders grids by code.
func cmpGridCode(x, y *Grid) int { return cmp.Compare(x.Code, y.Code) }

// SharedEnds returns how many pointers lists a and b (two versions' grids
// or buildings) share at their start (the same pointers at the same
// indexes) and then at their end, not counting those again: between
// a[head:len(a)-tail] and b[head:len(b)-tail] lies what an edit changed.
// It compares pointers alone, reading nothing they point to.
func SharedEnds[T any](a, b []*T) (head, tail int) {
	head = commonHead(a, b)
	return head, commonTail(a[head:], b[head:])
}

// commonHead returns how many pointers a and b share at their start.
func commonHead[T any](a, b []*T) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// commonTail returns how many pointers a and b share at their end.
func commonTail[T any](a, b []*T) int {
	n := min(len(a), len(b))
	for i := 1; i <= n; i++ {
		if a[len(a)-i] != b[len(b)-i] {
			return i - 1
		}
	}
	return n
}
