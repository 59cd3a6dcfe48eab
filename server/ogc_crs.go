package server

import (
	"math"
	"net/http"
	"strings"

	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/paulmach/orb"
)

// The URIs of the geographic coordinate systems /ogc serves.
const (
	crs84URI   = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	epsgPrefix = "http://www.opengis.net/def/crs/EPSG/0/"
)

// An ogcCRS is a coordinate system of /ogc: how to map stored WGS-84
// lon/lat to it and back, in its authority's axis order.
type ogcCRS struct {
	uri string
	// latFirst is set when the authority orders the axes latitude (or
	// northing) first; positions are swapped on the way in and out.
	latFirst bool
	// fromWGS84 and toWGS84 map lon/lat to the system's x/y (easting,
	// northing) and back; nil for a geographic system equal to WGS-84 at
	// map scale (CGCS2000 is).
	fromWGS84, toWGS84 func(orb.Point) orb.Point
}

// ogcCRSList is every coordinate system served, CRS84 (the storage CRS)
// first.
var ogcCRSList = []*ogcCRS{
	{uri: crs84URI},
	{uri: epsgPrefix + "4326", latFirst: true},
	{uri: epsgPrefix + "4490", latFirst: true},
}

// out maps a stored WGS-84 position to the system's coordinates in its
// axis order.
func (c *ogcCRS) out(p orb.Point) orb.Point {
	if c.fromWGS84 != nil {
		p = c.fromWGS84(p)
	}
	if c.latFirst {
		p[0], p[1] = p[1], p[0]
	}
	return p
}

// in maps a position given in the system's axis order to WGS-84 lon/lat.
func (c *ogcCRS) in(p orb.Point) orb.Point {
	if c.latFirst {
		p[0], p[1] = p[1], p[0]
	}
	if c.toWGS84 != nil {
		p = c.toWGS84(p)
	}
	return p
}

// projected reports whether the system's units are meters.
func (c *ogcCRS) projected() bool { return c.fromWGS84 != nil }

// encoder returns a feature encoder writing this system's coordinates:
// degrees on the 1e-7 lattice, meters to the millimetre.
func (c *ogcCRS) encoder() *cityio.FeatureEncoder {
	if c.uri == crs84URI {
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

// parseOGCCRS parses a crs, bbox-crs or filter-crs parameter: a CRS URI
// of the list, a safe CURIE ([EPSG:4490]) or EPSG:4490. An empty value is
// CRS84. A fault is a 400 naming field.
func parseOGCCRS(field, raw string) (*ogcCRS, error) {
	if raw == "" {
		return ogcCRSList[0], nil
	}
	s := strings.TrimSpace(raw)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	s = strings.Replace(s, "https://", "http://", 1)
	if code, ok := strings.CutPrefix(strings.ToUpper(s), "EPSG:"); ok {
		s = epsgPrefix + code
	}
	if strings.EqualFold(s, "OGC:CRS84") || strings.EqualFold(s, "CRS84") {
		s = crs84URI
	}
	for _, c := range ogcCRSList {
		if c.uri == s {
			return c, nil
		}
	}
	return nil, fieldErr(http.StatusBadRequest, field, "%s is not a supported coordinate system; see the crs list of /ogc/collections", quoteClip([]byte(raw)))
}

// appendCRSList appends the JSON array of the served CRS URIs.
func appendCRSList(b []byte) []byte {
	b = append(b, '[')
	for i, c := range ogcCRSList {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.uri)
	}
	return append(b, ']')
}
