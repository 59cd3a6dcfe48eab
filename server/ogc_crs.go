package server

import (
	"math"
	"net/http"
	"strings"

	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// The URIs of the systems /ogc names in its documents.
var (
	crs84URI   = crs.SysCRS84.URI()
	epsgPrefix = strings.TrimSuffix(crs.SysWGS84.URI(), "4326")
)

// An ogcCRS is a coordinate system of /ogc (Part 2): a crs.System and its
// URI. Positions on the wire follow the authority's axis order.
type ogcCRS struct {
	sys *crs.System
	uri string
}

// ogcCRSList is every coordinate system served: CRS84 (the storage CRS),
// EPSG:4326, EPSG:4490 (CGCS2000) and the CGCS2000 Gauss-Krüger zones
// (EPSG:4491-4554).
var ogcCRSList = func() []*ogcCRS {
	var out []*ogcCRS
	for _, s := range crs.Systems() {
		if s == crs.SysCRS84 || s == crs.SysWGS84 || s == crs.SysCGCS2000 ||
			(s.Projected() && s.EPSG() >= 4491 && s.EPSG() <= 4554) {
			out = append(out, &ogcCRS{sys: s, uri: s.URI()})
		}
	}
	return out
}()

// out maps a stored WGS-84 position to the system's coordinates in its
// authority's axis order.
func (c *ogcCRS) out(p orb.Point) orb.Point {
	p = c.sys.FromWGS84(p)
	if c.sys.AuthorityLatFirst() {
		p[0], p[1] = p[1], p[0]
	}
	return p
}

// in maps a position given in the system's authority axis order to WGS-84
// lon/lat.
func (c *ogcCRS) in(p orb.Point) orb.Point {
	if c.sys.AuthorityLatFirst() {
		p[0], p[1] = p[1], p[0]
	}
	return c.sys.ToWGS84(p)
}

// projected reports whether the system's units are meters.
func (c *ogcCRS) projected() bool { return c.sys.Projected() }

// encoder returns a feature encoder writing this system's coordinates:
// degrees on the 1e-7 lattice, meters to the millimetre.
func (c *ogcCRS) encoder() *cityio.FeatureEncoder {
	if c.sys == crs.SysCRS84 {
		return cityio.NewFeatureEncoder(nil, nil)
	}
	round := cityio.SnapCoord
	if c.projected() {
		round = roundMM
	}
	return cityio.NewFeatureEncoder(c.out, round)
}

// roundMM rounds meters to the millimetre.
func roundMM(v float64) float64 { return math.Round(v*1000) / 1000 }

// parseOGCCRS parses a crs, bbox-crs or filter-crs parameter: a URI of the
// list, a safe CURIE ([EPSG:4490]) or what crs.ParseSystem reads
// (EPSG:4544, urn:ogc:def:crs:EPSG::4490). An empty value is CRS84. A
// fault is a 400 naming field.
func parseOGCCRS(field, raw string) (*ogcCRS, error) {
	if raw == "" {
		return ogcCRSList[0], nil
	}
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	if sys, err := crs.ParseSystem(s); err == nil {
		for _, c := range ogcCRSList {
			if c.sys == sys {
				return c, nil
			}
		}
	}
	return nil, fieldErr(http.StatusBadRequest, field, "%s is not a served coordinate system: CRS84, EPSG:4326, EPSG:4490 or a CGCS2000 Gauss-Krüger zone (EPSG:4491-4554), as a URI like %s4490", quoteClip([]byte(raw)), epsgPrefix)
}

// appendCRSList appends the JSON array of the served CRS URIs.
func appendCRSList(b []byte) []byte {
	b = append(b, '[')
	for i, c := range ogcCRSList {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, c.uri)
	}
	return append(b, ']')
}
