package server

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"zero is valid", Config{}, ""},
		{"defaults are valid", DefaultConfig(), ""},
		{"negative timeout", Config{ReadTimeout: -time.Second}, "ReadTimeout"},
		{"negative limit", Config{MaxBatchPoints: -1}, "MaxBatchPoints"},
		{"tiny chunks", Config{StreamChunkBytes: 100}, "StreamChunkBytes"},
		{"tiny records", Config{MaxRecordBytes: 10}, "MaxRecordBytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
			if _, nerr := New(tc.cfg, nil, nil); (nerr == nil) != (tc.want == "") {
				t.Errorf("New() = %v, want error %v", nerr, tc.want != "")
			}
		})
	}
	if got := (Config{}).withDefaults(); !reflect.DeepEqual(got, DefaultConfig()) {
		t.Errorf("Config{}.withDefaults() = %+v, want DefaultConfig()", got)
	}
}

// TestRunCancelledAtOnce checks that Run stops even when cancelled before
// the server has started serving.
func TestRunCancelledAtOnce(t *testing.T) {
	for range 20 {
		s := newTestServer(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		done := make(chan error, 1)
		go func() { done <- s.RunListener(ctx, ln) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("RunListener = %v, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("RunListener did not return")
		}
	}
}

func TestRunBadAddr(t *testing.T) {
	s, err := New(Config{Addr: "127.0.0.1:-1"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "listening on 127.0.0.1:-1") {
		t.Errorf("Run on a bad address = %v, want a listening error", err)
	}
}

// TestSwapWhileServing looks points up while snapshots are swapped; run
// with -race.
func TestSwapWhileServing(t *testing.T) {
	s := newTestServer(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				s.Swap(testSnapshot(t))
			}
		}
	}()
	for range 200 {
		r := do(t, s, http.MethodGet, "/v1/lookup?lon=104.805&lat=26.595", "", "")
		if r.status != http.StatusOK || !bytes.Contains(r.body, []byte("520201001001001")) {
			t.Fatalf("lookup during swaps = %d %s", r.status, r.body)
		}
	}
	close(stop)
	wg.Wait()
}

// TestLogs checks the sampled access log and that failures are logged.
func TestLogs(t *testing.T) {
	var buf safeBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(Config{AccessLogEvery: 2}, testSnapshot(t), log, WithMount(func(s *Server) error {
		return s.Handle(http.MethodGet, "/fail", func(*fiber.Ctx) error { return context.DeadlineExceeded })
	}))
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		do(t, s, http.MethodGet, "/healthz", "", "")
	}
	do(t, s, http.MethodGet, "/fail", "", "")
	do(t, s, http.MethodGet, "/v1/lookup?lon=x", "", "")
	out := buf.String()
	if n := strings.Count(out, `"msg":"request",`); n != 3 {
		t.Errorf("%d sampled access lines for 6 requests every 2nd, want 3:\n%s", n, out)
	}
	if !strings.Contains(out, `"level":"ERROR","msg":"request failed"`) || !strings.Contains(out, "deadline exceeded") {
		t.Errorf("the 500 was not logged as an error:\n%s", out)
	}
	if !strings.Contains(out, `"msg":"request rejected"`) {
		t.Errorf("the 400 was not logged at debug:\n%s", out)
	}
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMountRejectsBadMethod(t *testing.T) {
	_, err := New(Config{}, nil, nil, WithMount(func(s *Server) error {
		return s.Handle("BREW", "/coffee", func(*fiber.Ctx) error { return nil })
	}))
	if err == nil || !strings.Contains(err.Error(), "BREW") {
		t.Errorf("New with a BREW route = %v, want an error", err)
	}
}

func TestHeadExport(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodHead, "/v1/export/grids.geojson", "", "")
	if r.status != 200 || len(r.body) != 0 || r.header.Get("Content-Type") != "application/geo+json" {
		t.Errorf("HEAD export = %d, %d bytes, %q", r.status, len(r.body), r.header.Get("Content-Type"))
	}
}
