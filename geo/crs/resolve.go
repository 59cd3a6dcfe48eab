package crs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Resolve returns the system a file declares: by its EPSG code when epsg
// is not 0, else from wkt, the WKT text of a Shapefile's .prj or a
// GeoPackage's srs definition (ESRI WKT1, OGC WKT1 or WKT2). It takes the
// WKT's top-level EPSG authority (AUTHORITY or ID) when present; else it
// recognises the system by its parameters: a CGCS2000 or WGS 84 datum,
// and for projected systems a Transverse Mercator (Gauss_Kruger) with
// scale 1, latitude of origin 0 and false northing 0 whose central
// meridian and false easting name a CGCS2000 Gauss-Krüger zone, or Web
// Mercator. Where a 3-degree and a 6-degree zone share a central meridian
// and false easting (the same projection), a name saying "3 degree"
// chooses the 3-degree code and any other name the 6-degree one. WKT it
// cannot map is an error naming what it found, wrapping ErrUnknownCRS
// (or ErrBadWKT for text that is not WKT); Resolve never guesses.
func Resolve(epsg int, wkt string) (*System, error) {
	if epsg != 0 {
		return ByEPSG(epsg)
	}
	if strings.TrimSpace(wkt) == "" {
		return nil, fmt.Errorf("no EPSG code and no WKT: %w", ErrUnknownCRS)
	}
	root, err := parseWKT(wkt)
	if err != nil {
		return nil, err
	}
	return resolveNode(root)
}

// resolveNode maps a parsed WKT CRS node to a system.
func resolveNode(n *wktNode) (*System, error) {
	switch n.key {
	case "BOUNDCRS":
		src := n.child("SOURCECRS")
		if src == nil || len(src.kids) == 0 {
			return nil, fmt.Errorf("BOUNDCRS without SOURCECRS: %w", ErrUnknownCRS)
		}
		return resolveNode(src.kids[0])
	case "COMPD_CS", "COMPOUNDCRS":
		if len(n.kids) == 0 {
			return nil, fmt.Errorf("%s without a horizontal system: %w", n.key, ErrUnknownCRS)
		}
		return resolveNode(n.kids[0])
	}
	if code, ok := authorityCode(n); ok {
		return ByEPSG(code)
	}
	switch n.key {
	case "GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS":
		return resolveGeographic(n)
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		return resolveProjected(n)
	}
	return nil, fmt.Errorf("WKT %s is not a geographic or projected system: %w", clip(n.key, 32), ErrUnknownCRS)
}

// authorityCode returns the EPSG code of n's own AUTHORITY (WKT1) or ID
// (WKT2), not those of its parts.
func authorityCode(n *wktNode) (int, bool) {
	a := n.child("AUTHORITY", "ID")
	if a == nil || !strings.EqualFold(a.val(0), "EPSG") {
		return 0, false
	}
	code, err := strconv.Atoi(a.val(1))
	return code, err == nil
}

// datum is a datum Resolve knows.
type datum uint8

const (
	datumCGCS2000 datum = iota + 1
	datumWGS84
)

