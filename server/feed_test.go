package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store/bolt"
	"github.com/paulmach/orb"
)

// An sseEvent is one event read from a change stream.
type sseEvent struct {
	id, name string
	data     feedEventJSON
}

// feedEventJSON is the data of a changeset event.
type feedEventJSON struct {
	Version   uint64              `json:"version"`
	ID        string              `json:"id"`
	Author    string              `json:"author"`
	Reason    string              `json:"reason"`
	Time      time.Time           `json:"time"`
	Created   []string            `json:"created"`
	Retired   []string            `json:"retired"`
	Changed   []string            `json:"changed"`
	Crosswalk []edit.CrosswalkRow `json:"crosswalk"`
	Tiles     []edit.TileKey      `json:"tiles"`
	Ranges    []tileRange         `json:"tile_ranges"`
}

// An sseClient reads a change stream in the background.
type sseClient struct {
	events     chan sseEvent
	heartbeats chan struct{}
	resp       *http.Response
}

// openStream connects to base's change stream with header Last-Event-ID
// lastID ("" for none) and query.
func openStream(t testing.TB, base, lastID, query string) *sseClient {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/changes/stream"+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET stream: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET stream = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{events: make(chan sseEvent, 100), heartbeats: make(chan struct{}, 100), resp: resp}
	t.Cleanup(func() { resp.Body.Close() })
	go c.read(t)
	return c
}

// read parses the stream into events until it ends.
func (c *sseClient) read(t testing.TB) {
	defer close(c.events)
	sc := bufio.NewScanner(c.resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" && ev.id != "":
			c.events <- ev
			ev = sseEvent{}
		case line == ": heartbeat":
			select {
			case c.heartbeats <- struct{}{}:
			default:
			}
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(line[6:]), &ev.data); err != nil {
				t.Errorf("event data %q: %v", line, err)
			}
		}
	}
}

// next returns the next event, failing after 10 s.
func (c *sseClient) next(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return sseEvent{}
}

// wantVersions reads events and checks their ids are versions, in order.
func (c *sseClient) wantVersions(t *testing.T, versions ...uint64) []sseEvent {
	t.Helper()
	var out []sseEvent
	for _, v := range versions {
		ev := c.next(t)
		if ev.id != strconv.FormatUint(v, 10) || ev.data.Version != v || ev.name != "changeset" {
			t.Fatalf("event %s %q (version %d), want changeset %d", ev.name, ev.id, ev.data.Version, v)
		}
		out = append(out, ev)
	}
	return out
}

// splitMerge commits a split of grid 1 then the merge back, on base.
func splitMerge(t *testing.T, e *editEnv, base int) {
	t.Helper()
	g1 := mustCode(t, tCommunity1, 1)
	e.commit("admin", base, edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "split"})
	e.commit("admin", base+1, edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, addedGrid(t, e.s.Snapshot(), g1)}, Reason: "merge"})
}

// TestChangeStream follows commits live, resumes from Last-Event-ID and
// ?since=, and checks what an event says.
func TestChangeStream(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	base, _, _, _ := startServer(t, e.s)
	live := openStream(t, base, "", "")
	city := e.s.Snapshot().City
	box := city.Grids[0].Bound.Union(city.Grids[4].Bound)
	before := servedTiles(t, e, box)
	g1 := mustCode(t, tCommunity1, 1)
	e.commit("admin", 0, edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "split"})
	after := servedTiles(t, e, box)
	e.commit("admin", 1, edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, addedGrid(t, e.s.Snapshot(), g1)}, Reason: "merge"})
	evs := live.wantVersions(t, 1, 2)
	split := evs[0].data
	if split.Author != "admin" || split.Reason != "split" || len(split.Created) != 1 || len(split.Changed) == 0 || split.Time.IsZero() {
		t.Errorf("split event: %+v, want author admin, reason, time, one grid created, changed ones", split)
	}
	if merge := evs[1].data; len(merge.Retired) != 1 {
		t.Errorf("merge event retired %v, want one grid", merge.Retired)
	}
	listed := map[string]bool{}
	for _, k := range split.Tiles {
		listed[strconv.Itoa(int(k.Z))+"/"+strconv.Itoa(int(k.X))+"/"+strconv.Itoa(int(k.Y))] = true
	}
	changed := 0
	inRange := func(k string) bool {
		var z, x, y uint32
		fmt.Sscanf(k, "%d/%d/%d", &z, &x, &y)
		for _, r := range split.Ranges {
			if r.Z == z && x >= r.MinX && x <= r.MaxX && y >= r.MinY && y <= r.MaxY {
				return true
			}
		}
		return false
	}
	for k := range after {
		if before[k] != after[k] {
			changed++
			if !listed[k] && !inRange(k) {
				t.Errorf("tile %s changed but the event does not list it", k)
			}
		}
	}
	if changed == 0 {
		t.Error("the split changed no served tile")
	}
	openStream(t, base, "1", "").wantVersions(t, 2)
	openStream(t, base, "", "?since=0").wantVersions(t, 1, 2)
	resumed := openStream(t, base, "0", "")
	resumed.wantVersions(t, 1, 2)
	splitMerge(t, e, 2)
	live.wantVersions(t, 3, 4)
	resumed.wantVersions(t, 3, 4)
}

