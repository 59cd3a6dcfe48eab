package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestHealthAndReadiness(t *testing.T) {
	s, err := New(Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := do(t, s, http.MethodGet, "/healthz", "", ""); r.status != 200 || string(r.body) != `{"status":"ok"}` {
		t.Errorf("healthz before load = %d %s, want 200 ok", r.status, r.body)
	}
	wantProblem(t, do(t, s, http.MethodGet, "/readyz", "", ""), http.StatusServiceUnavailable, "")
	wantProblem(t, do(t, s, http.MethodGet, "/v1/lookup?lon=104.805&lat=26.595", "", ""), http.StatusServiceUnavailable, "")
	s.Swap(testSnapshot(t))
	if r := do(t, s, http.MethodGet, "/readyz", "", ""); r.status != 200 || string(r.body) != `{"status":"ready","version":1}` {
		t.Errorf("readyz after load = %d %s, want 200 ready version 1", r.status, r.body)
	}
	r := do(t, s, http.MethodGet, "/v1/version", "", "")
	var v struct {
		Version int    `json:"version"`
		Created string `json:"created"`
	}
	decode(t, r.body, &v)
	if r.status != 200 || v.Version != 1 || v.Created == "" {
		t.Errorf("version = %d %s, want 200 version 1 with created", r.status, r.body)
	}
}

func TestRoutingErrors(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodDelete, "/v1/lookup", "", "")
	wantProblem(t, r, http.StatusMethodNotAllowed, "")
	if allow := r.header.Get("Allow"); allow != "GET, HEAD, POST" {
		t.Errorf("Allow = %q, want GET, HEAD, POST", allow)
	}
	wantProblem(t, do(t, s, http.MethodGet, "/v1/nothing", "", ""), http.StatusNotFound, "")
	// Without WithWebFS the root is not served; tile keys out of range
	// are refused naming the coordinate.
	wantProblem(t, do(t, s, http.MethodGet, "/", "", ""), http.StatusNotFound, "")
	wantProblem(t, do(t, s, http.MethodGet, "/tiles/1/2/3.mvt", "", ""), http.StatusBadRequest, "x")
}

func TestPanicBecomesProblem(t *testing.T) {
	s, err := New(Config{}, testSnapshot(t), nil, WithMount(func(s *Server) error {
		return s.Handle(http.MethodGet, "/boom", func(*fiber.Ctx) error { panic("boom") })
	}))
	if err != nil {
		t.Fatal(err)
	}
	p := wantProblem(t, do(t, s, http.MethodGet, "/boom", "", ""), http.StatusInternalServerError, "")
	if strings.Contains(p.Detail, "boom") {
		t.Errorf("detail %q leaks the panic", p.Detail)
	}
	if r := do(t, s, http.MethodGet, "/healthz", "", ""); r.status != 200 {
		t.Errorf("after a panic healthz = %d, want 200", r.status)
	}
}

func TestExport(t *testing.T) {
	s := newTestServer(t)
	want := map[string]int{"units": 5, "grids": 5, "buildings": 6, "stations": 3, "streets": 2}
	for layer, n := range want {
		t.Run(layer, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/v1/export/"+layer+".geojson", "", "")
			if r.status != 200 {
				t.Fatalf("status = %d (body %.300s)", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type = %q, want application/geo+json", ct)
			}
			var fc struct {
				Type     string            `json:"type"`
				Features []json.RawMessage `json:"features"`
			}
			if err := json.Unmarshal(r.body, &fc); err != nil {
				t.Fatalf("decoding: %v (%.200s)", err, r.body)
			}
			if fc.Type != "FeatureCollection" || len(fc.Features) != n {
				t.Errorf("got %s with %d features, want FeatureCollection with %d", fc.Type, len(fc.Features), n)
			}
		})
	}
	for _, bad := range []string{"city", "roads", "Grids"} {
		wantProblem(t, do(t, s, http.MethodGet, "/v1/export/"+bad+".geojson", "", ""), http.StatusNotFound, "layer")
	}
}

func TestMetrics(t *testing.T) {
	s := newTestServer(t)
	do(t, s, http.MethodGet, "/v1/lookup?lon=104.805&lat=26.595", "", "")
	do(t, s, http.MethodGet, "/v1/lookup?lon=x&lat=26.595", "", "")
	do(t, s, http.MethodPost, "/v1/lookup", "text/csv", "lon,lat\n104.805,26.595\n104.805,26.585\n")
	r := do(t, s, http.MethodGet, "/metrics", "", "")
	if r.status != 200 {
		t.Fatalf("status = %d", r.status)
	}
	body := string(r.body)
	for _, want := range []string{
		`gridmap_http_requests_total{method="GET",route="/v1/lookup",status="200"} 1`,
		`gridmap_http_requests_total{method="GET",route="/v1/lookup",status="400"} 1`,
		`gridmap_http_request_duration_seconds_count{method="GET",route="/v1/lookup",status="200"} 1`,
		`gridmap_snapshot_version 1`,
		`gridmap_objects{kind="grids"} 5`,
		`gridmap_objects{kind="households"} 1680`,
		`gridmap_objects{kind="stations"} 3`,
		`gridmap_lookup_points_total{form="csv"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// TestOpenAPICoversRoutes checks that every route registered in Fiber is
// described in openapi.yaml, and that it describes no route that is not
// served.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := newTestServer(t)
	spec := parseOpenAPIPaths(t, openAPISpec)
	param := regexp.MustCompile(`:([a-zA-Z]+)`)
	served := map[string]bool{}
	for _, r := range s.App().GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		key := strings.ToLower(r.Method) + " " + param.ReplaceAllString(r.Path, "{$1}")
		served[key] = true
		if !spec[key] {
			t.Errorf("route %s %s is not in openapi.yaml", r.Method, r.Path)
		}
	}
	for key := range spec {
		if !served[key] {
			t.Errorf("openapi.yaml describes %s, which is not served", key)
		}
	}
	if r := do(t, s, http.MethodGet, "/openapi.yaml", "", ""); r.status != 200 || !bytes.HasPrefix(r.body, []byte("openapi: 3.1")) {
		t.Errorf("GET /openapi.yaml = %d %.40s", r.status, r.body)
	}
}

// parseOpenAPIPaths returns "method path" for every operation under paths:
// in the YAML (two-space indentation).
func parseOpenAPIPaths(t *testing.T, spec []byte) map[string]bool {
	t.Helper()
	ops := map[string]bool{}
	inPaths, path := false, ""
	sc := bufio.NewScanner(bytes.NewReader(spec))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && len(line) > 0 && line[0] != ' ':
			inPaths = false
		case inPaths && strings.HasPrefix(line, "  /") && strings.HasSuffix(line, ":"):
			path = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case inPaths && path != "" && strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     "):
			m := strings.TrimSuffix(strings.TrimSpace(line), ":")
			switch m {
			case "get", "post", "put", "patch", "delete":
				ops[m+" "+path] = true
			}
		}
	}
	if len(ops) == 0 {
		t.Fatal("no operations found in openapi.yaml")
	}
	return ops
}
