// Package osmfile reads an OpenStreetMap extract (.osm XML, .osm.bz2,
// .osm.gz or .osm.pbf) into two ingest.Layers:
//
//   - streets: the ways people walk along, by the same rule as the walking
//     network (osmload.Walkable), as LineStrings with osm_id, name,
//     name:zh, highway, ref, oneway, foot and access;
//   - buildings: closed ways and multipolygon relations tagged building=*
//     (other than "no") as Polygons and MultiPolygons, and nodes carrying
//     addr:* tags as Points, with osm_type, osm_id, name, building,
//     building:levels and the addr:* fields Chinese and other data use.
//
// Geometries are in WGS-84 longitude/latitude (Layer.SRS EPSG:4326).
// Ways with node references missing from the extract (cut at its border)
// and relations whose member ways do not close into rings are left out,
// as GDAL's OSM driver leaves them out; Stats counts them.
//
// PBF is decoded by the subpackage pbf rather than by
// github.com/paulmach/osm/osmpbf, whose worker goroutines panic on some
// malformed files beyond any caller's recover; XML goes through
// github.com/paulmach/osm/osmxml.
package osmfile

import (
	"compress/bzip2"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/osmfile/pbf"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmxml"
)

// Layer names.
const (
	// Streets is the name of the layer of walkable ways.
	Streets = "streets"
	// Buildings is the name of the layer of building footprints and
	// addressed nodes.
	Buildings = "buildings"
)

// An Extract is what Read returns: the two layers and counts of what was
// left out.
type Extract struct {
	Streets, Buildings *ingest.Layer
	Stats              Stats
}

// Stats counts what a read saw and left out.
type Stats struct {
	// Nodes, Ways and Relations count the objects read.
	Nodes, Ways, Relations int
	// IncompleteWays counts streets and building ways left out because a
	// node they reference is not in the extract.
	IncompleteWays int
	// IncompleteRelations counts building relations left out because a
	// member is missing or their ways do not close into rings.
	IncompleteRelations int
}

// Read reads the extract at path, choosing the format by its extension:
// .osm.pbf / .pbf, .osm / .xml, and those XML names with .bz2 or .gz.
func Read(ctx context.Context, path string) (*Extract, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading OSM extract: %w", err)
	}
	defer f.Close()
	return ReadFrom(ctx, f, path)
}

// ReadFrom reads an extract from r; name (a file name) gives the format
// and is used in messages.
func ReadFrom(ctx context.Context, r io.Reader, name string) (*Extract, error) {
	b := newBuilder()
	emit := func(o osm.Object) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.add(o)
		return nil
	}
	var err error
	switch lower := strings.ToLower(name); {
	case strings.HasSuffix(lower, ".pbf"):
		err = pbf.Read(r, emit)
	case strings.HasSuffix(lower, ".osm.bz2"), strings.HasSuffix(lower, ".xml.bz2"):
		err = readXML(ctx, bzip2.NewReader(r), emit)
	case strings.HasSuffix(lower, ".osm.gz"), strings.HasSuffix(lower, ".xml.gz"):
		zr, zerr := gzip.NewReader(r)
		if zerr != nil {
			return nil, ingest.Errorf(name, 0, "not gzip data: %v", zerr)
		}
		err = readXML(ctx, zr, emit)
	case strings.HasSuffix(lower, ".osm"), strings.HasSuffix(lower, ".xml"):
		err = readXML(ctx, r, emit)
	default:
		return nil, ingest.Errorf(name, 0, "not an OpenStreetMap extract: the name ends in none of .osm, .osm.bz2, .osm.gz, .osm.pbf")
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, ingest.Errorf(name, 0, "%v", err)
	}
	if b.stats.Nodes+b.stats.Ways+b.stats.Relations == 0 {
		return nil, ingest.Errorf(name, 0, "holds no OpenStreetMap nodes, ways or relations")
	}
	return b.layers(name), nil
}

// readXML scans OSM XML; the scanner reads in the calling goroutine and
// reports malformed XML as an error.
func readXML(ctx context.Context, r io.Reader, emit func(osm.Object) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed OSM XML: the decoder failed: %v", p)
		}
	}()
	sc := osmxml.New(ctx, r)
	defer sc.Close()
	for sc.Scan() {
		if err := emit(sc.Object()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("malformed OSM XML: %w", err)
	}
	return nil
}
