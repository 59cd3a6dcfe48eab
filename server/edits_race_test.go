package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/bolt"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestReadsDuringEdits serves the test city on a real listener and, while
// readers look points up and fetch tiles, commits a stream of splits and
// merges over HTTP. Every read must succeed on some whole version, and
// versions seen by one reader never go back. Run it under -race.
func TestReadsDuringEdits(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	base := serveOn(t, e.s)
	const rounds = 6
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- readUntil(ctx, base, i)
		}()
	}
	g1 := mustCode(t, tCommunity1, 1)
	for i := range rounds {
		commitHTTP(t, base, e.secret["admin"], i*2, edit.Op{Kind: edit.KindSplit, Grid: g1,
			Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: fmt.Sprintf("round %d", i)})
		added := addedGrid(t, e.s.Snapshot(), g1)
		commitHTTP(t, base, e.secret["admin"], i*2+1, edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, added}, Reason: "merge back"})
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	st, err := e.st.Load(context.Background())
	if err != nil || st.Version != 2*rounds || e.version() != 2*rounds {
		t.Errorf("store at %d (%v), server at %d; want both at %d", st.Version, err, e.version(), 2*rounds)
	}
}

// serveOn serves s on a 127.0.0.1:0 listener for the test and returns its
// base URL.
func serveOn(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.RunListener(ctx, ln) }()
	t.Cleanup(func() {
		// The readers' client may hold connections it dialled but never
		// used; close them, as a well-behaved client does, so the graceful
		// shutdown does not wait for their read timeout.
		http.DefaultClient.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunListener = %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// readUntil looks a point of grid 1 up and fetches a tile until ctx is
// done, checking each answer.
func readUntil(ctx context.Context, base string, seed int) error {
	last := -1
	lookup := base + lookupURL(testPointG1, "")
	k := maptile.At(testPointG1, 14)
	tile := fmt.Sprintf("%s/tiles/14/%d/%d.mvt", base, k.X, k.Y)
	for n := 0; ctx.Err() == nil || n < 5; n++ {
		body, status, err := get(lookup)
		if err != nil {
			return err
		}
		var got lookupBody
		if status != http.StatusOK || json.Unmarshal(body, &got) != nil || !strings.HasPrefix(got.Grid.Code, tCommunity1.String()) {
			return fmt.Errorf("reader %d: lookup = %d %s, want a grid of %s", seed, status, body, tCommunity1)
		}
		if got.Version < last {
			return fmt.Errorf("reader %d: version went back from %d to %d", seed, last, got.Version)
		}
		last = got.Version
		if _, status, err := get(tile); err != nil || (status != http.StatusOK && status != http.StatusNoContent) {
			return fmt.Errorf("reader %d: tile = %d, %v", seed, status, err)
		}
	}
	return nil
}

// get fetches url.
func get(url string) ([]byte, int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}

// commitHTTP commits op over HTTP and requires 201.
func commitHTTP(t *testing.T, base, secret string, version int, op edit.Op) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/edits", strings.NewReader(opJSON(t, op)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("If-Match", fmt.Sprint(version))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("commit %s on %d = %d %.400s", op.Kind, version, resp.StatusCode, b)
	}
}

// addedGrid returns the grid of g's community that split off g: the one
// that is neither g nor in the base test city.
func addedGrid(t *testing.T, s *geo.Snapshot, g geo.GridCode) geo.GridCode {
	t.Helper()
	for _, h := range s.GridsOf(g.Community()) {
		if h.Code != g && h.Code.Seq() > 2 {
			return h.Code
		}
	}
	t.Fatalf("no grid split off %s", g)
	return 0
}

// TestReopenServesCommittedEdits commits an edit, closes the store and
// serves it again from the same directory: the edit, its history and the
// tokens survive.
func TestReopenServesCommittedEdits(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	g1 := mustCode(t, tCommunity1, 1)
	e.commit("admin", 0, edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "r"})
	want, _ := e.lookupCode(orb.Point{104.805, 26.591}, "")
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(e.dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(Config{}, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	e2 := &editEnv{tb: t, s: s, st: st, dir: e.dir, secret: e.secret}
	if got, _ := e2.lookupCode(orb.Point{104.805, 26.591}, ""); got != want || e2.version() != 1 {
		t.Errorf("after reopening: lookup %s at version %d, want %s at 1", got, e2.version(), want)
	}
	if got, _ := e2.lookupCode(orb.Point{104.805, 26.591}, "&asof=0"); got != g1.String() {
		t.Errorf("after reopening: lookup as of 0 = %s, want %s", got, g1)
	}
	if r := e2.request(http.MethodGet, "/v1/tokens", "admin", -1, ""); r.status != http.StatusOK {
		t.Errorf("the admin token after reopening = %d", r.status)
	}
}

// A failingStore is a real store whose Append and AppendNext fail, as a
// full disk would.
type failingStore struct {
	store.Store
}

// errDiskFull is the failingStore's error.
var errDiskFull = errors.New("write /var/lib/gridmap/gridmap.db: no space left on device")

// Append fails without writing.
func (failingStore) Append(context.Context, *store.Changeset) error { return errDiskFull }

// AppendNext fails without writing.
func (failingStore) AppendNext(context.Context, *store.Changeset, *geo.City) error {
	return errDiskFull
}

// TestFailedAppendServesNothing checks that an edit the store could not
// write is answered 500 and leaves the served version, lookups and the
// store untouched.
func TestFailedAppendServesNothing(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	s, err := New(Config{}, nil, nil, WithStore(failingStore{e.st}), WithTokens(e.st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := s.Snapshot()
	g1 := mustCode(t, tCommunity1, 1)
	op := edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "r"}
	r := do(t, s, http.MethodPost, "/v1/edits", "application/json", opJSON(t, op), "Authorization", "Bearer "+e.secret["admin"], "If-Match", "0")
	if p := wantProblem(t, r, http.StatusInternalServerError, ""); strings.Contains(p.Detail, "no space") {
		t.Errorf("500 detail %q leaks the internal error", p.Detail)
	}
	if s.Snapshot() != before {
		t.Error("a failed commit swapped in a new snapshot")
	}
	if v, err := e.st.Version(context.Background()); v != 0 || err != nil {
		t.Errorf("store version after a failed commit = %d, %v; want 0", v, err)
	}
	if got := len(s.Snapshot().GridsOf(tCommunity1)); got != 2 {
		t.Errorf("community 1 has %d grids after a failed commit, want 2", got)
	}
}
