package crs

import (
	"math"

	"github.com/paulmach/orb"
)

// The CGCS2000 ellipsoid (identical to GRS80 in a; f differs from GRS80's
// in the 12th digit).
const (
	cgcsA    = 6378137.0
	cgcsInvF = 298.257222101
)

// tmerc is a Transverse Mercator projection (scale 1 on the central
// meridian, latitude of origin 0, false northing 0, as every CGCS2000
// Gauss-Krüger zone) on the CGCS2000 ellipsoid, computed with Krüger's
// series in the third flattening n to order n^6 (the Poder/Engsager form
// PROJ 9 uses by default for tmerc). Within a zone (and far beyond: up to
// a few thousand kilometres from the central meridian) it is exact to
// well under a millimetre.
type tmerc struct {
	lon0  float64    // central meridian in radians
	fe    float64    // false easting in meters
	e     float64    // first eccentricity
	ka    float64    // k0 * A, the rectifying radius scaled
	alpha [6]float64 // forward series coefficients
	beta  [6]float64 // inverse series coefficients
}

// newTmerc returns the Gauss-Krüger projection with central meridian
// cmDeg (degrees) and false easting fe (meters).
func newTmerc(cmDeg, fe float64) *tmerc {
	f := 1 / cgcsInvF
	n := f / (2 - f)
	n2 := n * n
	n3, n4, n5, n6 := n2*n, n2*n2, n2*n2*n, n2*n2*n2
	t := &tmerc{lon0: cmDeg * math.Pi / 180, fe: fe, e: math.Sqrt(f * (2 - f))}
	t.ka = cgcsA / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	// Karney (2011), "Transverse Mercator with an accuracy of a few
	// nanometers", eqs. (35) and (36), to n^6.
	t.alpha = [6]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	t.beta = [6]float64{
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return t
}

// sinSeries returns sum_{j=1..6} c[j-1] * sin(2 j z) by Clenshaw's
// recurrence, for complex z.
func sinSeries(c *[6]float64, z complex128) complex128 {
	// sin and cos of 2z from one Sincos and one sinh/cosh pair.
	s, co := math.Sincos(2 * real(z))
	sh, ch := math.Sinh(2*imag(z)), math.Cosh(2*imag(z))
	s2, c2 := complex(s*ch, co*sh), complex(co*ch, -s*sh)
	var b1, b2 complex128
	for j := 5; j >= 0; j-- {
		b1, b2 = complex(c[j], 0)+2*c2*b1-b2, b1
	}
	return b1 * s2
}

// forward projects a lon/lat point (degrees) to easting/northing (meters).
func (t *tmerc) forward(p orb.Point) orb.Point {
	lam := p[0]*math.Pi/180 - t.lon0
	phi := p[1] * math.Pi / 180
	// Conformal latitude as tau' = tan(chi).
	tau := math.Tan(phi)
	taup := conformalTan(tau, t.e)
	cl := math.Cos(lam)
	xip := math.Atan2(taup, cl)
	etap := math.Asinh(math.Sin(lam) / math.Hypot(taup, cl))
	zp := complex(xip, etap)
	z := zp + sinSeries(&t.alpha, zp)
	return orb.Point{t.fe + t.ka*imag(z), t.ka * real(z)}
}

// inverse unprojects easting/northing (meters) to a lon/lat point
// (degrees).
func (t *tmerc) inverse(p orb.Point) orb.Point {
	z := complex(p[1]/t.ka, (p[0]-t.fe)/t.ka)
	zp := z - sinSeries(&t.beta, z)
	xip, etap := real(zp), imag(zp)
	sx, cx := math.Sincos(xip)
	sh := math.Sinh(etap)
	r := math.Hypot(sh, cx)
	lam := math.Atan2(sh, cx)
	taup := sx / r
	phi := math.Atan(geodeticTan(taup, t.e))
	return orb.Point{(lam + t.lon0) * 180 / math.Pi, phi * 180 / math.Pi}
}

// conformalTan returns tan of the conformal latitude for tau = tan(phi).
func conformalTan(tau, e float64) float64 {
	tau1 := math.Hypot(1, tau)
	sig := math.Sinh(e * math.Atanh(e*tau/tau1))
	return tau*math.Hypot(1, sig) - sig*tau1
}

// geodeticTan inverts conformalTan by Newton's method (Karney 2011,
// eqs. 19-21); it converges to machine precision in two or three steps.
func geodeticTan(taup, e float64) float64 {
	e2m := 1 - e*e
	tau := taup / e2m
	for range 6 {
		tau1 := math.Hypot(1, tau)
		tp := conformalTan(tau, e)
		d := (taup - tp) * (1 + e2m*tau*tau) / (e2m * math.Hypot(1, tp) * tau1)
		tau += d
		if !(math.Abs(d) >= 1e-15*math.Max(1, math.Abs(tau))) {
			break
		}
	}
	return tau
}

// The Web Mercator sphere radius and the latitude limit of its square.
const (
	mercatorR      = 6378137.0
	mercatorMaxLat = 85.05112877980659
)

// mercatorForward projects a WGS-84 lon/lat point to EPSG:3857 meters;
// latitudes beyond the square's limit are clamped to it.
func mercatorForward(p orb.Point) orb.Point {
	lat := math.Max(-mercatorMaxLat, math.Min(mercatorMaxLat, p[1]))
	x := mercatorR * p[0] * math.Pi / 180
	y := mercatorR * math.Log(math.Tan(math.Pi/4+lat*math.Pi/360))
	return orb.Point{x, y}
}

// mercatorInverse unprojects EPSG:3857 meters to a WGS-84 lon/lat point.
func mercatorInverse(p orb.Point) orb.Point {
	lon := p[0] / mercatorR * 180 / math.Pi
	lat := (2*math.Atan(math.Exp(p[1]/mercatorR)) - math.Pi/2) * 180 / math.Pi
	return orb.Point{lon, lat}
}
