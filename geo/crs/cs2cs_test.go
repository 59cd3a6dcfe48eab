package crs

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

// skipProjEnv, set to 1, skips the tests that need PROJ's cs2cs or
// projinfo instead of failing them.
const skipProjEnv = "GRIDMAP_SKIP_PROJ"

// needProj returns the path of PROJ tool name or fails the test saying
// what to install.
func needProj(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv(skipProjEnv) == "1" {
		t.Skipf("%s not found and %s=1", name, skipProjEnv)
	}
	t.Fatalf("%s is not on PATH: apt-get install proj-bin (or set %s=1 to skip)", name, skipProjEnv)
	return ""
}

// cs2cs runs `cs2cs -f %.10f from to` on lines of two numbers and returns
// the first two numbers of each output line.
func cs2cs(bin, from, to string, in [][2]float64) ([][2]float64, error) {
	var stdin bytes.Buffer
	for _, p := range in {
		fmt.Fprintf(&stdin, "%.12f %.12f\n", p[0], p[1])
	}
	cmd := exec.Command(bin, "-f", "%.10f", from, to)
	cmd.Stdin = &stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("cs2cs %s %s: %v\n%s", from, to, err, stderr.String())
	}
	var got [][2]float64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			return nil, fmt.Errorf("cs2cs %s %s: output line %q", from, to, sc.Text())
		}
		a, err1 := strconv.ParseFloat(f[0], 64)
		b, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("cs2cs %s %s: output line %q", from, to, sc.Text())
		}
		got = append(got, [2]float64{a, b})
	}
	if len(got) != len(in) {
		return nil, fmt.Errorf("cs2cs %s %s: %d lines out for %d in", from, to, len(got), len(in))
	}
	return got, nil
}

// zonePoints returns WGS-84 lon/lat test points for a zone of width w
// degrees around cm: the band's edges, quarter points and centre, at
// latitudes over China from 18 to 54 N.
func zonePoints(cm, w float64) []orb.Point {
	var pts []orb.Point
	for _, lat := range []float64{18, 23.5, 26.5925, 31, 36.25, 42, 48.5, 54} {
		for _, f := range []float64{-0.5, -0.25, 0, 0.1, 0.25, 0.5} {
			pts = append(pts, orb.Point{cm + f*w, lat})
		}
	}
	return pts
}

// groundError returns the distance in meters between two lon/lat points
// close together (a local flat approximation, exact enough for errors of
// millimetres).
func groundError(a, b orb.Point) float64 {
	const m = 6378137 * math.Pi / 180
	dx := (a[0] - b[0]) * m * math.Cos(a[1]*math.Pi/180)
	dy := (a[1] - b[1]) * m
	return math.Hypot(dx, dy)
}

// zoneResult is one system's comparison with cs2cs: the largest forward
// and inverse differences in meters and the points beyond 1 mm.
type zoneResult struct {
	fwd, inv float64
	faults   []string
	err      error
}

// TestGaussKrugerAgainstCS2CS compares every CGCS2000 Gauss-Krüger zone
// (EPSG:4491-4554) and Web Mercator with PROJ's cs2cs, both directions,
// to 1 mm. The cs2cs runs (two per system, each loading PROJ's database)
// go a few at a time.
func TestGaussKrugerAgainstCS2CS(t *testing.T) {
	bin := needProj(t, "cs2cs")
	systems := append([]*System{SysWebMercator}, gkSystems...)
	results := make([]zoneResult, len(systems))
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	for i, sys := range systems {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if sys == SysWebMercator {
				pts := []orb.Point{{0, 0}, {104.8304, 26.5925}, {-120.5, -45.25}, {179.9, 84.9}, {73.5, 18}, {135, 54}}
				results[i] = compareZone(bin, sys, "EPSG:4326", pts, false)
				return
			}
			w := 3.0
			if sys.epsg < gk3Zoned {
				w = 6
			}
			results[i] = compareZone(bin, sys, "EPSG:4490", zonePoints(sys.tm.lon0*180/math.Pi, w), true)
		})
	}
	wg.Wait()
	var maxFwd, maxInv float64
	for i, r := range results {
		if r.err != nil {
			t.Fatal(r.err)
		}
		for _, f := range r.faults {
			t.Error(f)
		}
		if systems[i] != SysWebMercator {
			maxFwd, maxInv = math.Max(maxFwd, r.fwd), math.Max(maxInv, r.inv)
		}
	}
	t.Logf("max disagreement with cs2cs over %d zones x %d points: Gauss-Krüger forward %.6f mm, inverse %.6f mm; Web Mercator forward %.6f mm, inverse %.6f mm",
		len(gkSystems), len(zonePoints(105, 3)), maxFwd*1e3, maxInv*1e3, results[0].fwd*1e3, results[0].inv*1e3)
}

// compareZone projects pts with sys and with cs2cs (geographic source geo,
// lat lon order; the projected side northing first when northFirst) and
// returns the largest forward and inverse differences in meters, with a
// fault for each point beyond 1 mm.
func compareZone(bin string, sys *System, geo string, pts []orb.Point, northFirst bool) (r zoneResult) {
	const tol = 1e-3 // meters
	in := make([][2]float64, len(pts))
	for i, p := range pts {
		in[i] = [2]float64{p[1], p[0]}
	}
	want, err := cs2cs(bin, geo, sys.String(), in)
	if err != nil {
		return zoneResult{err: err}
	}
	xys := make([]orb.Point, len(pts))
	for i, p := range pts {
		got := sys.FromWGS84(p)
		w := orb.Point{want[i][0], want[i][1]}
		if northFirst {
			w = orb.Point{want[i][1], want[i][0]}
		}
		d := math.Hypot(got[0]-w[0], got[1]-w[1])
		if d > tol {
			r.faults = append(r.faults, fmt.Sprintf("%s FromWGS84(%v) = %.4f, cs2cs %.4f (%.3f mm apart)", sys, p, got, w, d*1e3))
		}
		r.fwd = math.Max(r.fwd, d)
		xys[i] = w
		in[i] = [2]float64{w[0], w[1]}
		if northFirst {
			in[i] = [2]float64{w[1], w[0]}
		}
	}
	back, err := cs2cs(bin, sys.String(), geo, in)
	if err != nil {
		return zoneResult{err: err}
	}
	for i, xy := range xys {
		got := sys.ToWGS84(xy)
		w := orb.Point{back[i][1], back[i][0]}
		d := groundError(got, w)
		if d > tol {
			r.faults = append(r.faults, fmt.Sprintf("%s ToWGS84(%.4f) = %.10f, cs2cs %.10f (%.3f mm apart)", sys, xy, got, w, d*1e3))
		}
		r.inv = math.Max(r.inv, d)
	}
	return r
}

// TestRoundTrip checks ToWGS84(FromWGS84(p)) == p within 1e-9 degrees for
// every system on the same points.
func TestRoundTrip(t *testing.T) {
	for _, sys := range Systems() {
		w := 3.0
		cm := 105.0
		if sys.tm != nil {
			cm = sys.tm.lon0 * 180 / math.Pi
			if sys.epsg < gk3Zoned {
				w = 6
			}
		}
		for _, p := range zonePoints(cm, w) {
			got := sys.ToWGS84(sys.FromWGS84(p))
			if math.Abs(got[0]-p[0]) > 1e-9 || math.Abs(got[1]-p[1]) > 1e-9 {
				t.Errorf("%s: ToWGS84(FromWGS84(%v)) = %.12f", sys, p, got)
			}
		}
	}
}
