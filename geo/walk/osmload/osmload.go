// Package osmload reads the walkable ways of an OpenStreetMap extract (.osm
// XML or .osm.pbf) into walk.Way values for walk.BuildGraph.
//
// A way is walkable when its highway tag is one people walk along (footway,
// pedestrian, path, steps, residential, living_street, service,
// unclassified, road, track, corridor, cycleway with foot access, and
// tertiary, secondary, primary and trunk with their links; never motorway)
// and neither foot=no nor access=no/private (unless foot allows it) forbids
// it. Areas (area=yes) are skipped. Node references missing from the extract
// are dropped, and ways left with fewer than two nodes are skipped; both are
// counted in Stats.
//
// PBF is decoded by geo/ingest/osmfile/pbf, which checks every index and
// returns an error for a malformed file (github.com/paulmach/osm's own
// decoder panics on some in goroutines no caller can recover); XML by
// github.com/paulmach/osm/osmxml.
package osmload

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest/osmfile/pbf"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmxml"
)

// A Format is an extract's encoding.
type Format int

// The formats.
const (
	// XML is the .osm XML format.
	XML Format = iota + 1
	// PBF is the .osm.pbf protocol-buffer format.
	PBF
)

// FormatOf returns the format a file name's extension implies: .pbf for
// PBF, .osm or .xml for XML.
func FormatOf(path string) (Format, error) {
	switch p := strings.ToLower(path); {
	case strings.HasSuffix(p, ".pbf"):
		return PBF, nil
	case strings.HasSuffix(p, ".osm"), strings.HasSuffix(p, ".xml"):
		return XML, nil
	}
	return 0, fmt.Errorf("osmload: %q is neither .osm, .xml nor .osm.pbf", path)
}

// Stats counts what a read kept and dropped.
type Stats struct {
	// Nodes is the number of nodes read; Ways the number of ways read.
	Nodes, Ways int
	// Walkable is the number of ways kept.
	Walkable int
	// MissingNodes counts node references not found in the extract.
	MissingNodes int
	// ShortWays counts walkable ways left with fewer than two nodes.
	ShortWays int
}

// Load reads the walkable ways of the extract at path, choosing the format
// by extension.
func Load(ctx context.Context, path string) ([]walk.Way, Stats, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, Stats{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("loading OSM extract: %w", err)
	}
	defer f.Close()
	return Read(ctx, f, format)
}

// LoadGraph reads the extract at path and builds its walking graph.
func LoadGraph(ctx context.Context, path string) (*walk.Graph, Stats, error) {
	ways, st, err := Load(ctx, path)
	if err != nil {
		return nil, st, err
	}
	g, err := walk.BuildGraph(ways)
	if err != nil {
		return nil, st, fmt.Errorf("building graph of %s: %w", path, err)
	}
	return g, st, nil
}

// Read reads the walkable ways of an extract in the given format, in the
// order the extract lists them.
func Read(ctx context.Context, r io.Reader, format Format) ([]walk.Way, Stats, error) {
	var st Stats
	coords := make(map[osm.NodeID]orb.Point)
	var ways []*osm.Way
	add := func(o osm.Object) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch o := o.(type) {
		case *osm.Node:
			st.Nodes++
			coords[o.ID] = orb.Point{o.Lon, o.Lat}
		case *osm.Way:
			st.Ways++
			if Walkable(o.Tags) {
				ways = append(ways, o)
			}
		}
		return nil
	}
	var err error
	switch format {
	case XML:
		err = scanXML(ctx, r, add)
	case PBF:
		err = pbf.Read(r, add)
	default:
		return nil, Stats{}, fmt.Errorf("osmload: unknown format %d", format)
	}
	if err != nil {
		return nil, st, fmt.Errorf("reading OSM extract: %w", err)
	}
	return resolve(ways, coords, &st), st, nil
}

// scanXML passes each object of an OSM XML document to add.
func scanXML(ctx context.Context, r io.Reader, add func(osm.Object) error) error {
	sc := osmxml.New(ctx, r)
	defer sc.Close()
	for sc.Scan() {
		if err := add(sc.Object()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// resolve turns OSM ways into walk ways with coordinates.
func resolve(ways []*osm.Way, coords map[osm.NodeID]orb.Point, st *Stats) []walk.Way {
	out := make([]walk.Way, 0, len(ways))
	for _, w := range ways {
		line := make(orb.LineString, 0, len(w.Nodes))
		for _, wn := range w.Nodes {
			p, ok := coords[wn.ID]
			if !ok {
				st.MissingNodes++
				continue
			}
			line = append(line, p)
		}
		if len(line) < 2 {
			st.ShortWays++
			continue
		}
		out = append(out, walk.Way{ID: int64(w.ID), Name: w.Tags.Find("name"), Class: w.Tags.Find("highway"), Line: line})
	}
	st.Walkable = len(out)
	return out
}
