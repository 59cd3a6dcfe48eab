package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store/bolt"
	"github.com/paulmach/orb"
)

// An editEnv is a server over a bbolt store in a temporary directory,
// with tokens of every role.
type editEnv struct {
	tb     testing.TB
	s      *Server
	st     *bolt.Store
	dir    string
	secret map[string]string // token name -> secret
}

// newEditEnv opens a new store seeded with city and serves it. mod
// changes the configuration.
func newEditEnv(tb testing.TB, city *geo.City, mod ...func(*Config)) *editEnv {
	tb.Helper()
	dir := tb.TempDir()
	st, err := bolt.OpenOptions(dir, func() (*geo.City, error) { return city, nil }, bolt.Options{NoSync: true})
	if err != nil {
		tb.Fatalf("opening the store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	var cfg Config
	for _, m := range mod {
		m(&cfg)
	}
	s, err := New(cfg, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	if err := s.Reload(context.Background()); err != nil {
		tb.Fatalf("Reload: %v", err)
	}
	e := &editEnv{tb: tb, s: s, st: st, dir: dir, secret: map[string]string{}}
	e.token("admin", access.RoleAdmin)
	e.token("viewer", access.RoleViewer)
	return e
}

// token creates a token and remembers its secret under its name.
func (e *editEnv) token(name string, role access.Role, scopes ...geo.DivisionCode) string {
	e.tb.Helper()
	_, secret, err := e.st.CreateToken(context.Background(), access.TokenSpec{Name: name, Role: role, Scopes: scopes})
	if err != nil {
		e.tb.Fatalf("CreateToken(%s): %v", name, err)
	}
	e.secret[name] = secret
	return secret
}

// request sends a request as the named token ("" for none) with If-Match
// base (negative for none).
func (e *editEnv) request(method, target, token string, base int, body string) response {
	e.tb.Helper()
	var hdr []string
	if token != "" {
		secret, ok := e.secret[token]
		if !ok {
			secret = token
		}
		hdr = append(hdr, "Authorization", "Bearer "+secret)
	}
	if base >= 0 {
		hdr = append(hdr, "If-Match", strconv.Itoa(base))
	}
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	return do(e.tb, e.s, method, target, ct, body, hdr...)
}

// commit commits op as token on base and requires 201; it returns the
// new version.
func (e *editEnv) commit(token string, base int, op edit.Op) int {
	e.tb.Helper()
	r := e.request(http.MethodPost, "/v1/edits", token, base, opJSON(e.tb, op))
	if r.status != http.StatusCreated {
		e.tb.Fatalf("commit %s = %d %.600s", op.Kind, r.status, r.body)
	}
	var got struct {
		Changeset string `json:"changeset"`
		Version   int    `json:"version"`
	}
	decode(e.tb, r.body, &got)
	if got.Changeset == "" || got.Version != base+1 {
		e.tb.Fatalf("commit answered %s, want a changeset and version %d", r.body, base+1)
	}
	return got.Version
}

// version returns the version the server serves.
func (e *editEnv) version() int { return int(e.s.Snapshot().Version) }

// lookupCode looks p up (with extra query parameters) and returns the
// grid code answered, or "" with the status for a failure.
func (e *editEnv) lookupCode(p orb.Point, extra string) (string, int) {
	e.tb.Helper()
	r := e.request(http.MethodGet, lookupURL(p, "")+extra, "", -1, "")
	if r.status != http.StatusOK {
		return "", r.status
	}
	var got lookupBody
	decode(e.tb, r.body, &got)
	return got.Grid.Code, r.status
}

// opJSON encodes op as DecodeOp reads it.
func opJSON(tb testing.TB, op edit.Op) string {
	tb.Helper()
	b, err := op.MarshalJSON()
	if err != nil {
		tb.Fatalf("encoding %s: %v", op.Kind, err)
	}
	return string(b)
}

// editProblemBody is a 4xx answer of the editing routes.
type editProblemBody struct {
	problemBody
	Errors []struct {
		Code string `json:"code"`
	} `json:"errors"`
	Base      int             `json:"base"`
	Current   int             `json:"current"`
	Committed []changeSummary `json:"committed"`
}

// wantEditProblem checks a problem answer and decodes its extra members.
func wantEditProblem(tb testing.TB, r response, status int, field string) editProblemBody {
	tb.Helper()
	wantProblem(tb, r, status, field)
	var p editProblemBody
	if err := json.Unmarshal(r.body, &p); err != nil {
		tb.Fatalf("problem %s: %v", r.body, err)
	}
	return p
}

// splitTarget returns a grid of community comm with buildings on both
// sides of a west-east line through it, and that line.
func splitTarget(tb testing.TB, s *geo.Snapshot, comm geo.DivisionCode) (*geo.Grid, orb.LineString) {
	tb.Helper()
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
		pad := 1e-3
		return g, orb.LineString{{g.Bound.Min[0] - pad, lat}, {g.Bound.Max[0] + pad, lat}}
	}
	tb.Fatalf("community %s has no grid to split", comm)
	return nil, nil
}

// mustCode formats a grid code of community c.
func mustCode(tb testing.TB, c geo.DivisionCode, seq int) geo.GridCode {
	tb.Helper()
	g, err := geo.NewGridCode(c, seq)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func (e *editEnv) String() string { return fmt.Sprintf("editEnv(%s, v%d)", e.dir, e.version()) }
