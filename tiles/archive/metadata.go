package archive

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/gridmap/gridmap/tiles"
)

// Metadata describes an archive's tiles, TileJSON-style: what both
// PMTiles (its JSON metadata) and MBTiles (its metadata table) carry.
type Metadata struct {
	Name        string
	Description string
	Attribution string
	Version     string
	// Bounds is west, south, east, north in degrees (WGS-84).
	Bounds [4]float64
	// Center is longitude, latitude and zoom.
	Center           [3]float64
	MinZoom, MaxZoom uint32
	VectorLayers     []tiles.VectorLayer
}

// NewMetadata describes set with the names and layers of doc (the
// renderer's TileJSON): the set's zooms and box, the centre kept inside
// them, and each layer's zooms cut to the set's.
func NewMetadata(doc tiles.TileJSON, set *Set) Metadata {
	md := Metadata{
		Name: doc.Name, Description: doc.Description, Attribution: doc.Attribution, Version: doc.Version,
		MinZoom: set.MinZoom, MaxZoom: set.MaxZoom, Bounds: doc.Bounds, Center: doc.Center,
	}
	if b := set.Bound; !b.IsZero() {
		md.Bounds = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		if !b.Contains([2]float64{md.Center[0], md.Center[1]}) {
			c := b.Center()
			md.Center[0], md.Center[1] = c[0], c[1]
		}
	}
	md.Center[2] = math.Max(float64(set.MinZoom), math.Min(float64(set.MaxZoom), md.Center[2]))
	for _, l := range doc.VectorLayers {
		l.MinZoom = max(l.MinZoom, set.MinZoom)
		l.MaxZoom = min(l.MaxZoom, set.MaxZoom)
		md.VectorLayers = append(md.VectorLayers, l)
	}
	return md
}

// metadataJSON is the JSON both formats store: PMTiles' whole metadata,
// MBTiles' "json" row (only vector_layers is read from it there).
type metadataJSON struct {
	Name         string              `json:"name"`
	Format       string              `json:"format"`
	Type         string              `json:"type"`
	Description  string              `json:"description"`
	Attribution  string              `json:"attribution"`
	Version      string              `json:"version"`
	VectorLayers []tiles.VectorLayer `json:"vector_layers"`
}

// json encodes the metadata document.
func (md Metadata) json() ([]byte, error) {
	b, err := json.Marshal(metadataJSON{
		Name: md.Name, Format: "pbf", Type: "overlay", Description: md.Description,
		Attribution: md.Attribution, Version: md.Version, VectorLayers: md.layers(),
	})
	if err != nil {
		return nil, fmt.Errorf("encoding archive metadata: %w", err)
	}
	return b, nil
}

// layers returns the vector layers, never nil.
func (md Metadata) layers() []tiles.VectorLayer {
	if md.VectorLayers == nil {
		return []tiles.VectorLayer{}
	}
	return md.VectorLayers
}
