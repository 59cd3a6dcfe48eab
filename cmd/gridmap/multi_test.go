//go:build linux

package main

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store/pg/pgtest"
)

// TestTwoInstancesOnePostgres runs two gridmap serve processes on one
// PostgreSQL database, created by whichever starts first (the tokens
// commands refuse to create it): a planner's token made with the CLI
// works on both, a split committed on A is served by B within moments (B
// follows the store's notifications), a commit on B with A's old base
// gets 409, and a merge committed on B reaches A.
func TestTwoInstancesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gridmap, starts PostgreSQL and edits the generated city")
	}
	cluster := pgtest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn, err := cluster.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, ctx, "tokens", "list", "--store", dsn); err == nil || !strings.Contains(err.Error(), "no city") {
		t.Errorf("tokens list on an empty database = %v, want an error saying it holds no city", err)
	}
	bin := buildGridmap(t)
	snap := fixtureSnapshot(t)
	plan := planSplit(t, snap, crashCommunity)

	// Both start at once (B told by GRIDMAP_STORE): the schema and the
	// city are created once.
	a, b := launchServe(t, bin, "--store", dsn), launchServeEnv(t, bin, []string{"GRIDMAP_STORE=" + dsn})
	a.waitReady(t)
	b.waitReady(t)
	for _, c := range []*child{a, b} {
		if src := logField(c.logs.String(), "ready", "source"); src != dsn {
			t.Errorf("ready log source = %q, want %q", src, dsn)
		}
	}
	secret := runCLI(t, bin, "tokens", "create", "--store", dsn, "--name", "huangtupo", "--role", "planner", "--scope", "520201011")
	if !strings.HasPrefix(secret, access.TokenPrefix) {
		t.Fatalf("tokens create printed %q, want a token", secret)
	}
	ca, cb := newAPIClient(a.base, secret), newAPIClient(b.base, secret)

	st, body, _, v, err := ca.commit(plan.split(), 0)
	if err != nil || st != http.StatusCreated || v != 1 {
		t.Fatalf("split on A = %d %.400s, %v; want 201 with version 1", st, body, err)
	}
	north, south := sides(t, ca, plan)
	if north == south {
		t.Fatalf("after the split A answers %s on both sides of the line", north)
	}
	waitServes(t, cb, plan, 1, north, south)

	st, body, _, _, err = cb.commit(plan.merge(other(t, plan, north, south)), 0)
	if err != nil || st != http.StatusConflict || !strings.Contains(string(body), `"current":1`) {
		t.Errorf("merge on B with A's old base 0 = %d %.400s, %v; want 409 naming version 1", st, body, err)
	}
	st, body, _, v, err = cb.commit(plan.merge(other(t, plan, north, south)), 1)
	if err != nil || st != http.StatusCreated || v != 2 {
		t.Fatalf("merge on B = %d %.400s, %v; want 201 with version 2", st, body, err)
	}
	own := plan.grid.Code.String()
	waitServes(t, ca, plan, 2, own, own)

	if out := runCLI(t, bin, "tokens", "list", "--store", dsn); !strings.Contains(out, "huangtupo") {
		t.Errorf("tokens list beside the servers = %q, want huangtupo", out)
	}
	a.stop(t)
	b.stop(t)
}

// runCLI runs the gridmap binary and returns its trimmed stdout.
func runCLI(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gridmap %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// sides looks up the plan's buildings north and south of its line.
func sides(t *testing.T, a *apiClient, p splitPlan) (string, string) {
	t.Helper()
	n, err := a.gridAt(p.north.Point)
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.gridAt(p.south.Point)
	if err != nil {
		t.Fatal(err)
	}
	return n, s
}

// other returns the side's code that is not the plan's grid.
func other(t *testing.T, p splitPlan, north, south string) geo.GridCode {
	t.Helper()
	code := north
	if north == p.grid.Code.String() {
		code = south
	}
	g, err := geo.ParseGridCode(code)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// waitServes polls a until it serves version v with the grids north and
// south of the plan's line, failing after 10 s.
func waitServes(t *testing.T, a *apiClient, p splitPlan, v uint64, north, south string) {
	t.Helper()
	start := time.Now()
	var last string
	for time.Since(start) < 10*time.Second {
		got, err := a.version()
		if err == nil && got == v {
			n, errN := a.gridAt(p.north.Point)
			s, errS := a.gridAt(p.south.Point)
			if errN == nil && errS == nil && n == north && s == south {
				t.Logf("%s served version %d after %v", a.base, v, time.Since(start).Round(time.Millisecond))
				return
			}
			last = fmt.Sprintf("version %d with %s north and %s south (%v, %v)", got, n, s, errN, errS)
		} else {
			last = fmt.Sprintf("version %d (%v)", got, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not serve version %d with %s north and %s south of the line within 10 s; last: %s", a.base, v, north, south, last)
}
