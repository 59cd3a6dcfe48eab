package server

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store/bolt"
)

// BenchmarkCommitSplitScale commits one grid split per iteration through
// POST /v1/edits at scale 10 (21,760 grids, 182,000 buildings) and 50
// (108,800 grids, 910,000 buildings), the store fsyncing each changeset,
// with the background warmers off: the answer's own cost, the part of
// issue 12's "commit median at most 30 ms" in process. B/op is what each
// commit allocates (and the collector must then reclaim while requests
// are served). Each iteration splits another grid, chosen untimed.
func BenchmarkCommitSplitScale(b *testing.B) {
	for _, scale := range []int{10, 50} {
		b.Run(fmt.Sprint(scale), func(b *testing.B) { benchCommitSplit(b, scale) })
	}
}

func benchCommitSplit(b *testing.B, scale int) {
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	st, err := bolt.Open(dir, func() (*geo.City, error) { return city, nil })
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	s, err := New(Config{}, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		b.Fatal(err)
	}
	s.warmers = nil
	if err := s.Reload(b.Context()); err != nil {
		b.Fatal(err)
	}
	e := &editEnv{tb: b, s: s, st: st, dir: dir, secret: map[string]string{}}
	e.token("admin", access.RoleAdmin)
	units := s.Snapshot().City.Units
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		var comm geo.DivisionCode
		for comm == 0 {
			if u := units[next%len(units)]; u.Level() == geo.LevelCommunity {
				comm = u.Code
			}
			next += 7
		}
		g, line := splitTarget(b, e.s.Snapshot(), comm)
		body := opJSON(b, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "bench"})
		b.StartTimer()
		if r := e.request(http.MethodPost, "/v1/edits", "admin", e.version(), body); r.status != http.StatusCreated {
			b.Fatalf("commit = %d %.300s", r.status, r.body)
		}
	}
}
