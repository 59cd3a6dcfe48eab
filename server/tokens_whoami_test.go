package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
)

// TestTokenWhoAmI checks GET /v1/token: the caller's role and scopes, no
// secret, and a 401 problem without a valid token.
func TestTokenWhoAmI(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	scope, err := geo.ParseDivisionCode("520201001")
	if err != nil {
		t.Fatal(err)
	}
	secret := e.token("zhong", access.RolePlanner, scope)
	r := e.request(http.MethodGet, "/v1/token", "zhong", -1, "")
	if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /v1/token = %d %q %s", r.status, r.header.Get("Cache-Control"), r.body)
	}
	var got tokenJSON
	decode(t, r.body, &got)
	if got.Name != "zhong" || got.Role != access.RolePlanner || len(got.Scopes) != 1 || got.Scopes[0] != "520201001" || got.Secret != "" {
		t.Errorf("GET /v1/token = %+v, want planner zhong scoped to 520201001 and no secret", got)
	}
	if strings.Contains(string(r.body), secret) {
		t.Error("GET /v1/token answers the secret")
	}
	decode(t, e.request(http.MethodGet, "/v1/token", "admin", -1, "").body, &got)
	if got.Role != access.RoleAdmin || len(got.Scopes) != 0 {
		t.Errorf("GET /v1/token as admin = %+v", got)
	}
	wantProblem(t, e.request(http.MethodGet, "/v1/token", "", -1, ""), http.StatusUnauthorized, "")
	wantProblem(t, e.request(http.MethodGet, "/v1/token", "gm_not-a-token", -1, ""), http.StatusUnauthorized, "")
}

// TestTokenWhoAmIWithoutRegistry checks that a server without tokens says
// so with a 503 problem, not a 500.
func TestTokenWhoAmIWithoutRegistry(t *testing.T) {
	s := newTestServer(t)
	wantProblem(t, do(t, s, http.MethodGet, "/v1/token", "", "", "Authorization", "Bearer gm_x"), http.StatusServiceUnavailable, "")
}
