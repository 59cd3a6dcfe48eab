package server

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// problemTypes lists every problem type the server sends; each must be
// documented in openapi.yaml and worded by the web map.
var problemTypes = []string{
	problemInvalidField, problemNoGrid, problemNotFound, problemNotReady, problemInternal, problemOffNetwork,
	problemNoNetwork, problemBadRequest, problemNoRoute, problemMethod, problemTooLarge,
	problemUnauthorized, problemForbidden, problemInvalidEdit, problemStaleBase, problemNoStore, problemConflict,
	problemNotRevertible, problemBusy, problemUnavailable, problemStoreFull, problemBudget,
}

// TestProblemTypesDocumented checks that every problem type the server
// sends is in openapi.yaml's Problem enum, and the web map words each
// (web/static/js/problems.js), so none is shown raw.
func TestProblemTypesDocumented(t *testing.T) {
	spec := string(openAPISpec)
	js, err := os.ReadFile("../web/static/js/problems.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range problemTypes {
		if !strings.Contains(spec, "- "+typ+"\n") {
			t.Errorf("%s is not in openapi.yaml's Problem type enum", typ)
		}
		if !strings.Contains(string(js), "'"+strings.TrimPrefix(typ, "urn:gridmap:problem:")+"'") {
			t.Errorf("%s is not worded by the web map's problems.js", typ)
		}
	}
	// Every type constant of the package is listed.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"(urn:gridmap:problem:[a-z-]+)"`).FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(problemTypes, m[1]) {
				t.Errorf("%s (%s) is missing from problemTypes", m[1], f)
			}
		}
	}
}

// TestFiberProblemsHaveTypes checks that errors Fiber raises (no route, a
// method not allowed) get stable types, not about:blank.
func TestFiberProblemsHaveTypes(t *testing.T) {
	s := newTestServer(t)
	p := wantProblem(t, do(t, s, http.MethodGet, "/v1/no-such-route", "", ""), http.StatusNotFound, "")
	if p.Type != problemNoRoute {
		t.Errorf("no route: type %q", p.Type)
	}
	r := do(t, s, http.MethodDelete, "/v1/version", "", "")
	var pb problemBody
	decode(t, r.body, &pb)
	if r.status != http.StatusMethodNotAllowed || pb.Type != problemMethod {
		t.Errorf("DELETE /v1/version: %d %q", r.status, pb.Type)
	}
}