// TestChangeStreamBadInput checks the problems of bad resume positions.
func TestChangeStreamBadInput(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	cases := []struct {
		hdr   []string
		query string
		field string
	}{
		{[]string{"Last-Event-ID", "abc"}, "", "Last-Event-ID"},
		{[]string{"Last-Event-ID", "-1"}, "", "Last-Event-ID"},
		{[]string{"Last-Event-ID", "5"}, "", "Last-Event-ID"},
		{nil, "?since=x", "since"},
		{nil, "?since=9", "since"},
	}
	for _, c := range cases {
		wantProblem(t, do(t, e.s, http.MethodGet, "/v1/changes/stream"+c.query, "", "", c.hdr...), http.StatusBadRequest, c.field)
	}
}

// TestChangeStreamHeartbeat checks that an idle stream gets heartbeats.
func TestChangeStreamHeartbeat(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	e.s.feed.heartbeat = 50 * time.Millisecond
	base, _, _, _ := startServer(t, e.s)
	c := openStream(t, base, "", "")
	for range 2 {
		select {
		case <-c.heartbeats:
		case <-time.After(10 * time.Second):
			t.Fatal("no heartbeat within 10 s")
		}
	}
}

// TestFeedDropsSlowClient checks that a client that does not read is
// dropped once its buffer is full, not buffered without bound.
func TestFeedDropsSlowClient(t *testing.T) {
	var h feedHub
	h.init()
	slow, _ := h.subscribe()
	fast, _ := h.subscribe()
	for v := uint64(1); v <= feedClientBuffer+1; v++ {
		h.mu.Lock()
		h.sendLocked(encodedEvent{version: v})
		h.mu.Unlock()
		if v <= feedClientBuffer {
			<-fast.ch
		}
	}
	if !slow.dropped || fast.dropped {
		t.Fatalf("slow dropped %v, fast dropped %v; want only the slow one", slow.dropped, fast.dropped)
	}
	n := 0
	for range slow.ch {
		n++
	}
	if n != feedClientBuffer {
		t.Errorf("the slow client's channel held %d events, want %d and closed", n, feedClientBuffer)
	}
	if ev, ok := h.recentEvent(3); !ok || ev.version != 3 {
		t.Errorf("recentEvent(3) = %v %v", ev.version, ok)
	}
}

// TestChangeStreamAcrossRestart commits, stops the server and its bbolt
// store, opens both again and resumes from Last-Event-ID: nothing is lost
// and the new commits follow.
func TestChangeStreamAcrossRestart(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	base, cancel, done, _ := startServer(t, e.s)
	c := openStream(t, base, "", "")
	splitMerge(t, e, 0)
	c.wantVersions(t, 1)
	cancel()
	<-done
	e.st.Close()

	st, err := bolt.OpenOptions(e.dir, nil, bolt.Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening the store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	s2, err := New(Config{}, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.s, e.st = s2, st
	base2, _, _, _ := startServer(t, s2)
	c2 := openStream(t, base2, "1", "")
	c2.wantVersions(t, 2)
	splitMerge(t, e, 2)
	c2.wantVersions(t, 3, 4)
}
