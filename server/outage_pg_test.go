package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store/pg"
	"github.com/gridmap/gridmap/geo/store/pg/pgtest"
)

// TestPostgresDown503 stops PostgreSQL under a server that needs a token
// to read: reads with a token verified before go on from the snapshot,
// a token never seen gets 503 with Retry-After, and so does a commit;
// nothing answers 500.
func TestPostgresDown503(t *testing.T) {
	cluster := pgtest.New(t)
	ctx := context.Background()
	dsn, err := cluster.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := pg.Open(ctx, dsn, func() (*geo.City, error) { return testCity(t), nil })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, viewer, err := st.CreateToken(ctx, access.TokenSpec{Name: "viewer", Role: access.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	_, planner, err := st.CreateToken(ctx, access.TokenSpec{Name: "planner", Role: access.RolePlanner, Scopes: []geo.DivisionCode{tSubdistrict}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{ReadRequiresToken: true, TokenCacheTTL: time.Hour}, nil, nil, WithStore(st), WithTokens(st))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	lookup := "/v1/lookup?lon=104.805&lat=26.595"

	if r := do(t, s, http.MethodGet, lookup, "", "", "Authorization", "Bearer "+viewer); r.status != http.StatusOK {
		t.Fatalf("lookup before the outage = %d %s", r.status, r.body)
	}
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}

	if r := do(t, s, http.MethodGet, lookup, "", "", "Authorization", "Bearer "+viewer); r.status != http.StatusOK {
		t.Errorf("lookup with a verified token while PostgreSQL is down = %d %s, want 200 from the snapshot", r.status, r.body)
	}
	r := do(t, s, http.MethodGet, lookup, "", "", "Authorization", "Bearer "+planner)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("lookup with an unverified token while PostgreSQL is down = %d Retry-After %q %s, want 503 with Retry-After",
			r.status, r.header.Get("Retry-After"), r.body)
	}
	r = do(t, s, http.MethodPost, "/v1/edits", "application/json", opJSON(t, splitG1(t)),
		"Authorization", "Bearer "+planner, "If-Match", "0")
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("commit while PostgreSQL is down = %d Retry-After %q %s, want 503 with Retry-After",
			r.status, r.header.Get("Retry-After"), r.body)
	}
}
