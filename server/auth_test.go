package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo/edit"
)

// TestCommitAccess runs a split through every refusal of the commit route
// on the generated city, then commits it with an in-scope planner, and
// checks that a revoked token is refused at once.
func TestCommitAccess(t *testing.T) {
	if testing.Short() {
		t.Skip("edits the generated city")
	}
	e := newEditEnv(t, fixtureSnapshot(t).City)
	e.token("huangtupo", access.RolePlanner, fxSubdistrict)
	e.token("hongyan", access.RolePlanner, fxOtherSubdistrict)
	g, line := splitTarget(t, e.s.Snapshot(), fxCommunity)
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "too many households"}
	body := opJSON(t, op)
	noReason := op
	noReason.Reason = ""
	cases := []struct {
		name, token, body string
		base, status      int
		field, challenge  string
	}{
		{"no token", "", body, 0, http.StatusUnauthorized, "", `Bearer realm="gridmap"`},
		{"unknown token", "gm_nosuchtoken", body, 0, http.StatusUnauthorized, "", `error="invalid_token"`},
		{"viewer", "viewer", body, 0, http.StatusForbidden, "", ""},
		{"planner of another subdistrict", "hongyan", body, 0, http.StatusForbidden, "", ""},
		{"no If-Match", "huangtupo", body, -1, http.StatusPreconditionRequired, "If-Match", ""},
		{"no reason", "huangtupo", opJSON(t, noReason), 0, http.StatusBadRequest, "reason", ""},
		{"unknown member", "huangtupo", strings.Replace(body, `{"op"`, `{"colour":"red","op"`, 1), 0, http.StatusBadRequest, "colour", ""},
		{"not JSON", "huangtupo", "split it", 0, http.StatusBadRequest, "body", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request(http.MethodPost, "/v1/edits", tc.token, tc.base, tc.body)
			wantProblem(t, r, tc.status, tc.field)
			if got := r.header.Get("WWW-Authenticate"); !strings.Contains(got, tc.challenge) || (tc.challenge == "") != (got == "") {
				t.Errorf("WWW-Authenticate = %q, want it to hold %q", got, tc.challenge)
			}
		})
	}
	if r := e.request(http.MethodPost, "/v1/edits/preview", "hongyan", -1, body); r.status != http.StatusForbidden {
		t.Errorf("preview by another subdistrict's planner = %d, want 403", r.status)
	}
	if v := e.version(); v != 0 {
		t.Fatalf("refused commits changed the version to %d", v)
	}
	e.commit("huangtupo", 0, op)
	if _, err := e.st.RevokeToken(context.Background(), "huangtupo"); err != nil {
		t.Fatal(err)
	}
	r := e.request(http.MethodPost, "/v1/edits/preview", "huangtupo", -1, body)
	if p := wantProblem(t, r, http.StatusUnauthorized, ""); !strings.Contains(p.Detail, "revoked") {
		t.Errorf("revoked token: detail %q, want it to say revoked", p.Detail)
	}
}

