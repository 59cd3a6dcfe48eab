package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// scanSearch is the search as it was before the gram index and the
// overlay: every entry of the city tried in turn. It is the oracle the
// index must agree with.
func scanSearch(entries []Entry, q string, limit int) []Hit {
	best := make(map[int]Class)
	note := func(i int, m Class) {
		if old, ok := best[i]; !ok || m < old {
			best[i] = m
		}
	}
	if isDigits(q) {
		for i, e := range entries {
			switch {
			case e.Code == q:
				note(i, Exact)
			case strings.HasPrefix(e.Code, q):
				note(i, Prefix)
			}
			if e.Unit != nil && e.short == q && len(q) < 12 {
				note(i, Exact)
			}
		}
	}
	for i, e := range entries {
		if m := min(matchName(e.name, q), matchName(e.full, q)); m != none {
			note(i, m)
		}
	}
	hits := make([]Hit, 0, len(best))
	for i, m := range best {
		hits = append(hits, Hit{Entry: &entries[i], Class: m})
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Entry.Level, b.Entry.Level), strings.Compare(a.Entry.Code, b.Entry.Code))
	})
	return hits[:min(limit, len(hits))]
}

// scanEntries returns the entries of c sorted by code, for scanSearch.
func scanEntries(c *geo.City) []Entry {
	var entries []Entry
	for _, u := range c.Units {
		if u.Level() != geo.LevelCity {
			entries = append(entries, unitEntry(u))
		}
	}
	for _, g := range c.Grids {
		entries = append(entries, gridEntry(g))
	}
	slices.SortFunc(entries, byCode)
	return entries
}

// testRand returns a generator seeded from SEED or the clock, logging the
// seed so that a failure can be replayed.
func testRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := uint64(rand.Int64())
	if s := os.Getenv("SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = n
	}
	t.Logf("SEED=%d", seed)
	return rand.New(rand.NewPCG(seed, 0))
}

// randomQuery returns a query a person might type about city c: a piece of
// a name, a code's prefix, a unit's significant digits, or a character
// pair that may match nothing.
func randomQuery(r *rand.Rand, c *geo.City) string {
	g := c.Grids[r.IntN(len(c.Grids))]
	u := c.Units[r.IntN(len(c.Units))]
	name := []rune(Normalize([]string{g.Name, u.Name, u.ShortName()}[r.IntN(3)]))
	if len(name) == 0 {
		name = []rune("社区")
	}
	switch r.IntN(6) {
	case 0:
		return string(name)
	case 1, 2:
		i := r.IntN(len(name))
		return string(name[i : i+1+r.IntN(len(name)-i)])
	case 3:
		code := g.Code.String()
		return code[:1+r.IntN(len(code))]
	case 4:
		return u.Code.Short()
	}
	extra := []rune("区网格社3第钟山a")
	return string([]rune{name[r.IntN(len(name))], extra[r.IntN(len(extra))]})
}

// sameHits reports how got differs from want, or "".
func sameHits(got, want []Hit) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d hits, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Entry.Code != want[i].Entry.Code || got[i].Class != want[i].Class || got[i].Entry.key() != want[i].Entry.key() {
			return fmt.Sprintf("hit %d is %s %v, want %s %v", i, got[i].Entry.Code, got[i].Class, want[i].Entry.Code, want[i].Class)
		}
	}
	return ""
}

// TestSearchMatchesScan compares the indexed search with a scan of every
// entry over the fixture city, for random queries and limits.
func TestSearchMatchesScan(t *testing.T) {
	snap := testSnapshot(t)
	ix := New(snap)
	entries := scanEntries(snap.City)
	r := testRand(t)
	for range 2000 {
		q, limit := randomQuery(r, snap.City), 1+r.IntN(50)
		if d := sameHits(ix.Search(q, limit), scanSearch(entries, q, limit)); d != "" {
			t.Fatalf("Search(%q, %d): %s", q, limit, d)
		}
	}
}

// TestPatchMatchesNew edits the fixture city at random (grids removed,
// renamed and added, units renamed), patches the index after each edit,
// and checks that it answers as a new index of the edited city and as the
// scan does.
func TestPatchMatchesNew(t *testing.T) {
	snap := testSnapshot(t)
	r := testRand(t)
	c := snap.City
	ix := New(snap)
	rebuilt := 0
	for step := range 400 {
		c = randomEdit(r, c, step)
		next := ix.Patch(&geo.Snapshot{Version: uint64(step + 1), City: c})
		if next.base != ix.base {
			rebuilt++
		}
		ix = next
		fresh := New(&geo.Snapshot{City: c})
		for range 10 {
			q, limit := randomQuery(r, c), 1+r.IntN(30)
			want := fresh.Search(q, limit)
			if d := sameHits(ix.Search(q, limit), want); d != "" {
				t.Fatalf("after edit %d, patched Search(%q, %d): %s", step, q, limit, d)
			}
			if step%100 == 0 {
				if d := sameHits(want, scanSearch(scanEntries(c), q, limit)); d != "" {
					t.Fatalf("after edit %d, new Search(%q, %d) against the scan: %s", step, q, limit, d)
				}
			}
		}
	}
	if rebuilt == 0 {
		t.Error("400 edits never rebuilt the table; the overlay is unbounded")
	}
	t.Logf("the table was rebuilt %d times in 400 edits", rebuilt)
}

// randomEdit returns a copy of c with one change: a grid removed, a grid
// renamed (a new *Grid with the same code), a grid added, or a unit
// renamed. c is not modified.
func randomEdit(r *rand.Rand, c *geo.City, step int) *geo.City {
	out := *c
	out.Grids = slices.Clone(c.Grids)
	i := r.IntN(len(out.Grids))
	switch r.IntN(4) {
	case 0:
		out.Grids = slices.Delete(out.Grids, i, i+1)
	case 1:
		g := *out.Grids[i]
		g.Name = fmt.Sprintf("%s改%d", g.Name, step)
		out.Grids[i] = &g
	case 2:
		g := *out.Grids[i]
		for seq := 999; seq > 0; seq-- {
			code, err := geo.NewGridCode(g.Code.Community(), seq)
			if _, taken := slices.BinarySearchFunc(out.Grids, code, func(x *geo.Grid, c geo.GridCode) int { return cmp.Compare(x.Code, c) }); err == nil && !taken {
				g.Code, g.Name = code, fmt.Sprintf("新网格%d", step)
				break
			}
		}
		j, _ := slices.BinarySearchFunc(out.Grids, g.Code, func(x *geo.Grid, c geo.GridCode) int { return cmp.Compare(x.Code, c) })
		out.Grids = slices.Insert(out.Grids, j, &g)
	default:
		out.Units = slices.Clone(c.Units)
		k := r.IntN(len(out.Units))
		u := *out.Units[k]
		u.Name = fmt.Sprintf("更名%d%s", step, u.Name)
		out.Units[k] = &u
	}
	return &out
}
