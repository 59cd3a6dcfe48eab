package tiles

import (
	"slices"
	"testing"
)

// TestPatchedTags checks that tables made by patchedTags give every
// feature its new tags where changed and its earlier ones elsewhere,
// sharing the earlier slab through a chain of versions, and are made
// whole once too many features are held apart from it.
func TestPatchedTags(t *testing.T) {
	const n = 3000
	want := make([][]uint32, n)
	var tt tagTable
	for i := range want {
		want[i] = []uint32{0, uint32(i % 7), 1, uint32(i)}
		tt.add(want[i])
	}
	tt.seal()
	check := func(step int, tt *tagTable) {
		t.Helper()
		for i := range int32(n) {
			if got := unpackTags(tt.get(i)); !slices.Equal(got, want[i]) {
				t.Fatalf("step %d: feature %d has tags %v, want %v", step, i, got, want[i])
			}
		}
	}
	shared, whole := 0, 0
	for step := 0; step < 12; step++ {
		changed := map[int32][]uint32{}
		for k := 0; k < 97; k++ {
			i := int32((step*977 + k*31) % n)
			tags := []uint32{0, uint32(step), 1, uint32(k)}
			changed[i], want[i] = tags, tags
		}
		next := patchedTags(&tt, changed)
		if next.over != nil && &next.data[0] == &tt.data[0] {
			shared++
		} else if next.over == nil {
			whole++
		}
		tt = next
		check(step, &tt)
	}
	if shared == 0 || whole == 0 {
		t.Errorf("%d tables shared the earlier slab, %d were made whole: want some of each", shared, whole)
	}
}
