//go:build linux

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

// crashCommunity is the community whose grid the process-level tests
// split and merge: 曹家湾社区 of 黄土坡街道.
const crashCommunity = geo.DivisionCode(520201011001)

// An editLog is what the editing stream sent and what was acknowledged,
// across rounds.
type editLog struct {
	mu    sync.Mutex
	sent  map[uint64]edit.Kind // the version a request would make -> its kind
	acked map[uint64]string    // acknowledged version -> changeset id
	last  uint64               // the last acknowledged version
	err   error                // an answer the stream did not expect
}

func (l *editLog) send(v uint64, k edit.Kind) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent[v] = k
}

func (l *editLog) ack(v uint64, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked[v], l.last = id, v
}

func (l *editLog) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.err = err
}

// status returns the number of acknowledgements and the stream's error.
func (l *editLog) status() (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked), l.err
}

// streamEdits splits the plan's grid and merges it again, alternately,
// each edit on the version the previous answer gave, until a request
// fails (the server was killed) or stop is closed. It starts on version
// v, where other is the grid split off (0 when the grid is whole).
func streamEdits(a *apiClient, p splitPlan, log *editLog, v uint64, other geo.GridCode, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		op := p.split()
		if other != 0 {
			op = p.merge(other)
		}
		log.send(v+1, op.Kind)
		st, body, id, got, err := a.commit(op, v)
		if errors.Is(err, errNoAnswer) {
			return // the server was killed
		}
		if err != nil || st != http.StatusCreated || got != v+1 || id == "" {
			log.fail(fmt.Errorf("%s on version %d = %d %.400s, %v; want 201 with version %d", op.Kind, v, st, body, err, v+1))
			return
		}
		log.ack(got, id)
		v, other = got, 0
		if op.Kind == edit.KindSplit {
			if other, err = splitOff(a, p); err != nil {
				if !errors.Is(err, errNoAnswer) {
					log.fail(fmt.Errorf("after the split to version %d: %w", got, err))
				}
				return
			}
		}
	}
}

// splitOff returns the code of the grid split off the plan's grid (by
// looking up a building on each side of the line), or 0 when it is whole.
func splitOff(a *apiClient, p splitPlan) (geo.GridCode, error) {
	n, err := a.gridAt(p.north.Point)
	if err != nil {
		return 0, err
	}
	s, err := a.gridAt(p.south.Point)
	if err != nil {
		return 0, err
	}
	own := p.grid.Code.String()
	switch {
	case n == own && s == own:
		return 0, nil
	case n == own:
		return geo.ParseGridCode(s)
	case s == own:
		return geo.ParseGridCode(n)
	}
	return 0, fmt.Errorf("the line's sides are in %s and %s, neither is %s", n, s, own)
}

// TestCrashMidEdits streams edits to a gridmap serve process, SIGKILLs it
// at a random moment, restarts it on the same store and checks that every
// acknowledged changeset is there, whole, and served; five rounds, then
// the whole city is checked from the store itself.
func TestCrashMidEdits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gridmap and edits the generated city")
	}
	rng := rand.New(rand.NewPCG(testSeed(t), 6))
	bin := buildGridmap(t)
	dir := t.TempDir()
	snap := fixtureSnapshot(t)
	token := seedCrashStore(t, dir, snap.City)
	plan := planSplit(t, snap, crashCommunity)
	log := &editLog{sent: map[uint64]edit.Kind{}, acked: map[uint64]string{}}

	for round := range 5 {
		c := startServeProcess(t, bin, "--store", dir)
		a := newAPIClient(c.base, token)
		v, other := checkRecovered(t, a, plan, log, len(snap.City.Grids))
		t.Logf("round %d: serving version %d; the last acknowledged was %d", round, v, log.last)
		killMidStream(t, rng, c, a, plan, log, v, other)
	}
	c := startServeProcess(t, bin, "--store", dir)
	v, _ := checkRecovered(t, newAPIClient(c.base, token), plan, log, len(snap.City.Grids))
	t.Logf("after the last restart: serving version %d; the last acknowledged was %d", v, log.last)
	c.stop(t)
	checkStoredCity(t, dir, log)
}

