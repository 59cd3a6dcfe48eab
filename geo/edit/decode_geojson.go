package edit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// DecodeLayout reads a replace_layout upload from r: a GeoJSON
// FeatureCollection in WGS-84 of Polygon or MultiPolygon features whose
// properties may hold code, id, name and community (other properties are
// ignored, as GIS tools add their own). It refuses malformed input with a
// *FieldError as DecodeOp does.
func DecodeLayout(r io.Reader) ([]LayoutGrid, error) {
	data, err := readCapped(r, MaxOpBytes)
	if err != nil {
		return nil, err
	}
	n := 0
	return decodeLayoutValue(data, "", &n)
}

// join appends a member name to a JSON path.
func join(path, member string) string {
	if path == "" {
		return member
	}
	if strings.HasPrefix(member, "[") {
		return path + member
	}
	return path + "." + member
}

// A geoObject is the part of a GeoJSON object the decoder reads.
type geoObject struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometry    json.RawMessage `json:"geometry"`
}

// decodeObject decodes a GeoJSON object, unwrapping a Feature into its
// geometry, and returns it with its path.
func decodeObject(raw json.RawMessage, field string) (geoObject, string, error) {
	var obj geoObject
	if err := json.Unmarshal(raw, &obj); err != nil {
		return obj, field, fieldErr(field, "not a GeoJSON object: %s", jsonReason(err))
	}
	if obj.Type == "Feature" {
		field = join(field, "geometry")
		if len(obj.Geometry) == 0 || isNull(obj.Geometry) {
			return obj, field, fieldErr(field, "missing")
		}
		return decodeObject(obj.Geometry, field)
	}
	if len(obj.Coordinates) == 0 || isNull(obj.Coordinates) {
		return obj, field, fieldErr(join(field, "coordinates"), "missing")
	}
	return obj, field, nil
}

// decodeArea decodes a Polygon or MultiPolygon (or a Feature holding one)
// and counts its positions into *vertices.
func decodeArea(raw json.RawMessage, field string, vertices *int) (orb.MultiPolygon, error) {
	obj, field, err := decodeObject(raw, field)
	if err != nil {
		return nil, err
	}
	cf := join(field, "coordinates")
	switch obj.Type {
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(obj.Coordinates, &rings); err != nil {
			return nil, fieldErr(cf, "want an array of rings of [lon, lat] positions")
		}
		poly, err := toPolygon(rings, cf, vertices)
		if err != nil {
			return nil, err
		}
		return orb.MultiPolygon{poly}, nil
	case "MultiPolygon":
		var polys [][][][]float64
		if err := json.Unmarshal(obj.Coordinates, &polys); err != nil {
			return nil, fieldErr(cf, "want an array of polygons of rings of [lon, lat] positions")
		}
		mp := make(orb.MultiPolygon, len(polys))
		for i, rings := range polys {
			poly, err := toPolygon(rings, fmt.Sprintf("%s[%d]", cf, i), vertices)
			if err != nil {
				return nil, err
			}
			mp[i] = poly
		}
		return mp, nil
	}
	return nil, fieldErr(join(field, "type"), "want Polygon or MultiPolygon, got %q", truncateRunes(obj.Type, 40))
}

// decodeLine decodes a LineString (or a Feature holding one).
func decodeLine(raw json.RawMessage, field string, vertices *int) (orb.LineString, error) {
	obj, field, err := decodeObject(raw, field)
	if err != nil {
		return nil, err
	}
	if obj.Type != "LineString" {
		return nil, fieldErr(join(field, "type"), "want LineString, got %q", truncateRunes(obj.Type, 40))
	}
	cf := join(field, "coordinates")
	var pos [][]float64
	if err := json.Unmarshal(obj.Coordinates, &pos); err != nil {
		return nil, fieldErr(cf, "want an array of [lon, lat] positions")
	}
	if len(pos) < 2 {
		return nil, fieldErr(cf, "a line needs at least 2 positions, got %d", len(pos))
	}
	ls := make(orb.LineString, len(pos))
	for i, p := range pos {
		pt, err := toPoint(p, fmt.Sprintf("%s[%d]", cf, i), vertices)
		if err != nil {
			return nil, err
		}
		ls[i] = pt
	}
	return ls, nil
}

// toPolygon converts decoded rings, checking every position.
func toPolygon(rings [][][]float64, field string, vertices *int) (orb.Polygon, error) {
	poly := make(orb.Polygon, len(rings))
	for i, ring := range rings {
		r := make(orb.Ring, len(ring))
		for j, p := range ring {
			pt, err := toPoint(p, fmt.Sprintf("%s[%d][%d]", field, i, j), vertices)
			if err != nil {
				return nil, err
			}
			r[j] = pt
		}
		poly[i] = r
	}
	return poly, nil
}

// toPoint checks one position: at least 2 numbers, finite, within
// lon -180..180 and lat -90..90. Extra numbers (altitude) are dropped.
func toPoint(p []float64, field string, vertices *int) (orb.Point, error) {
	*vertices++
	if *vertices > MaxOpVertices {
		return orb.Point{}, fieldErr(field, "more than %d positions in the operation", MaxOpVertices)
	}
	if len(p) < 2 {
		return orb.Point{}, fieldErr(field, "a position needs [lon, lat], got %d numbers", len(p))
	}
	if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
		return orb.Point{}, fieldErr(field, "position %v is outside lon -180..180, lat -90..90", p[:2])
	}
	return orb.Point{p[0], p[1]}, nil
}

// parseGridCodeValue parses a grid code given as a JSON string or integer.
func parseGridCodeValue(raw json.RawMessage) (geo.GridCode, error) {
	s, err := codeText(raw)
	if err != nil {
		return 0, err
	}
	return geo.ParseGridCode(s)
}

// parseCommunityValue parses a community-level division code given as a
// JSON string or integer.
func parseCommunityValue(raw json.RawMessage) (geo.DivisionCode, error) {
	s, err := codeText(raw)
	if err != nil {
		return 0, err
	}
	c, err := geo.ParseDivisionCode(s)
	if err != nil {
		return 0, err
	}
	if c.Level() != geo.LevelCommunity {
		return 0, fmt.Errorf("%w: %s is a %s code, want a community", geo.ErrBadCode, c.Short(), c.Level())
	}
	return c, nil
}

// codeText returns the digits of a code written as a JSON string or as a
// plain JSON integer.
func codeText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%w: not a string", geo.ErrBadCode)
		}
		return s, nil
	}
	if len(raw) == 0 || len(raw) > 20 {
		return "", fmt.Errorf("%w: want a code as a string of digits", geo.ErrBadCode)
	}
	for _, c := range raw {
		if c < '0' || c > '9' {
			return "", fmt.Errorf("%w: want a code as a string of digits", geo.ErrBadCode)
		}
	}
	return string(raw), nil
}
