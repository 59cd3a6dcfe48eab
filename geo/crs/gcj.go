package crs

import (
	"math"

	"github.com/paulmach/orb"
)

// The Krasovsky 1940 ellipsoid the GCJ-02 formulas use.
const (
	krasovskyA  = 6378245.0              // semi-major axis in meters
	krasovskyEE = 0.00669342162296594323 // first eccentricity squared
)

// xPi is the BD-09 rotation constant π·3000/180.
const xPi = math.Pi * 3000.0 / 180.0

// The inverse GCJ-02 iteration stops when a step moves less than
// inverseTolerance degrees (about 1e-5 m) or after maxInverseSteps steps.
// The forward offset changes by less than 1% of a step per step, so the
// fixed point is reached in three or four steps.
const (
	inverseTolerance = 1e-10
	maxInverseSteps  = 30
)

// inChina reports whether p lies in the bounding box of China in which the
// GCJ-02 offset applies. It is false for NaN or infinite coordinates.
func inChina(p orb.Point) bool {
	return p[0] >= 72.004 && p[0] <= 137.8347 && p[1] >= 0.8293 && p[1] <= 55.8271
}

// finite reports whether both coordinates of p are finite.
func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

// WGS84ToGCJ02 converts a WGS-84 point to GCJ-02. A point outside China is
// returned unchanged.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if !inChina(p) {
		return p
	}
	d := gcjOffset(p)
	return orb.Point{p[0] + d[0], p[1] + d[1]}
}

// GCJ02ToWGS84 converts a GCJ-02 point to WGS-84. The offset has no closed
// inverse: GCJ02ToWGS84 iterates w = g - offset(w) until a step moves less
// than 1e-10 degrees (at most 30 steps), which inverts WGS84ToGCJ02 to well
// under 0.01 m. A point outside China is returned unchanged.
func GCJ02ToWGS84(g orb.Point) orb.Point {
	if !inChina(g) {
		return g
	}
	w := g
	for range maxInverseSteps {
		d := gcjOffset(w)
		next := orb.Point{g[0] - d[0], g[1] - d[1]}
		step := math.Max(math.Abs(next[0]-w[0]), math.Abs(next[1]-w[1]))
		w = next
		if !(step >= inverseTolerance) { // also stops on NaN
			break
		}
	}
	return w
}

// gcjOffset returns the GCJ-02 offset (dLon, dLat) in degrees at the WGS-84
// point p, with the formulas of the published algorithm.
func gcjOffset(p orb.Point) orb.Point {
	x, y := p[0]-105.0, p[1]-35.0
	dLat := gcjLat(x, y)
	dLon := gcjLon(x, y)
	phi := p[1] / 180.0 * math.Pi
	sinPhi := math.Sin(phi)
	m := 1 - krasovskyEE*sinPhi*sinPhi
	s := math.Sqrt(m)
	dLat = (dLat * 180.0) / ((krasovskyA * (1 - krasovskyEE)) / (m * s) * math.Pi)
	dLon = (dLon * 180.0) / (krasovskyA / s * math.Cos(phi) * math.Pi)
	return orb.Point{dLon, dLat}
}

func gcjLat(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320.0*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjLon(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}

// GCJ02ToBD09 converts a GCJ-02 point to BD-09 with Baidu's published
// formula. It applies everywhere, inside China or not.
func GCJ02ToBD09(p orb.Point) orb.Point {
	if !finite(p) {
		return p
	}
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*xPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*xPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// BD09ToGCJ02 converts a BD-09 point to GCJ-02. It starts from the
// published inverse formula (subtract (0.0065, 0.006), then undo the
// rotation and scaling with the opposite signs), which alone is off by up
// to about 0.2 m, and refines it with fixed-point steps on GCJ02ToBD09 until
// a step moves less than 1e-10 degrees (at most 30 steps), so that
// GCJ02ToBD09(BD09ToGCJ02(b)) == b to well under 0.01 m. It applies
// everywhere, inside China or not.
func BD09ToGCJ02(p orb.Point) orb.Point {
	if !finite(p) {
		return p
	}
	g := bdInverseApprox(p)
	for range maxInverseSteps {
		b := GCJ02ToBD09(g)
		next := orb.Point{g[0] - (b[0] - p[0]), g[1] - (b[1] - p[1])}
		step := math.Max(math.Abs(next[0]-g[0]), math.Abs(next[1]-g[1]))
		g = next
		if !(step >= inverseTolerance) { // also stops on NaN
			break
		}
	}
	return g
}

// bdInverseApprox is the published one-step BD-09 to GCJ-02 formula.
func bdInverseApprox(p orb.Point) orb.Point {
	x, y := p[0]-0.0065, p[1]-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*xPi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*xPi)
	return orb.Point{z * math.Cos(theta), z * math.Sin(theta)}
}
