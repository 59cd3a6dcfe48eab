package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/importer"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/geojsonfile"
	"github.com/gridmap/gridmap/geo/ingest/gpkg"
	"github.com/gridmap/gridmap/geo/ingest/osmfile"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
	"github.com/gridmap/gridmap/geo/ingest/table"
)

// A layerReader reads one file (and, for a multi-layer file, the named
// layer) into a layer, with a note on how it read it for the report.
type layerReader func(path, layer string, role importer.Role, m *importer.Mapping) (*ingest.Layer, string, error)

// readers maps a lower-case file extension to its reader.
var readers = map[string]layerReader{
	".geojson": readGeoJSON,
	".json":    readGeoJSON,
	".shp":     readShapefile,
	".zip":     readShapefile,
	".gpkg":    readGeoPackage,
	".csv":     readTable,
	".tsv":     readTable,
	".txt":     readTable,
	".xlsx":    readTable,
}

// readTable reads a CSV or Excel table: points from the coordinate
// columns the mapping names or the reader recognises.
func readTable(path, sheet string, role importer.Role, m *importer.Mapping) (*ingest.Layer, string, error) {
	l, chosen, err := table.Read(path, table.Options{Lon: m.Column(role, "lon"), Lat: m.Column(role, "lat"), WKT: m.Column(role, "wkt"), Sheet: sheet})
	return l, chosen.String(), err
}

func readGeoPackage(path, layer string, role importer.Role, _ *importer.Mapping) (*ingest.Layer, string, error) {
	if layer == "" {
		names, err := gpkg.Layers(path)
		if err != nil {
			return nil, "", err
		}
		if len(names) != 1 {
			return nil, "", fmt.Errorf("--%s %s holds the layers %s: pick one with %s#LAYER or --%s-layer", role, path, strings.Join(names, ", "), path, role)
		}
		layer = names[0]
	}
	l, err := gpkg.Read(path, layer)
	return l, "", err
}

func readShapefile(path, layer string, _ importer.Role, _ *importer.Mapping) (*ingest.Layer, string, error) {
	l, err := shapefile.Read(path, shapefile.Options{Layer: layer})
	return l, "", err
}

func readGeoJSON(path, _ string, _ importer.Role, _ *importer.Mapping) (*ingest.Layer, string, error) {
	l, err := geojsonfile.Read(path)
	return l, "", err
}

// fileExt returns the lower-case extension of path that picks its reader,
// double ones (.osm.pbf, .osm.bz2) included.
func fileExt(path string) string {
	p := strings.ToLower(path)
	for _, two := range []string{".osm.pbf", ".osm.bz2", ".osm.gz"} {
		if strings.HasSuffix(p, two) {
			return two
		}
	}
	return filepath.Ext(p)
}

// osmExts are the extensions of OpenStreetMap extracts.
var osmExts = map[string]bool{".osm": true, ".osm.pbf": true, ".osm.bz2": true, ".osm.gz": true, ".pbf": true}

// osmCache keeps the extracts read, by path, so that --streets and
// --buildings naming one extract read it once.
type osmCache map[string]*osmfile.Extract

// read returns the layer of an extract for role: its walkable ways for
// streets, its buildings and addressed nodes for buildings.
func (c osmCache) read(ctx context.Context, path string, role importer.Role) (*ingest.Layer, string, error) {
	x, ok := c[path]
	if !ok {
		var err error
		if x, err = osmfile.Read(ctx, path); err != nil {
			return nil, "", err
		}
		c[path] = x
	}
	note := fmt.Sprintf("OpenStreetMap: %d nodes, %d ways, %d relations; %d incomplete ways and %d relations left out",
		x.Stats.Nodes, x.Stats.Ways, x.Stats.Relations, x.Stats.IncompleteWays, x.Stats.IncompleteRelations)
	switch role {
	case importer.RoleStreets:
		return x.Streets, note, nil
	case importer.RoleBuildings:
		return x.Buildings, note, nil
	}
	return nil, "", fmt.Errorf("--%s %s: an OpenStreetMap extract gives only --streets and --buildings", role, path)
}

// readInput reads the file a layer flag names: PATH or PATH#layer (a
// GeoPackage table); layer, when not empty, overrides the #layer part.
func readInput(ctx context.Context, osm osmCache, arg, layer string, role importer.Role, m *importer.Mapping) (*ingest.Layer, string, error) {
	path := arg
	if p, l, ok := strings.Cut(arg, "#"); ok {
		path = p
		if layer == "" {
			layer = l
		}
	}
	if osmExts[fileExt(path)] {
		return osm.read(ctx, path, role)
	}
	read, ok := readers[fileExt(path)]
	if !ok {
		return nil, "", fmt.Errorf("--%s %s: unknown file type %q (want %s)", role, path, fileExt(path), knownExts())
	}
	return read(path, layer, role, m)
}

// knownExts lists the extensions with a reader.
func knownExts() string {
	var out []string
	for _, e := range []string{".shp", ".zip", ".gpkg", ".geojson", ".json", ".csv", ".tsv", ".txt", ".xlsx", ".osm", ".osm.pbf", ".osm.bz2"} {
		if _, ok := readers[e]; ok || osmExts[e] {
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
