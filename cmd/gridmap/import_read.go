package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/geojsonfile"
	"github.com/gridmap/gridmap/geo/ingest/gpkg"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
)

// A layerReader reads one file (and, for a multi-layer file, the named
// layer) into a layer.
type layerReader func(path, layer string, role importer.Role) (*ingest.Layer, error)

// readers maps a lower-case file extension to its reader.
var readers = map[string]layerReader{
	".geojson": readGeoJSON,
	".json":    readGeoJSON,
	".shp":     readShapefile,
	".zip":     readShapefile,
	".gpkg":    readGeoPackage,
}

func readGeoPackage(path, layer string, role importer.Role) (*ingest.Layer, error) {
	if layer == "" {
		names, err := gpkg.Layers(path)
		if err != nil {
			return nil, err
		}
		if len(names) != 1 {
			return nil, fmt.Errorf("--%s %s holds the layers %s: pick one with %s#LAYER or --%s-layer", role, path, strings.Join(names, ", "), path, role)
		}
		layer = names[0]
	}
	return gpkg.Read(path, layer)
}

func readShapefile(path, layer string, _ importer.Role) (*ingest.Layer, error) {
	return shapefile.Read(path, shapefile.Options{Layer: layer})
}

func readGeoJSON(path, _ string, _ importer.Role) (*ingest.Layer, error) {
	return geojsonfile.Read(path)
}

// fileExt returns the lower-case extension of path that picks its reader,
// double ones (.osm.pbf, .osm.bz2) included.
func fileExt(path string) string {
	p := strings.ToLower(path)
	for _, two := range []string{".osm.pbf", ".osm.bz2"} {
		if strings.HasSuffix(p, two) {
			return two
		}
	}
	return filepath.Ext(p)
}

// readInput reads the file a layer flag names: PATH or PATH#layer (a
// GeoPackage table); layer, when not empty, overrides the #layer part.
func readInput(arg, layer string, role importer.Role) (*ingest.Layer, error) {
	path := arg
	if p, l, ok := strings.Cut(arg, "#"); ok {
		path = p
		if layer == "" {
			layer = l
		}
	}
	read, ok := readers[fileExt(path)]
	if !ok {
		return nil, fmt.Errorf("--%s %s: unknown file type %q (want %s)", role, path, fileExt(path), knownExts())
	}
	return read(path, layer, role)
}

// knownExts lists the extensions with a reader.
func knownExts() string {
	var out []string
	for _, e := range []string{".shp", ".zip", ".gpkg", ".geojson", ".json", ".csv", ".tsv", ".xlsx", ".osm", ".osm.pbf", ".osm.bz2"} {
		if _, ok := readers[e]; ok {
			out = append(out, e)
		}
	}
	return strings.Join(out, ", ")
}

// knownDivisions returns the real division names and codes the importer
// finds communities by name in, and the province.
func knownDivisions() (string, []importer.Division, error) {
	prov, units, err := fixtures.Divisions()
	if err != nil {
		return "", nil, err
	}
	out := make([]importer.Division, 0, len(units))
	for _, u := range units {
		out = append(out, importer.Division{Code: u.Code, Name: u.Name})
	}
	return prov, out, nil
}
