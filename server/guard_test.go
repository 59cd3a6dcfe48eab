package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/store"
)

// rawConn dials the server at base (http://host:port).
func rawConn(t *testing.T, base string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readAnswer reads one response from c, waiting at most d.
func readAnswer(t *testing.T, c net.Conn, d time.Duration) (*http.Response, string, error) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return nil, "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b), nil
}

// waitClosed reports whether the server closes c within d; it reads and
// discards what the server sends.
func waitClosed(c net.Conn, d time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	ne, ok := err.(net.Error)
	return !(ok && ne.Timeout())
}

func TestConnectionCapPerClient(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxConns = 4; c.MaxConnsPerIP = 2 })
	base, _, _, _ := startServer(t, s)
	rawConn(t, base)
	rawConn(t, base)
	over := rawConn(t, base)
	resp, body, err := readAnswer(t, over, 2*time.Second)
	if err != nil {
		t.Fatalf("third connection from one address: %v, want a 503 answer", err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third connection = %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "too many connections") {
		t.Errorf("body = %s", body)
	}
}

func TestConnectionCapFreesOnClose(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxConns = 1; c.MaxConnsPerIP = 1 })
	base, _, _, _ := startServer(t, s)
	first := rawConn(t, base)
	first.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz after the only connection closed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSlowBodyIsCutOff sends request bodies a byte at a time, slower than
// the minimum rate, and one that stops after its headers: the server must
// drop both within a few idle timeouts, not the stream timeout.
func TestSlowBodyIsCutOff(t *testing.T) {
	s := newTestServer(t, func(c *Config) {
		c.BodyIdleTimeout = 300 * time.Millisecond
		c.MinBodyRate = 1000
		c.StreamTimeout = time.Minute
	})
	base, _, _, _ := startServer(t, s)
	cases := []struct {
		name, ctype string
		every       time.Duration // 0: send nothing after the headers
	}{
		{"json dribble", "application/json", 100 * time.Millisecond},
		{"csv dribble", "text/csv", 100 * time.Millisecond},
		{"stalled after headers", "application/json", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := rawConn(t, base)
			_, err := io.WriteString(c, "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: "+tc.ctype+
				"\r\nContent-Length: 100000\r\n\r\n")
			if err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			defer close(stop)
			if tc.every > 0 {
				go func() {
					body := "lon,lat\n104.805,26.595\n"
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						case <-time.After(tc.every):
						}
						if _, err := c.Write([]byte{body[i%len(body)]}); err != nil {
							return
						}
					}
				}()
			}
			if !waitClosed(c, 10*time.Second) {
				t.Fatalf("a body at 10 bytes/s was still being read after 10 s (BodyIdleTimeout 300ms, MinBodyRate 1000)")
			}
		})
	}
	if st, _ := httpGet(t, base+"/healthz"); st != http.StatusOK {
		t.Errorf("/healthz after slow bodies = %d", st)
	}
}

// TestOversizedHeaders431 sends headers over the limit: the answer is a
// 431 the client can read, not a reset.
func TestOversizedHeaders431(t *testing.T) {
	s := newTestServer(t)
	base, _, _, _ := startServer(t, s)
	for _, n := range []int{16 << 10, 8 << 20} {
		c := rawConn(t, base)
		// The whole request is written before the answer is read, as
		// curl does: without lingering, the server's close resets the
		// connection under the client's write.
		_, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", n)+"\r\n\r\n")
		if err != nil {
			t.Fatalf("writing %d bytes of headers: %v, want the server to read them and answer 431", n, err)
		}
		resp, _, err := readAnswer(t, c, 5*time.Second)
		if err != nil {
			t.Fatalf("%d bytes of headers: %v, want a 431 answer", n, err)
		}
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%d bytes of headers = %d, want 431", n, resp.StatusCode)
		}
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestStreamCap429 holds one bulk stream open with MaxStreams 1: the
// next gets 429 with Retry-After, and once the first ends, streams run
// again.
func TestStreamCap429(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxStreams = 1; c.MaxStreamPoints = 1 << 20 })
	base, _, _, _ := startServer(t, s)
	pr, pw := io.Pipe()
	first := make(chan error, 1)
	go func() {
		resp, err := http.Post(base+"/v1/lookup", "text/csv", pr)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		first <- err
	}()
	if _, err := io.WriteString(pw, "lon,lat\n104.805,26.595\n"); err != nil {
		t.Fatal(err)
	}
	// Wait until the first stream holds the slot.
	deadline := time.Now().Add(5 * time.Second)
	for len(s.streams) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	resp, err := http.Post(base+"/v1/lookup", "application/x-ndjson", strings.NewReader("[104.805,26.595]\n"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("second stream = %d Retry-After %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	pw.Close()
	if err := <-first; err != nil {
		t.Fatalf("first stream: %v", err)
	}
	for {
		resp, err = http.Post(base+"/v1/lookup", "application/x-ndjson", strings.NewReader("[104.805,26.595]\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream after the first ended = %d, want 200", resp.StatusCode)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStoreFaultProblems(t *testing.T) {
	cases := []struct {
		name  string
		err   error
		want  int
		retry bool
	}{
		{"disk full", fmt.Errorf("committing: %w", &os.PathError{Op: "write", Path: "/x/gridmap.db", Err: syscall.ENOSPC}), 507, false},
		{"refused", fmt.Errorf("verifying: %w", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), 503, true},
		{"closed", fmt.Errorf("appending: %w", store.ErrClosed), 503, true},
		{"other", errors.New("boom"), 500, false},
	}
	for _, tc := range cases {
		p := problemOf(tc.err)
		if p.status != tc.want || (p.retryAfter > 0) != tc.retry {
			t.Errorf("%s: problemOf = %d Retry-After %d, want %d (Retry-After %v)", tc.name, p.status, p.retryAfter, tc.want, tc.retry)
		}
	}
}

// TestProtocolFaults covers the framing and header faults: conflicting
// Content-Length headers, a body declared over the limit with Expect:
// 100-continue, and forwarded hosts from untrusted clients.
func TestProtocolFaults(t *testing.T) {
	s := newTestServer(t) // BodyLimit 1024
	base, _, _, _ := startServer(t, s)
	t.Run("two Content-Length", func(t *testing.T) {
		c := rawConn(t, base)
		_, _ = io.WriteString(c, "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
			"Content-Length: 5\r\nContent-Length: 40\r\n\r\n{\"points\":[[104.805,26.595]]}  ")
		resp, _, err := readAnswer(t, c, 3*time.Second)
		if err != nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("two different Content-Length = %v %v, want 400", resp, err)
		}
	})
	t.Run("413 before 100 Continue", func(t *testing.T) {
		c := rawConn(t, base)
		_, _ = io.WriteString(c, "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
			"Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n")
		resp, _, err := readAnswer(t, c, 3*time.Second)
		if err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("declared 5 MB with Expect = %v %v, want 413 (not 100 Continue)", resp, err)
		}
	})
	t.Run("nosniff", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, base+"/healthz", nil)
		req.Header.Set("X-Forwarded-Host", "evil.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("X-Content-Type-Options = %q, want nosniff", resp.Header.Get("X-Content-Type-Options"))
		}
	})
}
