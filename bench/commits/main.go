// Command commits measures editing on the real binary over HTTP (issue
// 12): it starts `gridmap serve --scale N` on a throw-away store, restarts
// it on that store, then commits grid splits back to back and records each
// commit's latency, how long after each commit's answer every derived view
// (lookup, geocode, coverage, search, tiles) serves the new version, the
// resident memory before and after, and lookup latency under wrk with and
// without commits streaming. It prints one "measure" line for bench/report.
//
//	go run ./bench/commits -bin bin/gridmap -scale 10 -n 100
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

func main() {
	bin := flag.String("bin", "bin/gridmap", "the gridmap binary")
	scale := flag.Int("scale", 1, "fixture scale")
	n := flag.Int("n", 100, "commits in the back-to-back run")
	wrkSecs := flag.Int("wrk", 10, "seconds of each wrk run (0: skip the load figures)")
	gap := flag.Duration("gap", 0, "pause between commits (0: back to back, as the issue's commit figures are; a planner's pace is seconds)")
	pprofDir := flag.String("pprof", "", "directory for the server's heap profiles, warm and after the commits (default: none)")
	flag.Parse()
	if err := run(*bin, *scale, *n, *wrkSecs, *gap, *pprofDir); err != nil {
		log.Fatal(err)
	}
}

func run(bin string, scale, n, wrkSecs int, gap time.Duration, pprofDir string) error {
	tmp, err := os.MkdirTemp("", "gridmap-commits-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		return err
	}
	snap, err := geo.NewSnapshot(city, 0)
	if err != nil {
		return err
	}
	targets := splitTargets(snap, 2*n+20)
	if len(targets) < 2*n {
		return fmt.Errorf("only %d grids to split, want %d", len(targets), 2*n)
	}
	m := measures{"scale": fmt.Sprint(scale)}
	if gap > 0 {
		m["commit_gap_ms"] = fmt.Sprint(gap.Milliseconds())
	}
	store := filepath.Join(tmp, "store")

	// First start creates the store; stop it to make a token (bbolt's lock).
	srv, err := start(bin, scale, store, tmp, false)
	if err != nil {
		return err
	}
	m.ms("commit_first_start_ms", srv.ready)
	srv.stop()
	out, err := exec.Command(bin, "tokens", "create", "--role", "admin", "--name", "bench", "--store", store).Output()
	if err != nil {
		return fmt.Errorf("creating a token: %w", err)
	}
	token := strings.TrimSpace(lastLine(string(out)))

	srv, err = start(bin, scale, store, tmp, pprofDir != "")
	if err != nil {
		return err
	}
	defer srv.stop()
	m.ms("commit_restart_ms", srv.ready)
	c := newClient(srv.url, token)
	t0 := time.Now()
	if err := c.warm(targets[0]); err != nil {
		return err
	}
	srv.waitIdle(5 * time.Minute) // the tile zooms and other warmers finish
	m.ms("commit_warm_ms", time.Since(t0))
	time.Sleep(2 * time.Second)
	warm := srv.rssMB()
	m["commit_rss_warm_mb"] = fmt.Sprint(warm)
	if err := srv.saveHeap(filepath.Join(pprofDir, "heap-warm.pb.gz")); err != nil {
		return err
	}

	// Back-to-back commits, with pollers recording when each view serves
	// each version.
	cpu := make(chan error, 1)
	go func() { cpu <- srv.saveProfile("profile?seconds=30", filepath.Join(pprofDir, "cpu-commits.pb.gz")) }()
	fresh, lat, err := c.commitRun(context.Background(), targets[:n], gap)
	if err == nil {
		err = <-cpu
	}
	if err != nil {
		return err
	}
	m.dist("commit", lat)
	m.dist("fresh", fresh.worst())
	for view, ds := range fresh.byView() {
		m.dist("fresh_"+view, ds) // which view the worst waits for
	}
	m["commit_rss_after_mb"] = fmt.Sprint(srv.rssMB())
	srv.waitIdle(2 * time.Minute) // the last version's derived state built
	time.Sleep(5 * time.Second)
	after := srv.rssMB()
	m["commit_rss_idle_mb"] = fmt.Sprint(after)
	m["commit_rss_growth_pct"] = fmt.Sprintf("%.1f", 100*float64(after-warm)/float64(warm))
	if err := srv.saveHeap(filepath.Join(pprofDir, "heap-after.pb.gz")); err != nil {
		return err
	}

	if wrkSecs > 0 {
		if err := c.loadFigures(m, srv, targets[n:], wrkSecs, tmp, snap); err != nil {
			return err
		}
	}
	fmt.Println(m.line())
	return nil
}

// splitTargets picks up to k grids, spread over the city, each split by an
// east-west line between its buildings' middle latitudes.
func splitTargets(s *geo.Snapshot, k int) []target {
	var all []target
	for _, g := range s.City.Grids {
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
		all = append(all, target{grid: g, lat: (lats[mid] + lats[mid-1]) / 2, building: bs[0]})
	}
	step := max(1, len(all)/k)
	var out []target
	for i := 0; i < len(all) && len(out) < k; i += step {
		out = append(out, all[i])
	}
	return out
}

// A target is a grid to split and what to probe afterwards.
type target struct {
	grid     *geo.Grid
	lat      float64
	building *geo.Building
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
