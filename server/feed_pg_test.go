package server

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store/pg"
	"github.com/gridmap/gridmap/geo/store/pg/pgtest"
)

// TestChangeStreamPostgresRestart streams from instance B while instance
// A commits to the same PostgreSQL database, restarts PostgreSQL, and
// commits again: B's stream carries every changeset, in order, and a new
// client resuming from version 0 reads them all from history.
func TestChangeStreamPostgresRestart(t *testing.T) {
	cluster := pgtest.New(t)
	ctx := context.Background()
	dsn, err := cluster.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	open := func() *pg.Store {
		st, err := pg.Open(ctx, dsn, func() (*geo.City, error) { return testCity(t), nil })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	stA, stB := open(), open()
	_, secret, err := stA.CreateToken(ctx, access.TokenSpec{Name: "planner", Role: access.RolePlanner, Scopes: []geo.DivisionCode{tSubdistrict}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := pgServer(t, stA), pgServer(t, stB)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.RunListener(runCtx, ln) }()
	defer func() { stop(); <-done }()
	base := "http://" + ln.Addr().String()

	stream := openStream(t, base, "", "")
	commit := func(base int, op edit.Op) {
		t.Helper()
		auth := []string{"Authorization", "Bearer " + secret, "If-Match", itoa(base)}
		var r response
		for range 50 { // the pool reconnects after the restart
			if r = do(t, a, http.MethodPost, "/v1/edits", "application/json", opJSON(t, op), auth...); r.status == http.StatusCreated {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("commit on A = %d %s", r.status, r.body)
	}
	g1 := mustCode(t, tCommunity1, 1)
	commit(0, splitG1(t))
	stream.wantVersions(t, 1)
	if err := cluster.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	commit(1, edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, addedGrid(t, a.Snapshot(), g1)}, Reason: "merge"})
	stream.wantVersions(t, 2)
	openStream(t, base, "0", "").wantVersions(t, 1, 2)
}

func itoa(v int) string { return eventID(uint64(v)) }
