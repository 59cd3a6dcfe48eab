package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// A client talks to one server with one admin token.
type client struct {
	base, token string
	hc          *http.Client
}

func newClient(base, token string) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	return &client{base: base, token: token, hc: &http.Client{Transport: tr, Timeout: 5 * time.Minute}}
}

// get fetches path and returns status, ETag and body.
func (c *client) get(path string) (int, string, []byte, error) {
	r, err := c.hc.Get(c.base + path)
	if err != nil {
		return 0, "", nil, err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	return r.StatusCode, r.Header.Get("ETag"), b, err
}

// warm waits for every derived view of the current version.
func (c *client) warm(t target) error {
	paths := []string{tilePath(t)}
	for _, p := range viewPaths(t) {
		paths = append(paths, p)
	}
	for _, p := range paths {
		if st, _, b, err := c.get(p); err != nil || st >= 300 {
			return fmt.Errorf("warming %s: %d %v %.200s", p, st, err, b)
		}
	}
	return nil
}

// viewPaths are the probes of each derived view: lookup, geocode,
// coverage, search (their bodies carry the version).
func viewPaths(t target) map[string]string {
	p := t.building.Point
	return map[string]string{
		"lookup":   fmt.Sprintf("/v1/lookup?lon=%.7f&lat=%.7f", p[0], p[1]),
		"geocode":  "/v1/geocode?address=" + url.QueryEscape(t.building.Address.String()),
		"coverage": "/v1/coverage?level=district",
		"search":   "/v1/search?q=" + t.grid.Code.String(),
	}
}

// tilePath is the z16 tile holding the middle of t's split line.
func tilePath(t target) string {
	mid := orb.Point{(t.grid.Bound.Min[0] + t.grid.Bound.Max[0]) / 2, t.lat}
	k := maptile.At(mid, 16)
	return fmt.Sprintf("/tiles/16/%d/%d.mvt", k.X, k.Y)
}

var versionRE = regexp.MustCompile(`"version":(\d+)`)

// commit splits t's grid on version base and returns the new version.
func (c *client) commit(base uint64, t target) (uint64, error) {
	b := t.grid.Bound
	op := edit.Op{Kind: edit.KindSplit, Grid: t.grid.Code, Reason: "bench",
		Line: orb.LineString{{b.Min[0] - 1e-3, t.lat}, {b.Max[0] + 1e-3, t.lat}}}
	body, err := op.MarshalJSON()
	if err != nil {
		return 0, err
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+"/v1/edits", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("If-Match", strconv.FormatUint(base, 10))
	r, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer r.Body.Close()
	rb, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusCreated {
		return 0, fmt.Errorf("commit split of %s = %d %.400s", t.grid.Code, r.StatusCode, rb)
	}
	var got struct{ Version uint64 }
	if err := json.Unmarshal(rb, &got); err != nil {
		return 0, err
	}
	return got.Version, nil
}

// version returns the version served.
func (c *client) version() (uint64, error) {
	_, _, b, err := c.get("/v1/version")
	if err != nil {
		return 0, err
	}
	m := versionRE.FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("no version in %s", b)
	}
	return strconv.ParseUint(string(m[1]), 10, 64)
}

// A freshness tracks, per commit, when each view first served it.
type freshness struct {
	mu       sync.Mutex
	versions []uint64
	answered []time.Time
	seen     []map[string]time.Duration
}

// answer records commit k's version and answer time.
func (f *freshness) answer(ver uint64, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.versions = append(f.versions, ver)
	f.answered = append(f.answered, at)
	f.seen = append(f.seen, map[string]time.Duration{})
}

// saw records that view served version ver at time at.
func (f *freshness) saw(view string, ver uint64, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, v := range f.versions {
		if v <= ver {
			if _, ok := f.seen[k][view]; !ok {
				f.seen[k][view] = max(0, at.Sub(f.answered[k]))
			}
		}
	}
}

// sawTile records that commit k's tile changed at time at.
func (f *freshness) sawTile(k int, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.seen[k]["tiles"]; !ok {
		f.seen[k]["tiles"] = max(0, at.Sub(f.answered[k]))
	}
}

// complete reports whether every commit has been seen by n views.
func (f *freshness) complete(n int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.seen {
		if len(s) < n {
			return false
		}
	}
	return true
}

// worst returns, per commit, the latest of its views.
func (f *freshness) worst() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]time.Duration, len(f.seen))
	for k, s := range f.seen {
		for _, d := range s {
			out[k] = max(out[k], d)
		}
	}
	return out
}

// byView returns, per view, how long after each commit it served it.
func (f *freshness) byView() map[string][]time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]time.Duration{}
	for _, s := range f.seen {
		for view, d := range s {
			out[view] = append(out[view], d)
		}
	}
	return out
}

func (f *freshness) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.versions)
}

// commitRun commits the targets back to back (gap apart) while pollers watch every
// view; it returns, per commit, when the last view served it and the
// commit latencies.
func (c *client) commitRun(ctx context.Context, ts []target, gap time.Duration) (f *freshness, lat []time.Duration, err error) {
	ver, err := c.version()
	if err != nil {
		return nil, nil, err
	}
	etags := make([]string, len(ts))
	for i, t := range ts {
		_, etags[i], _, _ = c.get(tilePath(t))
	}
	f = &freshness{}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for name, path := range viewPaths(ts[0]) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.pollVersion(ctx, f, name, path)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.pollTiles(ctx, f, ts, etags)
	}()
	for i, t := range ts {
		if i > 0 {
			time.Sleep(gap)
		}
		t0 := time.Now()
		ver, err = c.commit(ver, t)
		if err != nil {
			cancel()
			wg.Wait()
			return nil, nil, err
		}
		now := time.Now()
		lat = append(lat, now.Sub(t0))
		f.answer(ver, now)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for !f.complete(5) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if !f.complete(5) {
		return nil, nil, fmt.Errorf("some view never served the last versions within 2 minutes")
	}
	return f, lat, nil
}

// pollVersion requests path until ctx ends, recording the version of
// each answer.
func (c *client) pollVersion(ctx context.Context, f *freshness, name, path string) {
	for ctx.Err() == nil {
		st, _, b, err := c.get(path)
		at := time.Now()
		if err == nil && st < 300 {
			if m := versionRE.FindSubmatch(b); m != nil {
				v, _ := strconv.ParseUint(string(m[1]), 10, 64)
				f.saw(name, v, at)
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// pollTiles polls, from the moment each commit is answered, the tile
// under that commit's split line until it changes, every commit's tile
// on its own goroutine (as map clients viewing different places would),
// so that one commit's wait never includes the renders of the commits
// before it. Requests for the same version share its renderer.
func (c *client) pollTiles(ctx context.Context, f *freshness, ts []target, etags []string) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for k := range ts {
		for ctx.Err() == nil && f.count() <= k {
			time.Sleep(time.Millisecond)
		}
		if ctx.Err() != nil {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, etag, _, err := c.get(tilePath(ts[k]))
				if err == nil && etag != etags[k] {
					f.sawTile(k, time.Now())
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
}
