package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// stallGuard bounds how long a test waits for an answer that must come
// while another edit is held inside its validation: reached only when the
// answer waits for that edit, which is the fault under test.
const stallGuard = 2 * time.Minute

// denseSquare returns the counter-clockwise ring of a lon/lat box with n
// vertices spread evenly along its edges.
func denseSquare(minLon, minLat, maxLon, maxLat float64, n int) orb.Ring {
	corners := square(minLon, minLat, maxLon, maxLat)
	per := max(1, n/4)
	var r orb.Ring
	for i := range 4 {
		a, b := corners[i], corners[i+1]
		for k := range per {
			f := float64(k) / float64(per)
			r = append(r, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
		}
	}
	return append(r, r[0])
}

// hugeReplace redraws grid 2 of community 1 as the same square with n
// vertices: valid, and as slow to validate as its size makes it.
func hugeReplace(t *testing.T, n int) edit.Op {
	return edit.Op{Kind: edit.KindReplace, Grid: mustCode(t, tCommunity1, 2),
		Geometry: multi(denseSquare(104.81, 26.59, 104.82, 26.60, n)), Reason: "redrawn from a survey"}
}

// smallSplit splits grid 1 of community 1 in two.
func smallSplit(t *testing.T) edit.Op {
	return edit.Op{Kind: edit.KindSplit, Grid: mustCode(t, tCommunity1, 1),
		Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "the estate was divided"}
}

// httpAnswer is a response read whole.
type httpAnswer struct {
	status int
	header http.Header
	body   string
	err    error
}

// postEdit sends op to path (/v1/edits or /v1/edits/preview) on base as
// secret's, on version ifMatch.
func postEdit(t *testing.T, base, path, secret string, ifMatch int, op edit.Op) httpAnswer {
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(opJSON(t, op)))
	if err != nil {
		return httpAnswer{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("If-Match", fmt.Sprint(ifMatch))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return httpAnswer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return httpAnswer{status: resp.StatusCode, header: resp.Header, body: string(b), err: err}
}

// holdFirstValidation makes the server's first validation wait, holding
// its slot, until the returned release is called; entered is closed when
// it starts waiting. Later validations run at once.
func holdFirstValidation(t *testing.T, s *Server) (entered <-chan struct{}, release func()) {
	in, out := make(chan struct{}), make(chan struct{})
	var first, done sync.Once
	s.editor.onValidate = func(context.Context) {
		held := false
		first.Do(func() { held = true })
		if held {
			close(in)
			<-out
		}
	}
	release = func() { done.Do(func() { close(out) }) }
	t.Cleanup(release)
	return in, release
}

// TestLargeEditDoesNotStallOthers holds a planner's 50,000-vertex replace
// inside its validation and commits another planner's small split
// meanwhile: the split must be acknowledged while the replace is still
// being validated (validation no longer holds the commit lock). When the
// replace's validation ends, its base is no longer current: 409, and
// nothing of it is committed.
func TestLargeEditDoesNotStallOthers(t *testing.T) {
	// The time held counts against the budget: make it ample.
	e := newEditEnv(t, testCity(t), func(c *Config) { c.EditBudget = time.Hour })
	entered, release := holdFirstValidation(t, e.s)
	base := serveOn(t, e.s)
	bigDone := make(chan httpAnswer, 1)
	go func() { bigDone <- postEdit(t, base, "/v1/edits", e.secret["admin"], 0, hugeReplace(t, 50_000)) }()
	select {
	case <-entered:
	case a := <-bigDone:
		t.Fatalf("the large replace answered %d %.300s before its validation started", a.status, a.body)
	}
	e.token("planner-2", "planner", tSubdistrict)
	splitDone := make(chan httpAnswer, 1)
	go func() { splitDone <- postEdit(t, base, "/v1/edits", e.secret["planner-2"], 0, smallSplit(t)) }()
	select {
	case a := <-splitDone:
		if a.err != nil || a.status != http.StatusCreated {
			t.Fatalf("small split while a large replace validates = %d %v %.300s, want 201", a.status, a.err, a.body)
		}
	case <-time.After(stallGuard):
		t.Fatalf("the small split was not acknowledged in %v while the large replace was being validated: it waits for it", stallGuard)
	}
	select {
	case a := <-bigDone:
		t.Fatalf("the large replace answered %d before its validation was let go", a.status)
	default: // still validating, as it must be
	}
	if e.version() != 1 {
		t.Fatalf("serving version %d after the split, want 1", e.version())
	}
	release()
	a := <-bigDone
	if a.err != nil || a.status != http.StatusConflict || !strings.Contains(a.body, problemStaleBase) {
		t.Fatalf("large replace after the split committed = %d %v %.300s, want 409 %s", a.status, a.err, a.body, problemStaleBase)
	}
	if st, err := e.st.Load(context.Background()); err != nil || st.Version != 1 || e.version() != 1 {
		t.Errorf("store at %d (%v), serving %d; want both at 1: only the split committed", st.Version, err, e.version())
	}
}

// TestEditBudget runs every edit route's validation past Config.EditBudget:
// each answers a 503 problem naming the limit, with Retry-After, and
// nothing changes.
func TestEditBudget(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	var spend atomic.Bool
	e.s.editor.onValidate = func(ctx context.Context) {
		if spend.Load() {
			<-ctx.Done() // the budget is spent before validation starts
		}
	}
	e.commit("admin", 0, smallSplit(t)) // version 1, to revert, within the default budget
	e.s.cfg.EditBudget = 20 * time.Millisecond
	spend.Store(true)
	split := opJSON(t, edit.Op{Kind: edit.KindSplit, Grid: mustCode(t, tCommunity2, 1),
		Line: orb.LineString{{104.799, 26.585}, {104.811, 26.585}}, Reason: "the estate was divided"})
	cases := []struct {
		name, path, body string
	}{
		{"preview", "/v1/edits/preview", split},
		{"commit", "/v1/edits", split},
		{"revert", "/v1/changes/1/revert", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request(http.MethodPost, tc.path+"?reason=undo", "admin", 1, tc.body)
			p := wantProblem(t, r, http.StatusServiceUnavailable, "body")
			if p.Type != problemBudget || !strings.Contains(p.Detail, "EditBudget") || !strings.Contains(p.Detail, "20ms") {
				t.Errorf("problem = %+v, want %s naming EditBudget and 20ms", p, problemBudget)
			}
			if r.header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			if e.version() != 1 {
				t.Errorf("serving version %d after a refused edit, want 1", e.version())
			}
		})
	}
}

// TestEditValidationsBounded holds one validation with MaxEditValidations
// 1: another preview and another commit get 429 with Retry-After, reads go
// on, and the held preview completes once let go.
func TestEditValidationsBounded(t *testing.T) {
	e := newEditEnv(t, testCity(t), func(c *Config) { c.MaxEditValidations = 1 })
	entered, release := holdFirstValidation(t, e.s)
	base := serveOn(t, e.s)
	held := make(chan httpAnswer, 1)
	go func() { held <- postEdit(t, base, "/v1/edits/preview", e.secret["admin"], 0, smallSplit(t)) }()
	<-entered
	for _, path := range []string{"/v1/edits/preview", "/v1/edits"} {
		r := e.request(http.MethodPost, path, "admin", 0, opJSON(t, smallSplit(t)))
		p := wantProblem(t, r, http.StatusTooManyRequests, "")
		if p.Type != problemBusy || !strings.Contains(p.Detail, "MaxEditValidations") || r.header.Get("Retry-After") == "" {
			t.Errorf("%s beyond the cap: %+v Retry-After %q; want %s naming MaxEditValidations, with Retry-After", path, p, r.header.Get("Retry-After"), problemBusy)
		}
	}
	if code, status := e.lookupCode(orb.Point{104.805, 26.595}, ""); status != http.StatusOK || code != mustCode(t, tCommunity1, 1).String() {
		t.Errorf("lookup while validations are full = %d %s, want 200 and grid 1", status, code)
	}
	release()
	if a := <-held; a.err != nil || a.status != http.StatusOK || !strings.Contains(a.body, `"valid":true`) {
		t.Errorf("held preview = %d %v %.300s, want 200 valid", a.status, a.err, a.body)
	}
	if e.version() != 0 {
		t.Errorf("serving version %d, want 0", e.version())
	}
}
