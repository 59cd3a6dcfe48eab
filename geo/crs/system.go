package crs

import (
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// kind is how a System's coordinates relate to WGS-84.
type kind uint8

const (
	geographic  kind = iota // lon/lat on WGS-84 or CGCS2000 (identical here)
	gaussKruger             // Transverse Mercator on the CGCS2000 ellipsoid
	webMercator             // EPSG:3857 spherical Mercator
	offset                  // GCJ-02 or BD-09 lon/lat (an obfuscated WGS-84)
)

// A System is a coordinate system data can come in: WGS-84, CGCS2000
// geographic, a CGCS2000 Gauss-Krüger zone, Web Mercator, GCJ-02 or BD-09.
// Points are always in the data's x/y order, the order files use: lon/lat
// for geographic systems, easting/northing for projected ones, whatever
// the authority's axis order (see AuthorityLatFirst). Systems are
// immutable and safe for concurrent use; compare them with ==.
type System struct {
	epsg     int
	name     string
	uri      string
	kind     kind
	latFirst bool
	offset   CRS    // GCJ02 or BD09 for kind offset
	tm       *tmerc // for kind gaussKruger
}

// EPSG returns the system's EPSG code, or 0 for GCJ-02 and BD-09, which
// have none. CRS84 answers 4326: it is WGS-84 with the axes in lon/lat
// order.
func (s *System) EPSG() int { return s.epsg }

// Name returns a human-readable name: the EPSG name for EPSG systems
// ("CGCS2000 / 3-degree Gauss-Kruger CM 105E"), "GCJ-02" or "BD-09".
func (s *System) Name() string { return s.name }

// URI returns the OGC http URI of the system
// ("http://www.opengis.net/def/crs/EPSG/0/4544",
// "http://www.opengis.net/def/crs/OGC/1.3/CRS84"), or "" for GCJ-02 and
// BD-09, which no authority registers.
func (s *System) URI() string { return s.uri }

// Projected reports whether the coordinates are meters on a map
// projection (Gauss-Krüger, Web Mercator) rather than degrees.
func (s *System) Projected() bool { return s.kind == gaussKruger || s.kind == webMercator }

// AuthorityLatFirst reports whether the authority's axis order puts the
// north axis first: latitude for EPSG:4326 and 4490, northing (X) for the
// CGCS2000 Gauss-Krüger zones. It is false for CRS84, Web Mercator,
// GCJ-02 and BD-09. Protocols that follow the authority order (OGC API
// Features with a crs parameter, WFS 2) swap the axes when it is true;
// files and this package's methods never do.
func (s *System) AuthorityLatFirst() bool { return s.latFirst }

// String returns "EPSG:N" for EPSG systems, "CRS84", or the name.
func (s *System) String() string {
	switch {
	case s.uri == uriCRS84:
		return "CRS84"
	case s.epsg != 0:
		return "EPSG:" + strconv.Itoa(s.epsg)
	}
	return s.name
}

// ToWGS84 converts p, in the system's x/y order, to a WGS-84 lon/lat
// point. CGCS2000 is taken as identical to WGS-84, as PROJ does.
func (s *System) ToWGS84(p orb.Point) orb.Point {
	switch s.kind {
	case gaussKruger:
		return s.tm.inverse(p)
	case webMercator:
		return mercatorInverse(p)
	case offset:
		return ToWGS84(s.offset, p)
	}
	return p
}

// FromWGS84 converts a WGS-84 lon/lat point to the system, in its x/y
// order. It is the inverse of ToWGS84.
func (s *System) FromWGS84(p orb.Point) orb.Point {
	switch s.kind {
	case gaussKruger:
		return s.tm.forward(p)
	case webMercator:
		return mercatorForward(p)
	case offset:
		return FromWGS84(s.offset, p)
	}
	return p
}

const (
	uriEPSG  = "http://www.opengis.net/def/crs/EPSG/0/"
	uriCRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
)

// The systems every program needs by name.
var (
	// SysWGS84 is WGS-84 geographic, EPSG:4326 (latitude first in
	// authority order).
	SysWGS84 = &System{epsg: 4326, name: "WGS 84", uri: uriEPSG + "4326", latFirst: true}
	// SysCRS84 is WGS-84 geographic with longitude first, OGC's CRS84,
	// the default of OGC API Features and GeoJSON.
	SysCRS84 = &System{epsg: 4326, name: "WGS 84 (CRS84)", uri: uriCRS84}
	// SysCGCS2000 is CGCS2000 geographic, EPSG:4490 (latitude first in
	// authority order).
	SysCGCS2000 = &System{epsg: 4490, name: "China Geodetic Coordinate System 2000", uri: uriEPSG + "4490", latFirst: true}
	// SysWebMercator is WGS 84 / Pseudo-Mercator, EPSG:3857.
	SysWebMercator = &System{epsg: 3857, name: "WGS 84 / Pseudo-Mercator", uri: uriEPSG + "3857", kind: webMercator}
	// SysGCJ02 is GCJ-02 lon/lat (Amap, Tencent).
	SysGCJ02 = &System{name: "GCJ-02", kind: offset, offset: GCJ02}
	// SysBD09 is BD-09 lon/lat (Baidu).
	SysBD09 = &System{name: "BD-09", kind: offset, offset: BD09}
)

// The CGCS2000 Gauss-Krüger EPSG ranges (see DOMAIN.md): 6-degree zones
// 13-23 and 3-degree zones 25-45, each with and without the zone number
// in the false easting.
const (
	gk6Zoned, gk6Plain = 4491, 4502 // zones 13..23, CM 75..135 step 6
	gk3Zoned, gk3Plain = 4513, 4534 // zones 25..45, CM 75..135 step 3
	gk6Count, gk3Count = 11, 21
	gkFirst, gkLast    = 4491, 4554
)

// gkSystems holds EPSG:4491..4554 in code order.
var gkSystems = buildGaussKruger()

func buildGaussKruger() []*System {
	out := make([]*System, 0, gkLast-gkFirst+1)
	add := func(code, zone int, cm float64, zoned bool, three bool) {
		fe := 500000.0
		if zoned {
			fe += float64(zone) * 1e6
		}
		name := "CGCS2000 / Gauss-Kruger "
		if three {
			name = "CGCS2000 / 3-degree Gauss-Kruger "
		}
		if zoned {
			name += "zone " + strconv.Itoa(zone)
		} else {
			name += "CM " + strconv.Itoa(int(cm)) + "E"
		}
		out = append(out, &System{
			epsg: code, name: name, uri: uriEPSG + strconv.Itoa(code),
			kind: gaussKruger, latFirst: true, tm: newTmerc(cm, fe),
		})
	}
	for i := range gk6Count {
		add(gk6Zoned+i, 13+i, float64(75+6*i), true, false)
	}
	for i := range gk6Count {
		add(gk6Plain+i, 13+i, float64(75+6*i), false, false)
	}
	for i := range gk3Count {
		add(gk3Zoned+i, 25+i, float64(75+3*i), true, true)
	}
	for i := range gk3Count {
		add(gk3Plain+i, 25+i, float64(75+3*i), false, true)
	}
	return out
}

// ByEPSG returns the system with EPSG code code: 4326, 4490, 3857 or one
// of the CGCS2000 Gauss-Krüger zones 4491-4554. Any other code yields an
// error wrapping ErrUnknownCRS.
func ByEPSG(code int) (*System, error) {
	switch {
	case code == 4326:
		return SysWGS84, nil
	case code == 4490:
		return SysCGCS2000, nil
	case code == 3857:
		return SysWebMercator, nil
	case code >= gkFirst && code <= gkLast:
		return gkSystems[code-gkFirst], nil
	}
	return nil, fmt.Errorf("EPSG:%d is not a supported system (4326, 4490, 3857, 4491-4554): %w", code, ErrUnknownCRS)
}

// Systems returns every supported system: CRS84, EPSG:4326, 4490, 3857,
// 4491-4554, then GCJ-02 and BD-09 (which have no URI). The slice is new;
// the systems are shared.
func Systems() []*System {
	out := []*System{SysCRS84, SysWGS84, SysCGCS2000, SysWebMercator}
	out = append(out, gkSystems...)
	return append(out, SysGCJ02, SysBD09)
}
