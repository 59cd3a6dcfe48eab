// Package crs names the coordinate reference systems gridmap accepts from
// clients and converts points between them and WGS-84, the system every
// stored coordinate uses.
//
// The Chinese web-map systems are obfuscated offsets of WGS-84: GCJ-02
// (Amap, Tencent) shifts a point by up to several hundred meters with the
// published Krasovsky-ellipsoid formulas, and BD-09 (Baidu) rotates and
// shifts GCJ-02 once more. CGCS2000 equals WGS-84 at map scale.
//
// Outside China (the usual bounding box lon 72.004..137.8347,
// lat 0.8293..55.8271) GCJ-02 applies no offset, as the map vendors do:
// WGS84ToGCJ02 and GCJ02ToWGS84 return such a point unchanged. The BD-09
// formulas apply everywhere. A point with a NaN or infinite coordinate is
// returned unchanged by every conversion; no conversion panics or loops
// without bound.
//
// A System is a coordinate system a city's data comes in: the above, OGC
// CRS84, Web Mercator (EPSG:3857) and every CGCS2000 Gauss-Krüger zone
// (EPSG:4491-4554). ByEPSG, ParseSystem (codes, OGC URNs and URIs, names)
// and Resolve (an EPSG code or .prj WKT) find one; its ToWGS84 and
// FromWGS84 convert points in the data's own x/y order.
package crs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ErrUnknownCRS is returned (wrapped) by Parse for a name it does not know.
var ErrUnknownCRS = errors.New("crs: unknown coordinate reference system")

// A CRS is a coordinate reference system of lon/lat points. The zero value
// is WGS84.
type CRS uint8

// The coordinate reference systems gridmap accepts.
const (
	// WGS84 is WGS-84 (EPSG:4326), the system gridmap stores.
	WGS84 CRS = iota
	// CGCS2000 is China Geodetic Coordinate System 2000 (EPSG:4490),
	// treated as identical to WGS-84.
	CGCS2000
	// GCJ02 is the GCJ-02 offset system of Amap and Tencent maps.
	GCJ02
	// BD09 is Baidu's BD-09 system (BD-09 lon/lat, not BD-09 Mercator).
	BD09
)

// names maps each CRS to its canonical name; the index is the CRS value.
var names = [...]string{WGS84: "wgs84", CGCS2000: "cgcs2000", GCJ02: "gcj02", BD09: "bd09"}

// String returns the canonical lower-case name: "wgs84", "cgcs2000",
// "gcj02" or "bd09", or "crs(N)" for a value that names no system.
func (c CRS) String() string {
	if int(c) < len(names) {
		return names[c]
	}
	return "crs(" + strconv.Itoa(int(c)) + ")"
}

// Valid reports whether c names a known system.
func (c CRS) Valid() bool { return int(c) < len(names) }

// Parse returns the CRS named s, ignoring case and surrounding spaces. It
// accepts the canonical names, the spellings with a hyphen ("wgs-84",
// "gcj-02", "bd-09"), "bd09ll", the EPSG codes "epsg:4326" (WGS84) and
// "epsg:4490" (CGCS2000), and "" for WGS84. Any other name yields an error
// wrapping ErrUnknownCRS.
func Parse(s string) (CRS, error) {
	t := strings.TrimSpace(s)
	for _, a := range aliases {
		if strings.EqualFold(t, a.name) {
			return a.crs, nil
		}
	}
	return WGS84, fmt.Errorf("parsing CRS %q: %w", clip(s, 32), ErrUnknownCRS)
}

// aliases lists every name Parse accepts.
var aliases = [...]struct {
	name string
	crs  CRS
}{
	{"", WGS84}, {"wgs84", WGS84}, {"wgs-84", WGS84}, {"epsg:4326", WGS84},
	{"cgcs2000", CGCS2000}, {"epsg:4490", CGCS2000},
	{"gcj02", GCJ02}, {"gcj-02", GCJ02},
	{"bd09", BD09}, {"bd-09", BD09}, {"bd09ll", BD09},
}

// clip shortens s to at most n bytes, on a rune boundary, for error messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// ToWGS84 converts p from c to WGS-84. An unknown c leaves p unchanged.
func ToWGS84(c CRS, p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return GCJ02ToWGS84(p)
	case BD09:
		return GCJ02ToWGS84(BD09ToGCJ02(p))
	}
	return p
}

// FromWGS84 converts p from WGS-84 to c. An unknown c leaves p unchanged.
func FromWGS84(c CRS, p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return WGS84ToGCJ02(p)
	case BD09:
		return GCJ02ToBD09(WGS84ToGCJ02(p))
	}
	return p
}