// geogDatum recognises the datum of a geographic CRS node by its name,
// checks its ellipsoid and prime meridian, and names what it found when
// it is none it knows.
func geogDatum(g *wktNode) (datum, error) {
	if g == nil {
		return 0, fmt.Errorf("projected WKT without a geographic base: %w", ErrUnknownCRS)
	}
	d := g.child("DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE")
	if d == nil {
		return 0, fmt.Errorf("geographic system %q without a datum: %w", g.val(0), ErrUnknownCRS)
	}
	sph := d.child("SPHEROID", "ELLIPSOID")
	a, _ := sph.num(1)
	invF, _ := sph.num(2)
	name := squash(d.val(0))
	var got datum
	var wantInvF float64
	switch {
	case strings.Contains(name, "china2000") || strings.Contains(name, "cgcs2000") ||
		strings.Contains(name, "chinageodeticcoordinatesystem2000"):
		got, wantInvF = datumCGCS2000, cgcsInvF
	case strings.Contains(name, "wgs1984") || strings.Contains(name, "wgs84") ||
		strings.Contains(name, "worldgeodeticsystem1984"):
		got, wantInvF = datumWGS84, 298.257223563
	default:
		return 0, fmt.Errorf("unknown datum %q (ellipsoid %q a=%g 1/f=%g): %w",
			d.val(0), sph.val(0), a, invF, ErrUnknownCRS)
	}
	if math.Abs(a-cgcsA) > 1e-3 || math.Abs(invF-wantInvF) > 1e-6 {
		return 0, fmt.Errorf("datum %q with ellipsoid %q a=%g 1/f=%g, not its own: %w",
			d.val(0), sph.val(0), a, invF, ErrUnknownCRS)
	}
	if pm := g.child("PRIMEM", "PRIMEMERIDIAN"); pm != nil {
		if v, _ := pm.num(1); v != 0 {
			return 0, fmt.Errorf("prime meridian %q at %g, not Greenwich: %w", pm.val(0), v, ErrUnknownCRS)
		}
	}
	return got, nil
}

// squash lower-cases s and drops everything but letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func resolveGeographic(g *wktNode) (*System, error) {
	d, err := geogDatum(g)
	if err != nil {
		return nil, err
	}
	if d == datumCGCS2000 {
		return SysCGCS2000, nil
	}
	return SysWGS84, nil
}

// projection is what resolveProjected reads from a projected CRS node.
type projection struct {
	name, method                  string
	lon0, lat0, k, fe, fn, factor float64
}

func resolveProjected(n *wktNode) (*System, error) {
	pr, err := readProjection(n)
	if err != nil {
		return nil, err
	}
	base := n.child("GEOGCS", "BASEGEOGCRS", "BASEGEODCRS")
	if webMercatorNamed(pr) {
		return resolveWebMercator(base, pr)
	}
	d, err := geogDatum(base)
	if err != nil {
		return nil, err
	}
	if method := squash(pr.method); method == "transversemercator" || method == "gausskruger" {
		if d != datumCGCS2000 {
			return nil, fmt.Errorf("%s on WGS 84 (central meridian %g, false easting %g) is not a supported system: %w",
				pr.method, pr.lon0, pr.fe, ErrUnknownCRS)
		}
		return gaussKrugerZone(pr)
	}
	return nil, fmt.Errorf("projection %q (%q, central meridian %g, false easting %g) is not a supported system: %w",
		pr.method, pr.name, pr.lon0, pr.fe, ErrUnknownCRS)
}

// webMercatorNamed reports whether the method or the name says Web
// Mercator (ESRI's Mercator_Auxiliary_Sphere, EPSG's Popular
// Visualisation Pseudo Mercator, "WGS_1984_Web_Mercator").
func webMercatorNamed(pr projection) bool {
	method, name := squash(pr.method), squash(pr.name)
	return method == "mercatorauxiliarysphere" || method == "popularvisualisationpseudomercator" ||
		strings.Contains(name, "pseudomercator") || strings.Contains(name, "webmercator")
}

// resolveWebMercator accepts a Web Mercator on WGS 84 or on the 6378137 m
// sphere older ESRI files declare ("D_WGS_1984_Major_Auxiliary_Sphere"),
// with no offsets, as EPSG:3857.
func resolveWebMercator(base *wktNode, pr projection) (*System, error) {
	sph := base.child("DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE").child("SPHEROID", "ELLIPSOID")
	a, _ := sph.num(1)
	if a == mercatorR && pr.lon0 == 0 && pr.fe == 0 && pr.fn == 0 {
		return SysWebMercator, nil
	}
	return nil, fmt.Errorf("a Web Mercator %q on ellipsoid %q a=%g, central meridian %g, false easting %g, false northing %g is not EPSG:3857: %w",
		pr.name, sph.val(0), a, pr.lon0, pr.fe, pr.fn, ErrUnknownCRS)
}