// killMidStream streams edits to c from version v (other as for
// streamEdits) and SIGKILLs it at a random moment after one to four more
// acknowledgements.
func killMidStream(t *testing.T, rng *rand.Rand, c *child, a *apiClient, p splitPlan, log *editLog, v uint64, other geo.GridCode) {
	t.Helper()
	acked, _ := log.status()
	want := acked + 1 + rng.IntN(4)
	pause := time.Duration(rng.IntN(40)) * time.Millisecond
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); streamEdits(a, p, log, v, other, stop) }()
	defer func() { close(stop); <-done }()

	deadline := time.Now().Add(15 * time.Second)
	for n, err := log.status(); n < want && err == nil; n, err = log.status() {
		if time.Now().After(deadline) {
			t.Fatalf("%d edits acknowledged within 15 s, want %d; log:\n%s", n-acked, want-acked, c.logs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(pause)
	c.kill(t)
	<-done
	if _, err := log.status(); err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	t.Logf("killed %v after the acknowledgement of version %d; request for %d in flight: %v", pause, log.last, log.last+1, log.sent[log.last+1] != "")
}

// seedCrashStore creates the store in dir from city, as gridmap serve
// would, and an admin token; it returns the token's secret.
func seedCrashStore(t *testing.T, dir string, city *geo.City) string {
	t.Helper()
	st, err := openStore(dir, func() (*geo.City, error) { return city, nil })
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, secret, err := st.CreateToken(context.Background(), access.TokenSpec{Name: "crash", Role: access.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// checkRecovered checks a (re)started server against the edit log: it
// serves the last acknowledged version, or the one whose request was in
// flight; changesets 1 to that version are contiguous, each on the one
// before, with the acknowledged ids and the kinds sent, and whole; the
// grids served are those the last changeset left (lookups of the plan's
// buildings, the grid count of the export). It returns the version and
// the grid split off the plan's grid (0 when it is whole).
func checkRecovered(t *testing.T, a *apiClient, p splitPlan, log *editLog, baseGrids int) (uint64, geo.GridCode) {
	t.Helper()
	log.mu.Lock()
	sent, acked, last := maps.Clone(log.sent), maps.Clone(log.acked), log.last
	log.mu.Unlock()
	v, err := a.version()
	if err != nil {
		t.Fatal(err)
	}
	if v < last || v > last+1 || (v == last+1 && sent[v] == "") {
		t.Fatalf("after the restart the server is at version %d; the last acknowledged is %d (in flight: %q)", v, last, sent[last+1])
	}
	checkChangesets(t, a, v, sent, acked)
	split := v > 0 && sent[v] == edit.KindSplit
	n, err := a.gridAt(p.north.Point)
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.gridAt(p.south.Point)
	if err != nil {
		t.Fatal(err)
	}
	own := p.grid.Code.String()
	if got := n != s; got != split || (n != own && s != own) {
		t.Fatalf("at version %d (made by %q) the line's sides are in %s and %s; want the grid %s split: %v", v, sent[v], n, s, own, split)
	}
	for _, b := range p.buildings {
		want := s
		if p.isNorth(b) {
			want = n
		}
		if got, err := a.gridAt(b.Point); err != nil || got != want {
			t.Errorf("at version %d building %d is in %q (%v), want %s", v, b.ID, got, err, want)
		}
	}
	var grids struct{ Features []json.RawMessage }
	if err := a.getJSON("/v1/export/grids.geojson", &grids); err != nil {
		t.Fatal(err)
	}
	if want := baseGrids + boolInt(split); len(grids.Features) != want {
		t.Errorf("at version %d the export holds %d grids, want %d", v, len(grids.Features), want)
	}
	other := geo.GridCode(0)
	if split {
		other, err = splitOff(a, p)
		if err != nil {
			t.Fatal(err)
		}
	}
	return v, other
}

// checkChangesets checks GET /v1/changes and /v1/changes/{version} for
// versions 1 to v against what was sent and acknowledged.
func checkChangesets(t *testing.T, a *apiClient, v uint64, sent map[uint64]edit.Kind, acked map[uint64]string) {
	t.Helper()
	var list struct {
		Changes []struct {
			ID            string
			Version, Base uint64
			Kind          string
		}
	}
	if err := a.getJSON("/v1/changes?limit=1000", &list); err != nil {
		t.Fatal(err)
	}
	if uint64(len(list.Changes)) != v {
		t.Fatalf("GET /v1/changes lists %d changesets at version %d", len(list.Changes), v)
	}
	for i, cs := range list.Changes {
		want := uint64(i) + 1
		if cs.Version != want || cs.Base != want-1 || cs.Kind != string(sent[want]) {
			t.Errorf("changeset %d = version %d on %d, %q; want version %d on %d, %q", i, cs.Version, cs.Base, cs.Kind, want, want-1, sent[want])
		}
		if id, ok := acked[want]; ok && cs.ID != id {
			t.Errorf("changeset %d has id %q, acknowledged as %q", want, cs.ID, id)
		}
		var full struct {
			Version uint64
			Changes []struct {
				Kind          string
				Before, After json.RawMessage
			}
		}
		if err := a.getJSON("/v1/changes/"+strconv.FormatUint(want, 10), &full); err != nil {
			t.Fatal(err)
		}
		if full.Version != want {
			t.Errorf("GET /v1/changes/%d answers version %d", want, full.Version)
		}
		kinds := map[edit.ChangeKind]int{}
		for _, g := range full.Changes {
			k := edit.ChangeKind(g.Kind)
			kinds[k]++
			if isNull(g.Before) != (k == edit.ChangeAdded) || isNull(g.After) != (k == edit.ChangeRetired) {
				t.Errorf("changeset %d: a %s grid change has before %.40s and after %.40s", want, k, g.Before, g.After)
			}
		}
		wantKind := edit.ChangeAdded // a split adds the part split off
		if sent[want] == edit.KindMerge {
			wantKind = edit.ChangeRetired // a merge retires it
		}
		if kinds[wantKind] != 1 || kinds[edit.ChangeReshaped] != 1 {
			t.Errorf("changeset %d (%s) changes grids %v; want one %s and one reshaped", want, sent[want], kinds, wantKind)
		}
	}
}

// checkStoredCity opens the store (the server stopped) and checks the
// city at its latest version: the version acknowledged last or after,
// every building inside the grid it records, and every grid's building
// and household counts.
func checkStoredCity(t *testing.T, dir string, log *editLog) {
	t.Helper()
	st, err := openStore(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	state, err := st.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if state.Version < log.last {
		t.Fatalf("the store is at version %d, the last acknowledged is %d", state.Version, log.last)
	}
	snap, err := geo.NewSnapshot(state.City, state.Version)
	if err != nil {
		t.Fatalf("indexing the stored city: %v", err)
	}
	type count struct{ buildings, households int }
	counts := map[geo.GridCode]count{}
	for _, b := range snap.City.Buildings {
		if g, ok := snap.Locate(b.Point); !ok || g.Code != b.Grid {
			t.Errorf("building %d records grid %s but lies in %v", b.ID, b.Grid, g)
		}
		c := counts[b.Grid]
		counts[b.Grid] = count{c.buildings + 1, c.households + b.Households}
	}
	for _, g := range snap.City.Grids {
		if c := counts[g.Code]; g.Buildings != c.buildings || g.Households != c.households {
			t.Errorf("grid %s counts %d buildings, %d households; its buildings are %d with %d", g.Code, g.Buildings, g.Households, c.buildings, c.households)
		}
	}
}

// isNull reports whether a JSON value is absent or null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
