package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/bolt"
	"github.com/gridmap/gridmap/geo/store/pg"
	"github.com/gridmap/gridmap/geo/store/pg/pgtest"
	"github.com/paulmach/orb"
)

// A chanWatcher is a Watcher whose versions the test sends.
type chanWatcher chan uint64

// Watch returns the channel.
func (w chanWatcher) Watch(context.Context) <-chan uint64 { return w }

// splitG1 is the test city's grid 1 split between its two buildings.
func splitG1(tb testing.TB) edit.Op {
	tb.Helper()
	return edit.Op{Kind: edit.KindSplit, Grid: mustCode(tb, tCommunity1, 1),
		Line: orb.LineString{{104.799, 26.5955}, {104.811, 26.5955}}, Reason: "two estates"}
}

// appendOp applies op to st's latest state and appends it, as another
// instance would; it returns the new version.
func appendOp(tb testing.TB, st store.Store, op edit.Op) uint64 {
	tb.Helper()
	ctx := context.Background()
	state, err := st.Load(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	snap, err := geo.NewSnapshot(state.City, state.Version)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := edit.Apply(snap, op, edit.Options{History: state.History})
	if err != nil || !res.Valid {
		tb.Fatalf("applying %s: %v (valid %v)", op.Kind, err, res != nil && res.Valid)
	}
	cs, err := store.NewChangeset(state.Version, "other-instance", op.Reason, op, res)
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.Append(ctx, cs); err != nil {
		tb.Fatal(err)
	}
	return cs.Version
}

// waitVersion polls until s serves version v, failing after 10 s.
func waitVersion(tb testing.TB, s *Server, v uint64) time.Duration {
	tb.Helper()
	start := time.Now()
	for time.Since(start) < 10*time.Second {
		if snap := s.Snapshot(); snap != nil && snap.Version == v {
			return time.Since(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Fatalf("the server did not serve version %d within 10 s (serving %d)", v, s.Snapshot().Version)
	return 0
}

// TestFollowReloads feeds Follow versions of a bbolt store appended to
// behind the server's back: a newer one is served, an older one changes
// nothing, and Follow ends with its context or its channel.
func TestFollowReloads(t *testing.T) {
	st, err := bolt.OpenOptions(t.TempDir(), func() (*geo.City, error) { return testCity(t), nil }, bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(Config{}, nil, nil, WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := make(chanWatcher)
	done := make(chan error, 1)
	go func() { done <- s.Follow(ctx, w) }()

	v := appendOp(t, st, splitG1(t))
	if s.Snapshot().Version != 0 {
		t.Fatalf("the server serves version %d before any report", s.Snapshot().Version)
	}
	w <- v
	waitVersion(t, s, v)
	if code, st := lookupCode(t, s, orb.Point{104.806, 26.596}); st != http.StatusOK || code == mustCode(t, tCommunity1, 1).String() {
		t.Errorf("lookup north of the split = %q %d, want the new grid", code, st)
	}
	served := s.Snapshot()
	w <- 0
	w <- v // unbuffered: the 0 has been handled once this is received
	if s.Snapshot() != served {
		t.Error("a report of an old version swapped the snapshot")
	}
	cancel()
	if err := waitDone(t, done); err != nil {
		t.Errorf("Follow after its context ended = %v, want nil", err)
	}

	go func() { done <- s.Follow(context.Background(), w) }()
	close(w)
	if err := waitDone(t, done); !errors.Is(err, ErrWatchClosed) {
		t.Errorf("Follow after its channel closed = %v, want ErrWatchClosed", err)
	}
	bare, err := New(Config{}, testSnapshot(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bare.Follow(context.Background(), w); !errors.Is(err, ErrNoStore) {
		t.Errorf("Follow without a store = %v, want ErrNoStore", err)
	}
}

// TestFollowRetriesFailedReload checks that Follow survives a failing
// store: it logs, retries, and still ends with its context.
func TestFollowRetriesFailedReload(t *testing.T) {
	st, err := bolt.OpenOptions(t.TempDir(), func() (*geo.City, error) { return testCity(t), nil }, bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var logs safeBuffer
	s, err := New(Config{}, nil, slog.New(slog.NewTextHandler(&logs, nil)), WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	w := make(chanWatcher)
	done := make(chan error, 1)
	go func() { done <- s.Follow(ctx, w) }()
	w <- 3
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(logs.String(), "reload failed") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := strings.Count(logs.String(), "reload failed"); n < 2 {
		t.Errorf("%d failed reloads logged, want a retry; log:\n%s", n, logs.String())
	}
	cancel()
	if err := waitDone(t, done); err != nil {
		t.Errorf("Follow = %v, want nil", err)
	}
}

// TestFollowPostgres runs a server on one pg.Store with RunListener
// and commits through a second server on another Store of the same
// database: the first serves the edit through Watch, refuses a commit on
// the old base, and stops following when it shuts down.
func TestFollowPostgres(t *testing.T) {
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
	defer stop()

	auth := []string{"Authorization", "Bearer " + secret, "If-Match", "0"}
	if r := do(t, a, http.MethodPost, "/v1/edits", "application/json", opJSON(t, splitG1(t)), auth...); r.status != http.StatusCreated {
		t.Fatalf("split on A = %d %s", r.status, r.body)
	}
	took := waitVersion(t, b, 1)
	t.Logf("B served version 1 after %v", took)
	if code, st := lookupCode(t, b, orb.Point{104.806, 26.596}); st != http.StatusOK || code == mustCode(t, tCommunity1, 1).String() {
		t.Errorf("lookup on B north of the split = %q %d, want the new grid", code, st)
	}
	merge := edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{mustCode(t, tCommunity2, 1), mustCode(t, tCommunity2, 2)}, Reason: "joined"}
	r := do(t, b, http.MethodPost, "/v1/edits", "application/json", opJSON(t, merge), auth...)
	if p := wantEditProblem(t, r, http.StatusConflict, ""); p.Current != 1 || len(p.Committed) != 1 {
		t.Errorf("commit on B with base 0 = %s, want 409 listing A's split", r.body)
	}
	stop()
	if err := waitDone(t, done); err != nil {
		t.Errorf("RunListener = %v, want a clean shutdown", err)
	}
	// Shut down, B follows no more. C, a control that follows the same
	// store, must see the next commit: once it does, the notification has
	// reached every listener, and B must still serve version 1.
	c := pgServer(t, stA)
	cctx, cstop := context.WithCancel(context.Background())
	cdone := make(chan error, 1)
	go func() { cdone <- c.Follow(cctx, stA) }()
	defer func() { cstop(); <-cdone }()
	v := appendOp(t, stA, merge)
	waitVersion(t, c, v)
	if got := b.Snapshot().Version; got != 1 {
		t.Errorf("after its shutdown B serves version %d (A committed %d), want 1: it still follows", got, v)
	}
}

// pgServer serves a pg.Store's latest state.
func pgServer(t *testing.T, st *pg.Store) *Server {
	t.Helper()
	s, err := New(Config{}, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// lookupCode looks p up on s and returns the grid code and status.
func lookupCode(tb testing.TB, s *Server, p orb.Point) (string, int) {
	tb.Helper()
	r := do(tb, s, http.MethodGet, lookupURL(p, ""), "", "")
	if r.status != http.StatusOK {
		return "", r.status
	}
	var got lookupBody
	decode(tb, r.body, &got)
	return got.Grid.Code, r.status
}

// waitDone waits up to 10 s for a goroutine's error.
func waitDone(tb testing.TB, done <-chan error) error {
	tb.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		tb.Fatal("still running 10 s after it was told to stop")
		return nil
	}
}
