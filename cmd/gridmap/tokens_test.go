package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

// TestServeStoreAndTokens runs the whole life of a store: serve creates
// it, tokens are created and revoked with the server stopped, an edit
// committed over HTTP survives a restart, and reading can be closed.
func TestServeStoreAndTokens(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	dir := t.TempDir()
	base, stop, _ := startServe(t, noEnv, "--store", dir)
	code, comm := lookupAt(t, base, "", "")
	if _, err := run(t, context.Background(), "tokens", "list", "--store", dir); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("tokens list while serving = %v, want an error saying the store is in use", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	secret := createToken(t, dir, "zhongshan", "planner", "520201")
	viewer := createToken(t, dir, "reader", "viewer", "")
	base, stop, _ = startServe(t, noEnv, "--store", dir, "--read-open=false")
	if _, st := get2(t, base+"/v1/lookup?lon=104.8304&lat=26.5925", ""); st != http.StatusUnauthorized {
		t.Errorf("lookup without a token on a closed server = %d, want 401", st)
	}
	body := fmt.Sprintf(`{"op":"create","community":%q,"geometry":{"type":"Polygon","coordinates":[[[104.8301,26.5922],[104.8307,26.5922],[104.8307,26.5928],[104.8301,26.5928],[104.8301,26.5922]]]},"reason":"new estate office"}`, comm)
	if st, resp := post(t, base+"/v1/edits", secret, "0", body); st != http.StatusCreated {
		t.Fatalf("commit = %d %s", st, resp)
	}
	newCode, _ := lookupAt(t, base, viewer, "")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if newCode == code {
		t.Fatalf("after the edit the point is still in %s", code)
	}

	base, stop, logs := startServe(t, noEnv, "--store", dir)
	defer stop()
	if got, _ := lookupAt(t, base, "", ""); got != newCode {
		t.Errorf("after a restart the point is in %s, want %s", got, newCode)
	}
	if got, _ := lookupAt(t, base, "", "&asof=0"); got != code {
		t.Errorf("as of version 0 the point is in %s, want %s", got, code)
	}
	if v := logField(logs.String(), "ready", "version"); v != "1" {
		t.Errorf("ready log version = %q, want 1", v)
	}
}

// createToken runs "gridmap tokens create" and returns the secret.
func createToken(t *testing.T, dir, name, role, scope string) string {
	t.Helper()
	args := []string{"tokens", "create", "--store", dir, "--name", name, "--role", role}
	if scope != "" {
		args = append(args, "--scope", scope)
	}
	out, err := run(t, context.Background(), args...)
	secret := strings.TrimSpace(out)
	if err != nil || !strings.HasPrefix(secret, access.TokenPrefix) || strings.Contains(secret, "\n") {
		t.Fatalf("gridmap %v = %q, %v; want one token", args, out, err)
	}
	return secret
}

// lookupAt looks the city government's point up (as token, with extra
// query parameters) and returns the grid and community codes.
func lookupAt(t *testing.T, base, token, extra string) (string, string) {
	t.Helper()
	body, st := get2(t, base+"/v1/lookup?lon=104.8304&lat=26.5925"+extra, token)
	var got struct {
		Grid      struct{ Code string }
		Community struct{ Code string }
	}
	if st != http.StatusOK || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("lookup%s = %d %s", extra, st, body)
	}
	return got.Grid.Code, got.Community.Code
}

// get2 fetches url with an optional bearer token.
func get2(t *testing.T, url, token string) (string, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

// post sends a JSON body with a bearer token and If-Match.
func post(t *testing.T, url, token, ifMatch, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("If-Match", ifMatch)
	req.Header.Set("Content-Type", "application/json")
	b, st := send(t, req)
	return st, b
}

// send sends req and returns the body and status.
func send(t *testing.T, req *http.Request) (string, int) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}

// TestTokensCommands creates, lists and revokes tokens in a store and
// checks the refusals.
func TestTokensCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := run(t, ctx, "tokens", "list", "--store", dir); err == nil || !strings.Contains(err.Error(), "no store") {
		t.Errorf("tokens list without a store = %v, want an error saying there is no store", err)
	}
	st, err := openStore(dir, func() (*geo.City, error) { return fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1}) })
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	secret := createToken(t, dir, "alice", "planner", "520201011,520201012")
	out, err := run(t, ctx, "tokens", "list", "--store", dir)
	if err != nil || !strings.Contains(out, "alice") || !strings.Contains(out, "520201011,520201012") || strings.Contains(out, secret[len(access.TokenPrefix):]) {
		t.Errorf("tokens list = %q, %v; want alice with her scopes and no secret", out, err)
	}
	if out, err := run(t, ctx, "tokens", "revoke", "alice", "--store", dir); err != nil || !strings.Contains(out, "revoked") {
		t.Errorf("tokens revoke alice = %q, %v", out, err)
	}
	out, _ = run(t, ctx, "tokens", "list", "--store", dir)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || strings.HasSuffix(lines[1], "-") {
		t.Errorf("tokens list after revoking = %q, want alice with a revocation time", out)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no role", []string{"tokens", "create", "--name", "x"}, "role"},
		{"bad role", []string{"tokens", "create", "--name", "x", "--role", "root"}, "role"},
		{"bad scope", []string{"tokens", "create", "--name", "x", "--role", "planner", "--scope", "52x"}, "--scope"},
		{"scope outside the city", []string{"tokens", "create", "--name", "x", "--role", "planner", "--scope", "110101"}, "no unit"},
		{"planner without scope", []string{"tokens", "create", "--name", "x", "--role", "planner"}, "scope"},
		{"unknown token", []string{"tokens", "revoke", "bob"}, "bob"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, ctx, append(tc.args, "--store", dir)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("gridmap %v = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
		})
	}
}
