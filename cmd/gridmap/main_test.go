package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/cityio"
)

// syncBuffer is a bytes.Buffer safe for the server's logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

// run executes the command line and returns its stdout.
func run(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	cmd := newRootCmd(&out, &errOut, noEnv)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

// startServe runs "gridmap serve" in process on 127.0.0.1:0 and returns
// its base URL once /readyz answers 200, a stop func that cancels it and
// returns its error, and its log.
func startServe(t *testing.T, env func(string) string, args ...string) (string, func() error, *syncBuffer) {
	t.Helper()
	var out, logs syncBuffer
	cmd := newRootCmd(&out, &logs, env)
	cmd.SetArgs(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			return fmt.Errorf("serve did not stop within 15 s")
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ready := logField(logs.String(), "ready", "addr"); ready != "" {
			base := "http://" + ready
			if resp, err := http.Get(base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return base, stop, &logs
				}
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	stop()
	t.Fatalf("serve not ready within 30 s; log:\n%s", logs.String())
	return "", nil, nil
}

// logField returns the field of the first JSON log line with message msg.
func logField(log, msg, field string) string {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			return fmt.Sprint(m[field])
		}
	}
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestVersion(t *testing.T) {
	out, err := run(t, context.Background(), "version")
	if err != nil || out != "gridmap dev\n" {
		t.Errorf("gridmap version = %q, %v; want \"gridmap dev\\n\"", out, err)
	}
}

func TestServeFixtureCity(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	env := func(k string) string {
		if k == "GRIDMAP_LOG_LEVEL" {
			return "debug"
		}
		return ""
	}
	base, stop, logs := startServe(t, env)
	if st, body := get(t, base+"/v1/lookup?lon=104.8304&lat=26.5925"); st != 200 || !strings.Contains(body, `"district":{"code":"520201000000","name":"钟山区"}`) {
		t.Errorf("lookup at the city government = %d %s, want a grid in 钟山区", st, body)
	}
	if st, body := get(t, base+"/metrics"); st != 200 || !strings.Contains(body, `gridmap_objects{kind="grids"} 2176`) {
		t.Errorf("metrics = %d, lacking 2176 grids", st)
	}
	if err := stop(); err != nil {
		t.Errorf("serve after cancel = %v, want nil", err)
	}
	for _, msg := range []string{"listening", "ready", "shutting down", "stopped"} {
		if logField(logs.String(), msg, "msg") == "" {
			t.Errorf("log lacks %q:\n%s", msg, logs.String())
		}
	}
	if ms := logField(logs.String(), "ready", "startup_ms"); ms == "" {
		t.Error("ready line lacks startup_ms")
	}
}

// TestFixturesRoundTrip writes the fixture city, serves it with --data and
// checks that a building's point finds the building's grid.
func TestFixturesRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	dir := t.TempDir()
	out, err := run(t, context.Background(), "fixtures", "--out", dir, "--seed", "1")
	if err != nil || !strings.Contains(out, "2176 grids") {
		t.Fatalf("gridmap fixtures = %q, %v", out, err)
	}
	city, err := cityio.Read(dir)
	if err != nil {
		t.Fatalf("reading back %s: %v", dir, err)
	}
	base, stop, _ := startServe(t, noEnv, "--data", dir)
	defer stop()
	for i := 0; i < len(city.Buildings); i += len(city.Buildings) / 20 {
		b := city.Buildings[i]
		st, body := get(t, fmt.Sprintf("%s/v1/lookup?lon=%v&lat=%v", base, b.Point[0], b.Point[1]))
		if st != 200 || !strings.Contains(body, `"code":"`+b.Grid.String()+`"`) {
			t.Errorf("lookup of building %d = %d %s, want grid %s", b.ID, st, body, b.Grid)
		}
	}
	if st, _ := get(t, base+"/v1/export/grids.geojson"); st != 200 {
		t.Errorf("export = %d", st)
	}
}

func TestBadCommandLines(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"fixtures without --out", []string{"fixtures"}, nil, "--out"},
		{"bad log level", []string{"serve", "--log-level", "loud"}, nil, "log level"},
		{"bad env scale", []string{"serve"}, map[string]string{"GRIDMAP_SCALE": "many"}, "GRIDMAP_SCALE"},
		{"missing data dir", []string{"serve", "--addr", "127.0.0.1:0", "--data", "/nonexistent/city"}, nil, "/nonexistent/city"},
		{"bad scale", []string{"serve", "--addr", "127.0.0.1:0", "--scale", "-3"}, nil, "scale"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut syncBuffer
			cmd := newRootCmd(&out, &errOut, func(k string) string { return tc.env[k] })
			cmd.SetArgs(tc.args)
			err := cmd.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("gridmap %v = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
		})
	}
}
