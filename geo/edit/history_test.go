package edit

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

// historyChanges returns the changes of step i on c's grids: grid i
// re-coded to an unused code of its community, a new grid, and every
// third step the grid of step i-1 retired. Only the ids and codes matter
// to a history.
func historyChanges(c *geo.City, i int, nextID *geo.GridID) []Change {
	g := c.Grids[i*7%len(c.Grids)]
	recoded := *g
	recoded.Code = geo.GridCode(uint64(g.Community())*1000 + uint64(900+i%99))
	*nextID++
	added := &geo.Grid{ID: *nextID, Code: geo.GridCode(uint64(g.Community())*1000 + uint64(800+i%99))}
	out := []Change{{ID: g.ID, Kind: ChangeRecoded, Before: g, After: &recoded}, {ID: added.ID, Kind: ChangeAdded, After: added}}
	if i%3 == 2 {
		r := c.Grids[(i-1)*11%len(c.Grids)]
		out = append(out, Change{ID: r.ID, Kind: ChangeRetired, Before: r})
	}
	return out
}

// TestCodeHistoryCloneIsolated records a chain of versions, each a Clone
// of the one before (through several layer merges), and checks that no
// version changes once cloned and that the newest equals one history
// recorded into without cloning.
func TestCodeHistoryCloneIsolated(t *testing.T) {
	s := testSnapshot(t)
	plain := NewCodeHistory(s.City, time.Time{})
	cur := NewCodeHistory(s.City, time.Time{})
	var nextID geo.GridID = plain.MaxGridID()
	type kept struct {
		h    *CodeHistory
		json string
	}
	var versions []kept
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 * maxLayers * 3 {
		changes := historyChanges(s.City, i, &nextID)
		at = at.Add(time.Hour)
		plain.Record(changes, at)
		next := cur.Clone()
		next.Record(changes, at)
		versions = append(versions, kept{next, mustJSON(t, next)})
		cur = next
	}
	for i, v := range versions {
		if got := mustJSON(t, v.h); got != v.json {
			t.Fatalf("version %d changed after later versions were recorded", i)
		}
	}
	if got, want := mustJSON(t, cur), mustJSON(t, plain); got != want {
		t.Errorf("cloned history differs from one recorded into directly")
	}
	if got, want := fmt.Sprint(cur.Crosswalk(time.Time{}, time.Time{})), fmt.Sprint(plain.Crosswalk(time.Time{}, time.Time{})); got != want {
		t.Errorf("crosswalks differ:\n%s\n%s", got, want)
	}
	g := s.City.Grids[0]
	if cur.MaxSeq(g.Community()) != plain.MaxSeq(g.Community()) || cur.MaxGridID() != plain.MaxGridID() {
		t.Errorf("counters differ: seq %d/%d, id %d/%d", cur.MaxSeq(g.Community()), plain.MaxSeq(g.Community()), cur.MaxGridID(), plain.MaxGridID())
	}
	if len(cur.spans.frozen) > maxLayers+1 {
		t.Errorf("%d layers, want at most %d", len(cur.spans.frozen), maxLayers+1)
	}
}

func mustJSON(t *testing.T, h *CodeHistory) string {
	t.Helper()
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// BenchmarkCodeHistoryClone clones the code history of the scale-10 city
// (21,760 grids) and records one split into the clone, as a store does on
// each commit, on a history already several versions old.
func BenchmarkCodeHistoryClone(b *testing.B) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	h := NewCodeHistory(c, time.Time{})
	nextID := h.MaxGridID()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		next := h.Clone()
		next.Record(historyChanges(c, i, &nextID), at.Add(time.Duration(i)*time.Hour))
		h = next
		i++
	}
}
