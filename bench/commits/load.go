package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo"
)

// loadFigures measures lookup latency under wrk (keep-alive, 8
// connections, a second process) without commits and then with commits
// streaming back to back, and the ratio of their p99s.
func (c *client) loadFigures(m measures, srv *server, ts []target, secs int, tmp string, snap *geo.Snapshot) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk is needed for the load figures: apt-get install -y wrk")
	}
	script, err := writeLookupScript(tmp, snap)
	if err != nil {
		return err
	}
	wrk := func() *exec.Cmd {
		return exec.Command("wrk", "-t1", "-c8", "-d"+strconv.Itoa(secs)+"s", "--latency", "-s", script, srv.url)
	}
	_ = exec.Command("wrk", "-t1", "-c8", "-d2s", "-s", script, srv.url).Run() // warm-up
	out, err := wrk().Output()
	if err != nil {
		return fmt.Errorf("wrk: %w", err)
	}
	quiet := wrkP99(string(out))

	ver, err := c.version()
	if err != nil {
		return err
	}
	cmd := wrk()
	var buf strings.Builder
	cmd.Stdout = &buf
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	commits := 0
	var werr error
loop:
	for _, t := range ts {
		select {
		case werr = <-done:
			break loop
		default:
		}
		if ver, err = c.commit(ver, t); err != nil {
			_ = cmd.Process.Kill()
			<-done
			return err
		}
		commits++
	}
	if commits == len(ts) {
		werr = <-done
	}
	if werr != nil {
		return fmt.Errorf("wrk: %w", werr)
	}
	busy := wrkP99(buf.String())
	m["lookup_p99_quiet_ms"] = fmt.Sprintf("%.3f", quiet)
	m["lookup_p99_commits_ms"] = fmt.Sprintf("%.3f", busy)
	m["lookup_p99_ratio"] = fmt.Sprintf("%.2f", busy/quiet)
	m["lookup_commits_during_load"] = strconv.Itoa(commits)
	m["commit_rss_end_mb"] = strconv.Itoa(srv.rssMB())
	return nil
}

// writeLookupScript writes a wrk script cycling over building points.
func writeLookupScript(tmp string, snap *geo.Snapshot) (string, error) {
	var b strings.Builder
	b.WriteString("local pts = {\n")
	bs := snap.City.Buildings
	step := max(1, len(bs)/10000)
	for i := 0; i < len(bs); i += step {
		fmt.Fprintf(&b, "{%.7f,%.7f},\n", bs[i].Point[0], bs[i].Point[1])
	}
	b.WriteString(`}
local i = 0
request = function()
  i = i % #pts + 1
  return wrk.format("GET", "/v1/lookup?lon=" .. pts[i][1] .. "&lat=" .. pts[i][2])
end
`)
	path := filepath.Join(tmp, "lookup.lua")
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

// wrkP99 returns the 99th percentile latency in ms from wrk --latency output.
func wrkP99(out string) float64 {
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) == 2 && f[0] == "99%" {
			return parseWrkDuration(f[1])
		}
	}
	return -1
}

func parseWrkDuration(s string) float64 {
	for _, u := range []struct {
		suffix string
		ms     float64
	}{{"us", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}} {
		if strings.HasSuffix(s, u.suffix) {
			v, err := strconv.ParseFloat(strings.TrimSuffix(s, u.suffix), 64)
			if err == nil {
				return v * u.ms
			}
			return -1
		}
	}
	return -1
}
