package server

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/store/bolt"
)

const hookSecret = "s3cret-0123456789abcdef"

// A hookReceiver is a loopback webhook endpoint that fails its first
// failures requests (and while down), checks every signature, and records
// the versions it accepted.
type hookReceiver struct {
	t        *testing.T
	mu       sync.Mutex
	failures int
	down     bool
	got      []uint64
	srv      *httptest.Server
}

func newHookReceiver(t *testing.T, failures int) *hookReceiver {
	r := &hookReceiver{t: t, failures: failures}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	sig := req.Header.Get(SignatureHeader)
	ts, v1, _ := strings.Cut(strings.TrimPrefix(sig, "t="), ",v1=")
	if !hmac.Equal([]byte(v1), []byte(Sign(hookSecret, ts, body))) {
		r.t.Errorf("bad signature %q", sig)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev feedEventJSON
	if err := json.Unmarshal(body, &ev); err != nil || req.Header.Get("X-Gridmap-Version") != eventID(ev.Version) {
		r.t.Errorf("bad body %s: %v", body, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down || r.failures > 0 {
		r.failures--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	r.got = append(r.got, ev.Version)
	w.WriteHeader(http.StatusNoContent)
}

// waitFor polls until the receiver holds every version in want.
func (r *hookReceiver) waitFor(t *testing.T, want ...uint64) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 15*time.Second; time.Sleep(10 * time.Millisecond) {
		r.mu.Lock()
		have := map[uint64]bool{}
		for _, v := range r.got {
			have[v] = true
		}
		r.mu.Unlock()
		ok := true
		for _, v := range want {
			ok = ok && have[v]
		}
		if ok {
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t.Fatalf("the receiver got %v, want %v", r.got, want)
}

// registerHook registers a webhook for url as admin and returns its id.
func registerHook(t *testing.T, e *editEnv, url string) string {
	t.Helper()
	r := e.request(http.MethodPost, "/v1/webhooks", "admin", -1, `{"url":"`+url+`","secret":"`+hookSecret+`"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /v1/webhooks = %d %s", r.status, r.body)
	}
	var w webhookJSON
	decode(t, r.body, &w)
	return w.ID
}

// hookState reads GET /v1/webhooks/{id}.
func hookState(t *testing.T, e *editEnv, id string) webhookJSON {
	t.Helper()
	r := e.request(http.MethodGet, "/v1/webhooks/"+id, "admin", -1, "")
	if r.status != http.StatusOK {
		t.Fatalf("GET webhook = %d %s", r.status, r.body)
	}
	var w webhookJSON
	decode(t, r.body, &w)
	return w
}

// TestWebhookRetriesAcrossRestart registers a receiver that fails 3
// times: it still gets every changeset, signed, once it recovers; the
// failures show in GET /v1/webhooks/{id} and /metrics. Then the receiver
// goes down, a changeset is committed, the server stops, and the server
// started again on the same store delivers it once the receiver is back.
func TestWebhookRetriesAcrossRestart(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	e.s.hooks.minBackoff, e.s.hooks.maxBackoff = 20*time.Millisecond, 200*time.Millisecond
	rec := newHookReceiver(t, 3)
	id := registerHook(t, e, rec.srv.URL+"/hook")
	_, cancel, done, _ := startServer(t, e.s)
	splitMerge(t, e, 0)
	rec.waitFor(t, 1, 2)
	for start := time.Now(); hookState(t, e, id).Delivered != 2 && time.Since(start) < 10*time.Second; {
		time.Sleep(10 * time.Millisecond)
	}
	if w := hookState(t, e, id); w.Delivered != 2 || w.Lag != 0 || w.Attempts != 0 || w.LastSuccess.IsZero() {
		t.Errorf("webhook after recovery: %+v, want delivered 2, lag 0, no attempts", w)
	}
	metrics := string(e.request(http.MethodGet, "/metrics", "", -1, "").body)
	if !strings.Contains(metrics, `gridmap_webhook_deliveries_total{result="failed"} 3`) {
		t.Errorf("/metrics lacks the 3 failed deliveries:\n%s", grepLines(metrics, "webhook"))
	}

	rec.mu.Lock()
	rec.down = true
	rec.mu.Unlock()
	splitMerge(t, e, 2)
	for start := time.Now(); hookState(t, e, id).Attempts == 0 && time.Since(start) < 10*time.Second; {
		time.Sleep(10 * time.Millisecond)
	}
	if w := hookState(t, e, id); w.Attempts == 0 || w.LastError == "" || w.Lag != 2 {
		t.Errorf("webhook while the receiver is down: %+v, want attempts, the error and lag 2", w)
	}
	cancel()
	<-done
	e.st.Close()

	st, err := bolt.OpenOptions(e.dir, nil, bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s2, err := New(Config{}, nil, nil, WithStore(st), WithTokens(st), WithWebhookBackoff(20*time.Millisecond, 200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	rec.down = false
	rec.mu.Unlock()
	startServer(t, s2)
	rec.waitFor(t, 1, 2, 3, 4)
}

// grepLines returns the lines of s holding sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestWebhookBadInput checks the problems of bad registrations and of
// callers who are not admins.
func TestWebhookBadInput(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	cases := []struct {
		token, body, field string
		status             int
	}{
		{"admin", `{"url":"ftp://127.0.0.1/x","secret":"` + hookSecret + `"}`, "url", http.StatusBadRequest},
		{"admin", `{"url":"http://u:p@127.0.0.1/x","secret":"` + hookSecret + `"}`, "url", http.StatusBadRequest},
		{"admin", `{"url":"127.0.0.1/x","secret":"` + hookSecret + `"}`, "url", http.StatusBadRequest},
		{"admin", `{"url":"http://127.0.0.1/x","secret":"short"}`, "secret", http.StatusBadRequest},
		{"admin", `{"url":"http://127.0.0.1/x"}`, "secret", http.StatusBadRequest},
		{"admin", `{"url":1}`, "body", http.StatusBadRequest},
		{"admin", ``, "body", http.StatusBadRequest},
		{"viewer", `{"url":"http://127.0.0.1/x","secret":"` + hookSecret + `"}`, "", http.StatusForbidden},
		{"", `{"url":"http://127.0.0.1/x","secret":"` + hookSecret + `"}`, "", http.StatusUnauthorized},
	}
	for _, c := range cases {
		r := e.request(http.MethodPost, "/v1/webhooks", c.token, -1, c.body)
		if r.status != c.status {
			t.Errorf("POST %s as %q = %d %s, want %d", c.body, c.token, r.status, r.body, c.status)
			continue
		}
		if c.field != "" {
			wantProblem(t, r, c.status, c.field)
		}
	}
	if r := e.request(http.MethodGet, "/v1/webhooks/wh_nosuch", "admin", -1, ""); r.status != http.StatusNotFound {
		t.Errorf("GET unknown webhook = %d, want 404", r.status)
	}
	id := registerHook(t, e, "http://127.0.0.1:9/x")
	if r := e.request(http.MethodGet, "/v1/webhooks", "admin", -1, ""); r.status != http.StatusOK || strings.Contains(string(r.body), hookSecret) || !strings.Contains(string(r.body), id) {
		t.Errorf("GET /v1/webhooks = %d %s, want the webhook without its secret", r.status, r.body)
	}
	if r := e.request(http.MethodDelete, "/v1/webhooks/"+id, "admin", -1, ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE = %d %s", r.status, r.body)
	}
}
