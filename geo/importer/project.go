package importer

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

// A projection converts one layer's coordinates to WGS-84.
type projection struct {
	// name says which system and where it came from, for the report.
	name      string
	to        func(orb.Point) orb.Point
	projected bool // the system's coordinates are metres on a map
}

// layerProjection picks the system of layer l: its declared SRS, else
// the system given for it, else the default; none of the three is a fault
// naming the layer.
func layerProjection(r Role, in Input, def string) (projection, error) {
	l := in.Layer
	switch {
	case !l.SRS.IsZero():
		p, err := resolveSRS(l.SRS)
		if err != nil {
			return p, ingest.Errorf(l.Source, 0, "its coordinate system: %v", err)
		}
		p.name += " (declared by the file)"
		return p, nil
	case in.CRS != "":
		p, err := parseCRS(in.CRS)
		if err != nil {
			return p, fmt.Errorf("--%s-crs: %w", r, err)
		}
		p.name += fmt.Sprintf(" (--%s-crs)", r)
		return p, nil
	case def != "":
		p, err := parseCRS(def)
		if err != nil {
			return p, fmt.Errorf("--crs: %w", err)
		}
		p.name += " (--crs)"
		return p, nil
	}
	return projection{}, ingest.Errorf(l.Source, 0, "declares no coordinate system: pass --%s-crs or --crs (for example epsg:4544, cgcs2000, gcj02)", r)
}

// resolveSRS resolves a declared system with crs.Resolve.
func resolveSRS(s ingest.SRS) (projection, error) {
	sys, err := crs.Resolve(s.EPSG, s.WKT)
	if err != nil {
		return projection{}, err
	}
	return projection{name: sys.String() + " " + sys.Name(), to: sys.ToWGS84, projected: sys.Projected()}, nil
}

// parseCRS resolves a system given by name with crs.ParseSystem
// (epsg:4544, cgcs2000, gcj02, ...).
func parseCRS(name string) (projection, error) {
	sys, err := crs.ParseSystem(name)
	if err != nil {
		return projection{}, err
	}
	return projection{name: sys.String() + " " + sys.Name(), to: sys.ToWGS84, projected: sys.Projected()}, nil
}

// checkUnits refuses a layer whose coordinates are all small enough to be
// degrees while its system is projected (metres): the usual sign of a
// wrong --crs, which would otherwise shrink every shape to a speck.
func checkUnits(l *ingest.Layer, p projection) error {
	if !p.projected {
		return nil
	}
	var b orb.Bound
	first := true
	for i := range l.Features {
		if g := l.Features[i].Geometry; g != nil {
			if first {
				b, first = g.Bound(), false
			} else {
				b = b.Union(g.Bound())
			}
		}
	}
	if first || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return nil
	}
	return ingest.Errorf(l.Source, 0, "coordinates %.6f,%.6f .. %.6f,%.6f look like degrees, but %s is in metres: wrong coordinate system?",
		b.Min[0], b.Min[1], b.Max[0], b.Max[1], p.name)
}

// projectGeometry converts every point of g in place with to, and reports
// the first point that is not a finite longitude/latitude afterwards.
func projectGeometry(g orb.Geometry, to func(orb.Point) orb.Point) (orb.Geometry, error) {
	var bad error
	conv := func(p orb.Point) orb.Point {
		q := to(p)
		if bad == nil && !(finite(q) && q[0] >= -180 && q[0] <= 180 && q[1] >= -90 && q[1] <= 90) {
			bad = fmt.Errorf("point %v converts to %v, not a longitude/latitude: wrong coordinate system?", p, q)
		}
		return q
	}
	switch v := g.(type) {
	case orb.Point:
		return conv(v), bad
	case orb.MultiPoint:
		convPoints(v, conv)
	case orb.LineString:
		convPoints(v, conv)
	case orb.MultiLineString:
		for _, ls := range v {
			convPoints(ls, conv)
		}
	case orb.Polygon:
		for _, r := range v {
			convPoints(r, conv)
		}
	case orb.MultiPolygon:
		for _, poly := range v {
			for _, r := range poly {
				convPoints(r, conv)
			}
		}
	}
	return g, bad
}

func convPoints(ps []orb.Point, conv func(orb.Point) orb.Point) {
	for i, p := range ps {
		ps[i] = conv(p)
	}
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}