// TestReadRequiresToken checks that closed reading refuses the API and
// tiles without a token and opens them to any role, while health and the
// OpenAPI document stay open.
func TestReadRequiresToken(t *testing.T) {
	e := newEditEnv(t, testCity(t), func(c *Config) { c.ReadRequiresToken = true })
	cases := []struct {
		name, target, token string
		status              int
	}{
		{"lookup without a token", lookupURL(testPointG1, ""), "", http.StatusUnauthorized},
		{"tile without a token", "/tiles/14/13155/7004.mvt", "", http.StatusUnauthorized},
		{"lookup with a bad token", lookupURL(testPointG1, ""), "gm_bad", http.StatusUnauthorized},
		{"lookup as viewer", lookupURL(testPointG1, ""), "viewer", http.StatusOK},
		{"lookup as admin", lookupURL(testPointG1, ""), "admin", http.StatusOK},
		{"health", "/healthz", "", http.StatusOK},
		{"openapi", "/openapi.yaml", "", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request(http.MethodGet, tc.target, tc.token, -1, "")
			if r.status != tc.status {
				t.Errorf("GET %s as %q = %d, want %d (%.200s)", tc.target, tc.token, r.status, tc.status, r.body)
			}
			if tc.status == http.StatusUnauthorized && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if _, err := New(Config{ReadRequiresToken: true}, nil, nil); err == nil {
		t.Error("New(ReadRequiresToken) without a token registry = nil error, want one")
	}
}

// TestTokenRoutes manages tokens over HTTP as an admin.
func TestTokenRoutes(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	if r := e.request(http.MethodPost, "/v1/tokens", "viewer", -1, `{"name":"x","role":"viewer"}`); r.status != http.StatusForbidden {
		t.Errorf("POST /v1/tokens as viewer = %d, want 403", r.status)
	}
	r := e.request(http.MethodPost, "/v1/tokens", "admin", -1, `{"name":"zhong","role":"planner","scopes":["520201001"]}`)
	if r.status != http.StatusCreated || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("POST /v1/tokens = %d %s", r.status, r.body)
	}
	var created tokenJSON
	decode(t, r.body, &created)
	if !strings.HasPrefix(created.Secret, access.TokenPrefix) || created.Role != access.RolePlanner || len(created.Scopes) != 1 || created.Scopes[0] != "520201001" {
		t.Fatalf("created token = %+v", created)
	}
	e.secret["zhong"] = created.Secret
	refusals := []struct {
		name, body, field string
		status            int
	}{
		{"duplicate name", `{"name":"zhong","role":"viewer"}`, "", http.StatusConflict},
		{"bad role", `{"name":"y","role":"root"}`, "role", http.StatusBadRequest},
		{"bad scope", `{"name":"y","role":"planner","scopes":["52x"]}`, "scopes[0]", http.StatusBadRequest},
		{"scope outside the city", `{"name":"y","role":"planner","scopes":["110101"]}`, "", http.StatusBadRequest},
		{"unknown member", `{"name":"y","role":"viewer","ttl":3}`, "body", http.StatusBadRequest},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, e.request(http.MethodPost, "/v1/tokens", "admin", -1, tc.body), tc.status, tc.field)
		})
	}
	var list struct{ Tokens []tokenJSON }
	decode(t, e.request(http.MethodGet, "/v1/tokens", "admin", -1, "").body, &list)
	if len(list.Tokens) != 3 || strings.Contains(string(e.request(http.MethodGet, "/v1/tokens", "admin", -1, "").body), created.Secret) {
		t.Errorf("GET /v1/tokens = %+v, want 3 tokens and no secret", list.Tokens)
	}
	if r := e.request(http.MethodDelete, "/v1/tokens/"+created.ID, "admin", -1, ""); r.status != http.StatusOK {
		t.Fatalf("DELETE /v1/tokens/%s = %d %s", created.ID, r.status, r.body)
	}
	if r := e.request(http.MethodGet, "/v1/tokens", "zhong", -1, ""); r.status != http.StatusUnauthorized {
		t.Errorf("the revoked token = %d, want 401", r.status)
	}
	wantProblem(t, e.request(http.MethodDelete, "/v1/tokens/nobody", "admin", -1, ""), http.StatusNotFound, "")
}

// TestEditingWithoutStore checks that a read-only server refuses edits
// and history with 503.
func TestEditingWithoutStore(t *testing.T) {
	s := newTestServer(t)
	for _, target := range []string{"/v1/changes", "/v1/crosswalk", "/v1/changes/1"} {
		wantProblem(t, do(t, s, http.MethodGet, target, "", ""), http.StatusServiceUnavailable, "")
	}
	wantProblem(t, do(t, s, http.MethodPost, "/v1/edits", "application/json", `{"op":"merge"}`), http.StatusServiceUnavailable, "")
	wantProblem(t, do(t, s, http.MethodGet, lookupURL(testPointG1, "")+"&asof=0", "", ""), http.StatusServiceUnavailable, "")
	if r := do(t, s, http.MethodGet, lookupURL(testPointG1, "")+"&asof=1", "", ""); r.status != http.StatusOK {
		t.Errorf("asof the served version without a store = %d, want 200", r.status)
	}
}
