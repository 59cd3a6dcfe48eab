package cityio

import (
	"regexp"
	"strconv"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// DecodeLayer decodes any GeoJSON FeatureCollection (not only the city
// format's layers) into an ingest.Layer named name, with source naming
// the file in faults. Property values become text as ingest.Feature
// documents; fields are the property names in the order first seen. A
// "crs" member (the GeoJSON 2008 form, {"type":"name","properties":
// {"name":"urn:ogc:def:crs:EPSG::4544"}}) sets the layer's SRS; without
// one the SRS is left unset, since a file in GCJ-02 looks no different.
// Every fault is an *ingest.Error naming source, the feature (1-based)
// and the reason; the first one ends decoding.
func DecodeLayer(data []byte, name, source string) (*ingest.Layer, error) {
	l := &ingest.Layer{Name: name, Source: source, Encoding: "UTF-8", EncodingFrom: "declared"}
	fieldAt := map[string]int{}
	var cs coords
	var fault error
	var crsErr error
	member := func(s *wire.Scanner, key []byte) (bool, error) {
		if string(key) != "crs" {
			return false, nil
		}
		var v prop
		if err := scanValue(s, &v); err != nil {
			return true, err
		}
		l.SRS, crsErr = decodeCRSMember(v)
		return true, nil
	}
	err := scanCollectionMembers(data, func(f *rawFeature) {
		if fault != nil {
			return
		}
		feat, err := ingestFeature(f, &cs, l, fieldAt)
		if err != nil {
			fault = ingest.Errorf(source, f.index+1, "%s", err.Error())
			return
		}
		l.Features = append(l.Features, feat)
	}, member)
	switch {
	case err != nil:
		return nil, ingest.Errorf(source, 0, "%s", err.Error())
	case crsErr != nil:
		return nil, ingest.Errorf(source, 0, "%s", crsErr.Error())
	case fault != nil:
		return nil, fault
	}
	for i := range l.Features {
		for len(l.Features[i].Props) < len(l.Fields) {
			l.Features[i].Props = append(l.Features[i].Props, "")
		}
	}
	return l, nil
}

// ingestFeature converts one raw feature, adding new property names to
// l.Fields.
func ingestFeature(f *rawFeature, cs *coords, l *ingest.Layer, fieldAt map[string]int) (ingest.Feature, error) {
	if len(f.faults) > 0 {
		return ingest.Feature{}, coordFault(f.faults[0])
	}
	feat := ingest.Feature{Index: f.index + 1, Props: make([]string, len(l.Fields))}
	for _, p := range f.props {
		i, ok := fieldAt[string(p.key)]
		if !ok {
			i = len(l.Fields)
			fieldAt[string(p.key)] = i
			l.Fields = append(l.Fields, string(p.key))
			feat.Props = append(feat.Props, "")
		}
		feat.Props[i] = propText(p)
	}
	if f.geomType == nil {
		return feat, nil
	}
	typ := string(f.geomType)
	leaf := geometryLeaf(typ)
	if leaf == 0 {
		return feat, coordFault("geometry type " + strconv.Quote(truncate(typ, 40)) + " is not supported")
	}
	if f.coords == nil {
		return feat, coordFault("geometry has no coordinates")
	}
	if err := cs.decode(f.coords); err != nil {
		return feat, err
	}
	if cs.leaf != leaf {
		return feat, coordFault("coordinates do not match geometry type " + typ)
	}
	feat.Geometry = ingestGeometry(typ, cs)
	return feat, nil
}

// ingestGeometry builds the orb geometry of a decoded coordinates array.
func ingestGeometry(typ string, cs *coords) orb.Geometry {
	switch typ {
	case "Point":
		return cs.point()
	case "MultiPoint":
		return orb.MultiPoint(cs.lineString())
	case "LineString":
		return cs.lineString()
	case "MultiLineString":
		ls := cs.lineString()
		out := make(orb.MultiLineString, len(cs.ends[0]))
		start := 0
		for i, end := range cs.ends[0] {
			out[i] = ls[start:end:end]
			start = end
		}
		return out
	case "Polygon":
		return cs.multiPolygon()[0]
	}
	return cs.multiPolygon()
}

// propText renders a property value as ingest.Feature wants it: strings
// as they are, numbers in their shortest decimal form, null as "".
func propText(p prop) string {
	switch p.kind {
	case kindNull:
		return ""
	case kindNumber:
		if v, err := strconv.ParseFloat(string(p.text), 64); err == nil {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return string(p.text)
}

// epsgName matches the usual spellings of an EPSG code in a GeoJSON crs
// member: EPSG:4544, urn:ogc:def:crs:EPSG::4544, urn:ogc:def:crs:EPSG:9.1:4544.
var epsgName = regexp.MustCompile(`(?i)^(?:urn:ogc:def:crs:)?EPSG:(?:[0-9.]*:)?([0-9]{4,6})$`)

// decodeCRSMember reads a crs member's name into an SRS. OGC CRS84 (the
// lon/lat WGS-84 of RFC 7946) is EPSG:4326.
func decodeCRSMember(v prop) (ingest.SRS, error) {
	if v.kind == kindNull {
		return ingest.SRS{}, nil
	}
	var name string
	if v.kind == kindOther {
		s := newScanner(v.text)
		_ = s.Object(func(key []byte) error {
			if string(key) != "properties" {
				return s.Skip()
			}
			return s.Object(func(k []byte) error {
				if string(k) != "name" {
					return s.Skip()
				}
				t, err := s.Str()
				name = string(t)
				return err
			})
		})
	}
	switch {
	case name == "urn:ogc:def:crs:OGC:1.3:CRS84" || name == "urn:ogc:def:crs:OGC::CRS84" || name == "CRS84":
		return ingest.SRS{EPSG: 4326}, nil
	case epsgName.MatchString(name):
		n, _ := strconv.Atoi(epsgName.FindStringSubmatch(name)[1])
		return ingest.SRS{EPSG: n}, nil
	}
	return ingest.SRS{}, coordFault("crs member " + strconv.Quote(truncate(name, 60)) + " names no EPSG code (want {\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4544\"}})")
}
