package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"runtime"
	"strings"
	"testing"
	"time"
)

// startServer runs s on 127.0.0.1:0 until the test ends and returns its
// base URL, a cancel func and a channel closed when RunListener returned.
func startServer(t *testing.T, s *Server) (string, context.CancelFunc, <-chan struct{}, *error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = s.RunListener(ctx, ln)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop within 10 s")
		}
	})
	return "http://" + ln.Addr().String(), cancel, done, &runErr
}

// reusedClient returns a keep-alive client and a counter of reused
// connections.
func reusedClient() (*http.Client, func(ctx context.Context) context.Context, *int) {
	reused := new(int)
	trace := func(ctx context.Context) context.Context {
		return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
			if i.Reused {
				*reused++
			}
		}})
	}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}, trace, reused
}

func TestOverRealListener(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxStreamPoints = 5000; c.StreamChunkBytes = 8192 })
	base, _, _, _ := startServer(t, s)
	client, trace, reused := reusedClient()
	get := func(path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(trace(context.Background()), http.MethodGet, base+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for range 5 {
		if st, body := get("/v1/lookup?lon=104.805&lat=26.595"); st != 200 || !strings.Contains(body, "520201001001001") {
			t.Fatalf("lookup = %d %s", st, body)
		}
	}

	rng := rand.New(rand.NewPCG(testSeed(t, 11), 0))
	ps := randomCityPoints(rng, 4000)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("csv stream chunked=%v", chunked), func(t *testing.T) {
			var in strings.Builder
			in.WriteString("seq,lon,lat\n")
			for i, p := range ps {
				fmt.Fprintf(&in, "%d,%s,%s\n", i, ftoa(p[0]), ftoa(p[1]))
			}
			var body io.Reader = strings.NewReader(in.String())
			if chunked {
				pr, pw := io.Pipe()
				go func() {
					w := bufio.NewWriterSize(pw, 1000)
					_, err := io.Copy(w, strings.NewReader(in.String()))
					if err == nil {
						err = w.Flush()
					}
					pw.CloseWithError(err)
				}()
				body = pr
			}
			req, _ := http.NewRequestWithContext(trace(context.Background()), http.MethodPost, base+"/v1/lookup", body)
			req.Header.Set("Content-Type", "text/csv")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("stream = %d, %v", resp.StatusCode, err)
			}
			out, _ = splitSummary(out)
			checkStreamOrder(t, s, "csv", string(out), ps)
		})
	}
	// The connection survives a stream cut at the row limit and a problem.
	req, _ := http.NewRequestWithContext(trace(context.Background()), http.MethodPost, base+"/v1/lookup",
		strings.NewReader("lon,lat\n"+strings.Repeat("104.805,26.595\n", 6000)))
	req.Header.Set("Content-Type", "text/csv")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := strings.Count(string(out), "\n"); n != 5003 {
		t.Errorf("limited stream has %d lines, want 5003 (header, 5,000 rows, the limit's error, the summary)", n)
	}
	if st, _ := get("/v1/lookup?lon=104.805&lat=26.595"); st != 200 {
		t.Errorf("lookup after a cut stream = %d", st)
	}
	if *reused < 6 {
		t.Errorf("%d requests reused a connection, want keep-alive for at least 6", *reused)
	}
}

// TestGracefulShutdown checks that Run returns nil on cancel and that a
// request in flight completes.
func TestGracefulShutdown(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxStreamPoints = 1 << 20 })
	base, cancel, done, runErr := startServer(t, s)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/lookup", pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	type result struct {
		lines int
		err   error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{strings.Count(string(b), "\n"), err}
	}()
	fmt.Fprintln(pw, `[104.805,26.595]`)
	time.Sleep(100 * time.Millisecond)
	cancel()
	time.Sleep(100 * time.Millisecond)
	fmt.Fprintln(pw, `[104.815,26.595]`)
	pw.Close()
	select {
	case r := <-got:
		if r.err != nil || r.lines != 3 {
			t.Errorf("in-flight stream = %d lines, %v; want 2 lines and the summary", r.lines, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("in-flight request did not finish")
	}
	select {
	case <-done:
		if *runErr != nil {
			t.Errorf("RunListener = %v, want nil", *runErr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunListener did not return")
	}
}

// TestUnreadBodyClosesConnection checks that a GET with a body, which no
// handler reads, is answered with Connection: close rather than leaving
// the body to be parsed as the next request.
func TestUnreadBodyClosesConnection(t *testing.T) {
	base, _, _, _ := startServer(t, newTestServer(t))
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n" + strings.Repeat("x", 20000)
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !resp.Close {
		t.Errorf("GET with a body = %d, close %v; want 200 with Connection: close", resp.StatusCode, resp.Close)
	}
}

// TestStreamClientGoesAway cuts a stream's connection mid-response and
// checks that the stream's goroutines end and the server still answers.
func TestStreamClientGoesAway(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.MaxStreamPoints = 1 << 20 })
	base, _, _, _ := startServer(t, s)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(conn, "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
	row := "104.805,26.595\n"
	chunk := "lon,lat\n" + strings.Repeat(row, 5000)
	fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
	defer conn.Close()
	buf := make([]byte, 4096)
	if _, err := io.ReadAtLeast(conn, buf, 100); err != nil {
		t.Fatalf("reading the start of the response: %v", err)
	}
	// The response head can reach the client before the pipeline's
	// goroutines are scheduled: wait for them a little.
	for start := time.Now(); pipelineGoroutines() == 0 && time.Since(start) < 3*time.Second; {
		time.Sleep(5 * time.Millisecond)
	}
	if pipelineGoroutines() == 0 {
		t.Fatal("no stream goroutines while the request is open")
	}
	conn.Close() // mid-request and mid-response
	deadline := time.Now().Add(5 * time.Second)
	for pipelineGoroutines() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := pipelineGoroutines(); n > 0 {
		t.Errorf("%d stream goroutines still running after the client left", n)
	}
	if st, err := http.Get(base + "/healthz"); err != nil || st.StatusCode != 200 {
		t.Errorf("healthz after an aborted stream: %v", err)
	}
}

// pipelineGoroutines counts goroutines running a stream pipeline.
func pipelineGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "bulk.(*Pipeline).produce") + strings.Count(string(buf), "bulk.(*Pipeline).work")
}
