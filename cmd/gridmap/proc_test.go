//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// buildGridmap builds the gridmap command into a temporary directory and
// returns its path.
func buildGridmap(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building gridmap: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "gridmap")
	start := time.Now()
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built gridmap in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// A child is a gridmap serve process.
type child struct {
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
	base string        // http://host:port once ready
}

// launchServe starts "gridmap serve" on a free 127.0.0.1 port without
// waiting for it; waitReady does. The process gets SIGKILL if the test
// process dies, and when the test ends.
func launchServe(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	return launchServeEnv(t, bin, nil, args...)
}

// launchServeEnv is launchServe with extra environment variables.
func launchServeEnv(t *testing.T, bin string, env []string, args ...string) *child {
	t.Helper()
	c := &child{logs: &syncBuffer{}, done: make(chan struct{})}
	c.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	c.cmd.Env = append(childEnv(), env...)
	c.cmd.Stdout, c.cmd.Stderr = io.Discard, c.logs
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("starting gridmap serve: %v", err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// childEnv is the test's environment without GRIDMAP_ variables, which
// would change the child's flags.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GRIDMAP_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady waits until the child logs "ready" and /readyz answers 200.
func (c *child) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if addr := logField(c.logs.String(), "ready", "addr"); addr != "" {
			c.base = "http://" + addr
			if resp, err := http.Get(c.base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
		}
		select {
		case <-c.done:
			t.Fatalf("gridmap serve exited early: %v\n%s", c.err, c.logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("gridmap serve not ready within 30 s; log:\n%s", c.logs.String())
}

// startServeProcess launches gridmap serve and waits until it is ready.
func startServeProcess(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	c := launchServe(t, bin, args...)
	c.waitReady(t)
	return c
}

// kill sends SIGKILL and waits for the process to die.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("killing gridmap serve: %v", err)
	}
	<-c.done
}

// stop sends SIGTERM and requires a clean exit within 15 s.
func (c *child) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("stopping gridmap serve: %v", err)
	}
	select {
	case <-c.done:
	case <-time.After(15 * time.Second):
		t.Fatalf("gridmap serve did not stop within 15 s of SIGTERM; log:\n%s", c.logs.String())
	}
	if c.err != nil {
		t.Errorf("gridmap serve exited with %v after SIGTERM; log:\n%s", c.err, c.logs.String())
	}
}

// apiClient talks to a gridmap server over HTTP. Its methods return
// errors rather than failing the test, so the editing stream can run in
// a goroutine and stop when the server dies.
type apiClient struct {
	base, token string
	hc          *http.Client
}

// errNoAnswer is returned (wrapped) by apiClient when the server gave no
// whole answer: it is down or was killed.
var errNoAnswer = errors.New("no answer from the server")

func newAPIClient(base, token string) *apiClient {
	return &apiClient{base: base, token: token, hc: &http.Client{Timeout: 10 * time.Second}}
}

// do sends a request with the bearer token and, when ifMatch >= 0,
// If-Match; it returns the status and body.
func (a *apiClient) do(method, path string, ifMatch int64, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if ifMatch >= 0 {
		req.Header.Set("If-Match", strconv.FormatInt(ifMatch, 10))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s %s: %v", errNoAnswer, method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s %s: reading the answer: %v", errNoAnswer, method, path, err)
	}
	return resp.StatusCode, b, nil
}

// getJSON fetches path and decodes a 200 answer into v.
func (a *apiClient) getJSON(path string, v any) error {
	st, body, err := a.do(http.MethodGet, path, -1, nil)
	if err != nil {
		return err
	}
	if st != http.StatusOK {
		return fmt.Errorf("GET %s = %d %.300s", path, st, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w: %.300s", path, err, body)
	}
	return nil
}

// version returns the version the server serves.
func (a *apiClient) version() (uint64, error) {
	var got struct{ Version uint64 }
	err := a.getJSON("/v1/version", &got)
	return got.Version, err
}

// gridAt looks p up and returns its grid's code.
func (a *apiClient) gridAt(p orb.Point) (string, error) {
	var got struct{ Grid struct{ Code string } }
	path := fmt.Sprintf("/v1/lookup?lon=%s&lat=%s", ftoa(p[0]), ftoa(p[1]))
	if err := a.getJSON(path, &got); err != nil {
		return "", err
	}
	return got.Grid.Code, nil
}

// commit posts op on version base and returns the answer's status, body
// and, for a 201, the changeset id and new version.
func (a *apiClient) commit(op edit.Op, base uint64) (int, []byte, string, uint64, error) {
	body, err := op.MarshalJSON()
	if err != nil {
		return 0, nil, "", 0, err
	}
	st, resp, err := a.do(http.MethodPost, "/v1/edits", int64(base), body)
	if err != nil || st != http.StatusCreated {
		return st, resp, "", 0, err
	}
	var got struct {
		Changeset string
		Version   uint64
	}
	if err := json.Unmarshal(resp, &got); err != nil {
		return st, resp, "", 0, fmt.Errorf("commit answer %.300s: %w", resp, err)
	}
	return st, resp, got.Changeset, got.Version, nil
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// A splitPlan is a grid with a west-east line through it and a building
// on each side of the line.
type splitPlan struct {
	grid         *geo.Grid
	line         orb.LineString
	buildings    []*geo.Building // the grid's buildings
	north, south *geo.Building
}

// split is the split edit; merge joins the grid with other again.
func (p splitPlan) split() edit.Op {
	return edit.Op{Kind: edit.KindSplit, Grid: p.grid.Code, Line: p.line, Reason: "the estate grew past 500 households"}
}

func (p splitPlan) merge(other geo.GridCode) edit.Op {
	return edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{p.grid.Code, other}, Reason: "the estates were joined again"}
}

// isNorth reports whether b lies north of the split line.
func (p splitPlan) isNorth(b *geo.Building) bool { return b.Point[1] > p.line[0][1] }

// planSplit finds a grid of community comm with buildings on both sides
// of a west-east line through it.
func planSplit(t *testing.T, s *geo.Snapshot, comm geo.DivisionCode) splitPlan {
	t.Helper()
	for _, g := range s.GridsOf(comm) {
		bs := s.BuildingsIn(g.Code)
		if len(bs) < 4 {
			continue
		}
		lats := make([]float64, len(bs))
		for i, b := range bs {
			lats[i] = b.Point[1]
		}
		slices.Sort(lats)
		mid := len(lats) / 2
		if lats[mid]-lats[mid-1] < 2e-5 {
			continue
		}
		lat := (lats[mid] + lats[mid-1]) / 2
		p := splitPlan{grid: g, buildings: bs,
			line: orb.LineString{{g.Bound.Min[0] - 1e-3, lat}, {g.Bound.Max[0] + 1e-3, lat}}}
		for _, b := range bs {
			if p.isNorth(b) {
				p.north = b
			} else {
				p.south = b
			}
		}
		return p
	}
	t.Fatalf("community %s has no grid to split", comm)
	return splitPlan{}
}

// fixtureSnapshot generates the city gridmap serve seeds a new store with
// (seed 1, scale 1) and indexes it.
func fixtureSnapshot(t *testing.T) *geo.Snapshot {
	t.Helper()
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := geo.NewSnapshot(city, 0)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// testSeed returns SEED from the environment, or a new seed; it logs it.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (rerun with SEED=%d)", seed, seed)
	return seed
}
