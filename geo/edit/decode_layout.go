package edit

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gridmap/gridmap/geo"
)

// A featureCollection is the part of a GeoJSON FeatureCollection the
// layout decoder reads.
type featureCollection struct {
	Type     string            `json:"type"`
	Features []json.RawMessage `json:"features"`
	CRS      json.RawMessage   `json:"crs"`
}

// A layoutFeature is one feature of a layout upload.
type layoutFeature struct {
	Type       string                     `json:"type"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   json.RawMessage            `json:"geometry"`
}

// decodeLayoutValue decodes a layout FeatureCollection found at path field.
func decodeLayoutValue(raw json.RawMessage, field string, vertices *int) ([]LayoutGrid, error) {
	var fc featureCollection
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fieldErr(field, "not a GeoJSON FeatureCollection: %s", jsonReason(err))
	}
	if fc.Type != "FeatureCollection" {
		return nil, fieldErr(join(field, "type"), "want FeatureCollection, got %q", truncateRunes(fc.Type, 40))
	}
	if err := checkCRS(fc.CRS, join(field, "crs")); err != nil {
		return nil, err
	}
	if len(fc.Features) == 0 {
		return nil, fieldErr(join(field, "features"), "no features")
	}
	if len(fc.Features) > MaxLayoutGrids {
		return nil, fieldErr(join(field, "features"), "more than %d features (%d)", MaxLayoutGrids, len(fc.Features))
	}
	out := make([]LayoutGrid, len(fc.Features))
	for i, rawF := range fc.Features {
		f := join(field, fmt.Sprintf("features[%d]", i))
		g, err := decodeLayoutFeature(rawF, f, vertices)
		if err != nil {
			return nil, err
		}
		out[i] = g
	}
	return out, nil
}

// checkCRS accepts a missing crs member or one naming WGS-84 (CRS84 or
// EPSG:4326, as GIS tools write it).
func checkCRS(raw json.RawMessage, field string) error {
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	var crs struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &crs); err != nil {
		return fieldErr(field, "not a crs object")
	}
	n := crs.Properties.Name
	if strings.Contains(n, "CRS84") || strings.HasSuffix(n, "4326") || strings.HasSuffix(n, "4490") {
		return nil
	}
	return fieldErr(field, "coordinates must be WGS-84 longitude/latitude, got crs %q", truncateRunes(n, 60))
}

// decodeLayoutFeature decodes one feature of a layout upload.
func decodeLayoutFeature(raw json.RawMessage, field string, vertices *int) (LayoutGrid, error) {
	var lf layoutFeature
	if err := json.Unmarshal(raw, &lf); err != nil {
		return LayoutGrid{}, fieldErr(field, "not a GeoJSON Feature: %s", jsonReason(err))
	}
	if lf.Type != "Feature" {
		return LayoutGrid{}, fieldErr(join(field, "type"), "want Feature, got %q", truncateRunes(lf.Type, 40))
	}
	if len(lf.Geometry) == 0 || isNull(lf.Geometry) {
		return LayoutGrid{}, fieldErr(join(field, "geometry"), "missing")
	}
	mp, err := decodeArea(lf.Geometry, join(field, "geometry"), vertices)
	if err != nil {
		return LayoutGrid{}, err
	}
	g := LayoutGrid{Geometry: mp}
	if err := decodeLayoutProps(lf.Properties, join(field, "properties"), &g); err != nil {
		return LayoutGrid{}, err
	}
	return g, nil
}

// decodeLayoutProps reads code, id, name and community; empty strings and
// nulls mean absent.
func decodeLayoutProps(props map[string]json.RawMessage, field string, g *LayoutGrid) error {
	present := func(k string) (json.RawMessage, bool) {
		v, ok := props[k]
		if !ok || isNull(v) || string(v) == `""` {
			return nil, false
		}
		return v, true
	}
	if v, ok := present("code"); ok {
		c, err := parseGridCodeValue(v)
		if err != nil {
			return fieldErr(join(field, "code"), "%s", err)
		}
		g.Code = c
	}
	if v, ok := present("community"); ok {
		c, err := parseCommunityValue(v)
		if err != nil {
			return fieldErr(join(field, "community"), "%s", err)
		}
		g.Community = c
	}
	if v, ok := present("id"); ok {
		var id uint64
		if err := json.Unmarshal(v, &id); err != nil || id == 0 || id > 1<<32-1 {
			return fieldErr(join(field, "id"), "want a positive 32-bit integer")
		}
		g.ID = geo.GridID(id)
	}
	if v, ok := present("name"); ok {
		if err := decodeStringValue(v, &g.Name, MaxNameRunes); err != nil {
			err.Field = join(field, "name")
			return err
		}
	}
	return nil
}
