// Package geojsonfile reads a GeoJSON FeatureCollection file into an
// ingest.Layer, with the JSON scanner of package cityio. A "crs" member
// naming an EPSG code sets the layer's SRS; a file without one declares
// none (RFC 7946 says WGS-84, but files exported from Chinese web maps are
// often GCJ-02 and look the same), so the import asks for --crs.
package geojsonfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/ingest"
)

// MaxBytes caps the size of a file Read accepts (1 GiB).
const MaxBytes = cityio.MaxLayerBytes

// Read reads the FeatureCollection in file path. The layer is named after
// the file's base name without its extension.
func Read(path string) (*ingest.Layer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading GeoJSON: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading GeoJSON %s: %w", path, err)
	}
	if len(data) > MaxBytes {
		return nil, ingest.Errorf(path, 0, "larger than %d bytes", MaxBytes)
	}
	return Decode(data, LayerName(path), path)
}

// Decode decodes a FeatureCollection held in data; source names it in
// faults. See cityio.DecodeLayer.
func Decode(data []byte, name, source string) (*ingest.Layer, error) {
	return cityio.DecodeLayer(data, name, source)
}

// LayerName returns the base name of path without its extension
// (.geojson or .json).
func LayerName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