// readProjection collects the method, parameters and linear unit of a
// WKT1 PROJCS or a WKT2 PROJCRS, in degrees and meters.
func readProjection(n *wktNode) (projection, error) {
	pr := projection{name: n.val(0), k: 1, factor: 1}
	params := n
	if conv := n.child("CONVERSION"); conv != nil { // WKT2
		params = conv
		pr.method = conv.child("METHOD", "PROJECTION").val(0)
	} else {
		pr.method = n.child("PROJECTION").val(0)
	}
	if u := n.child("UNIT", "LENGTHUNIT"); u != nil {
		pr.factor, _ = u.num(1)
	}
	if cs := n.child("CS"); cs != nil {
		if u := n.child("AXIS").child("LENGTHUNIT", "UNIT"); u != nil {
			pr.factor, _ = u.num(1)
		}
	}
	if pr.factor != 1 {
		return pr, fmt.Errorf("projected system %q in units of %g m, not meters: %w", pr.name, pr.factor, ErrUnknownCRS)
	}
	for _, p := range params.kids {
		if p.key != "PARAMETER" {
			continue
		}
		v, ok := p.num(1)
		if !ok {
			return pr, fmt.Errorf("parameter %q has no number: %w", p.val(0), ErrBadWKT)
		}
		if u := p.child("LENGTHUNIT"); u != nil {
			f, _ := u.num(1)
			v *= f
		}
		switch squash(p.val(0)) {
		case "centralmeridian", "longitudeofnaturalorigin", "longitudeoforigin", "longitudeofcenter":
			pr.lon0 = v
		case "latitudeoforigin", "latitudeofnaturalorigin", "latitudeofcenter":
			pr.lat0 = v
		case "scalefactor", "scalefactoratnaturalorigin":
			pr.k = v
		case "falseeasting":
			pr.fe = v
		case "falsenorthing":
			pr.fn = v
		}
	}
	return pr, nil
}

// errNoZone is wrapped by gaussKrugerZone's errors.
var errNoZone = errors.New("no CGCS2000 Gauss-Kruger zone has these parameters")

// gaussKrugerZone finds the EPSG zone of a CGCS2000 Transverse Mercator.
func gaussKrugerZone(pr projection) (*System, error) {
	fail := func() (*System, error) {
		return nil, fmt.Errorf("%s %q: central meridian %g, false easting %g, false northing %g, scale %g, latitude of origin %g: %w: %w",
			pr.method, pr.name, pr.lon0, pr.fe, pr.fn, pr.k, pr.lat0, errNoZone, ErrUnknownCRS)
	}
	cm := int(math.Round(pr.lon0))
	if pr.k != 1 || pr.lat0 != 0 || pr.fn != 0 || float64(cm) != pr.lon0 ||
		cm < 75 || cm > 135 || cm%3 != 0 {
		return fail()
	}
	six := (cm+3)%6 == 0 // a 6-degree central meridian (75, 81, ..., 135)
	if pr.fe == 500000 {
		if six && !threeDegreeName(pr.name) {
			return ByEPSG(gk6Plain + (cm-75)/6)
		}
		return ByEPSG(gk3Plain + (cm-75)/3)
	}
	zone := (pr.fe - 500000) / 1e6
	switch z := int(zone); {
	case float64(z) != zone:
		return fail()
	case z >= 13 && z <= 23 && cm == 6*z-3:
		return ByEPSG(gk6Zoned + z - 13)
	case z >= 25 && z <= 45 && cm == 3*z:
		return ByEPSG(gk3Zoned + z - 25)
	}
	return fail()
}

// threeDegreeName reports whether a projected system's name says it is a
// 3-degree zone ("CGCS2000_3_Degree_GK_CM_105E",
// "CGCS2000 / 3-degree Gauss-Kruger CM 105E").
func threeDegreeName(name string) bool {
	return strings.Contains(squash(name), "3degree")
}
