package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// systemNames maps the lower-case names ParseSystem accepts to systems.
var systemNames = map[string]*System{
	"wgs84": SysWGS84, "wgs-84": SysWGS84, "wgs 84": SysWGS84,
	"crs84": SysCRS84, "ogc:crs84": SysCRS84,
	"cgcs2000": SysCGCS2000, "cgcs-2000": SysCGCS2000,
	"gcj02": SysGCJ02, "gcj-02": SysGCJ02,
	"bd09": SysBD09, "bd-09": SysBD09, "bd09ll": SysBD09,
	"webmercator": SysWebMercator, "web-mercator": SysWebMercator,
	"pseudo-mercator": SysWebMercator,
}

// ParseSystem returns the system s names, ignoring case and surrounding
// spaces. It accepts EPSG codes as "EPSG:4544" or "4544", the OGC URN
// "urn:ogc:def:crs:EPSG::4490" (with or without a version) and http URI
// "http://www.opengis.net/def/crs/EPSG/0/4490", CRS84 as
// "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
// "urn:ogc:def:crs:OGC:1.3:CRS84" or "CRS84", and the names "wgs84",
// "cgcs2000", "gcj02", "bd09" and "webmercator" (with the hyphenated
// spellings Parse accepts). Anything else, or an EPSG code ByEPSG does not
// support, yields an error wrapping ErrUnknownCRS.
func ParseSystem(s string) (*System, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if sys, ok := systemNames[t]; ok {
		return sys, nil
	}
	if code, ok := epsgCode(t); ok {
		sys, err := ByEPSG(code)
		if err != nil {
			return nil, fmt.Errorf("parsing CRS %q: %w", clip(s, 64), err)
		}
		return sys, nil
	}
	if isCRS84URI(t) {
		return SysCRS84, nil
	}
	return nil, fmt.Errorf("parsing CRS %q: %w", clip(s, 64), ErrUnknownCRS)
}

// epsgCode extracts the code from the lower-cased EPSG forms ParseSystem
// accepts.
func epsgCode(t string) (int, bool) {
	var digits string
	switch {
	case strings.HasPrefix(t, "epsg:"):
		digits = t[len("epsg:"):]
	case strings.HasPrefix(t, "urn:ogc:def:crs:epsg:"):
		// urn:ogc:def:crs:EPSG:[version]:code
		rest := t[len("urn:ogc:def:crs:epsg:"):]
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			return 0, false
		}
		digits = rest[i+1:]
	default:
		rest, ok := cutHTTP(t, "/def/crs/epsg/")
		if !ok {
			digits = t
			break
		}
		// {version}/code
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return 0, false
		}
		digits = rest[i+1:]
	}
	if digits == "" || len(digits) > 9 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

// cutHTTP returns what follows http(s)://www.opengis.net+path in t.
func cutHTTP(t, path string) (string, bool) {
	for _, scheme := range [...]string{"http://", "https://"} {
		if rest, ok := strings.CutPrefix(t, scheme+"www.opengis.net"+path); ok {
			return rest, true
		}
	}
	return "", false
}

// isCRS84URI reports whether t is an OGC URN or http URI of CRS84.
func isCRS84URI(t string) bool {
	if rest, ok := strings.CutPrefix(t, "urn:ogc:def:crs:ogc:"); ok {
		return strings.HasSuffix(rest, ":crs84") || rest == "crs84"
	}
	rest, ok := cutHTTP(t, "/def/crs/ogc/")
	return ok && strings.HasSuffix(rest, "/crs84")
}
