package osmfile

import (
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/walk/osmload"
	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// streetFields and buildingFields are the layers' attribute columns.
var (
	streetFields   = []string{"osm_id", "name", "name:zh", "highway", "ref", "oneway", "foot", "access"}
	buildingFields = []string{"osm_type", "osm_id", "name", "building", "building:levels",
		"addr:province", "addr:city", "addr:district", "addr:subdistrict", "addr:street", "addr:place",
		"addr:housenumber", "addr:postcode", "addr:full"}
)

// wgs84 is the SRS of every OSM layer.
var wgs84 = ingest.SRS{EPSG: 4326}

// A builder collects what the layers need while the extract streams by:
// every node's coordinates (ways come after nodes), every way's node list
// (relations come after ways and name ways as members), and the objects
// that become features, in file order.
type builder struct {
	coords    map[osm.NodeID]orb.Point
	wayNodes  map[osm.WayID][]osm.NodeID
	streets   []*osm.Way
	buildings []candidate
	// buildingWays are the tags of closed ways tagged building, which an
	// old-style multipolygon may take as its own.
	buildingWays map[osm.WayID]osm.Tags
	// outerWays are the ways that are outer members of a multipolygon:
	// the relation stands for them, so they are not features themselves.
	outerWays map[osm.WayID]bool
	stats     Stats
}

// A candidate is an object that may become a building feature, with the
// tags it takes (an old-style multipolygon's come from its outer way).
type candidate struct {
	obj  osm.Object // *osm.Node, *osm.Way or *osm.Relation
	tags osm.Tags
}

func newBuilder() *builder {
	return &builder{
		coords:       make(map[osm.NodeID]orb.Point),
		wayNodes:     make(map[osm.WayID][]osm.NodeID),
		buildingWays: make(map[osm.WayID]osm.Tags),
		outerWays:    make(map[osm.WayID]bool),
	}
}

// add takes one object of the stream.
func (b *builder) add(o osm.Object) {
	switch o := o.(type) {
	case *osm.Node:
		b.stats.Nodes++
		b.coords[o.ID] = orb.Point{o.Lon, o.Lat}
		if hasAddr(o.Tags) {
			n := *o // the PBF decoder reuses o
			b.buildings = append(b.buildings, candidate{&n, n.Tags})
		}
	case *osm.Way:
		b.stats.Ways++
		ids := make([]osm.NodeID, len(o.Nodes))
		for i, n := range o.Nodes {
			ids[i] = n.ID
		}
		b.wayNodes[o.ID] = ids
		if osmload.Walkable(o.Tags) {
			b.streets = append(b.streets, o)
		}
		if isBuilding(o.Tags) && len(ids) >= 4 && ids[0] == ids[len(ids)-1] {
			b.buildings = append(b.buildings, candidate{o, o.Tags})
			b.buildingWays[o.ID] = o.Tags
		}
	case *osm.Relation:
		b.stats.Relations++
		b.addRelation(o)
	}
}

// addRelation takes a multipolygon relation tagged building, or an
// old-style one (no tags but its type, a single outer way) whose outer way
// is tagged building, as GDAL's OSM driver does; and it marks its outer
// ways, which GDAL does not report as polygons of their own.
func (b *builder) addRelation(r *osm.Relation) {
	if r.Tags.Find("type") != "multipolygon" {
		return
	}
	var outers []osm.WayID
	for _, m := range r.Members {
		if m.Type == osm.TypeWay && m.Role != "inner" {
			outers = append(outers, osm.WayID(m.Ref))
			b.outerWays[osm.WayID(m.Ref)] = true
		}
	}
	switch {
	case isBuilding(r.Tags):
		b.buildings = append(b.buildings, candidate{r, r.Tags})
	case len(r.Tags) == 1 && len(outers) == 1 && b.buildingWays[outers[0]] != nil:
		b.buildings = append(b.buildings, candidate{r, b.buildingWays[outers[0]]})
	}
}

func isBuilding(t osm.Tags) bool {
	v := t.Find("building")
	return v != "" && v != "no"
}

func hasAddr(t osm.Tags) bool {
	for _, tg := range t {
		if strings.HasPrefix(tg.Key, "addr:") {
			return true
		}
	}
	return false
}

// layers resolves coordinates and builds the two layers.
func (b *builder) layers(source string) *Extract {
	x := &Extract{
		Streets:   &ingest.Layer{Name: Streets, Source: source, SRS: wgs84, Fields: streetFields, Encoding: "UTF-8", EncodingFrom: "declared"},
		Buildings: &ingest.Layer{Name: Buildings, Source: source, SRS: wgs84, Fields: buildingFields, Encoding: "UTF-8", EncodingFrom: "declared"},
	}
	for _, w := range b.streets {
		line, ok := b.line(b.wayNodes[w.ID])
		if !ok {
			b.stats.IncompleteWays++
			continue
		}
		props := append([]string{strconv.FormatInt(int64(w.ID), 10)}, values(w.Tags, streetFields[1:])...)
		x.Streets.Features = append(x.Streets.Features, ingest.Feature{Index: len(x.Streets.Features) + 1, Geometry: line, Props: props})
	}
	for _, c := range b.buildings {
		if w, ok := c.obj.(*osm.Way); ok && b.outerWays[w.ID] {
			continue
		}
		g, kind, id := b.building(c.obj)
		if g == nil {
			continue
		}
		tags := c.tags
		props := append([]string{kind, strconv.FormatInt(id, 10)}, values(tags, buildingFields[2:])...)
		x.Buildings.Features = append(x.Buildings.Features, ingest.Feature{Index: len(x.Buildings.Features) + 1, Geometry: g, Props: props})
	}
	x.Stats = b.stats
	return x
}

// building returns the geometry, OSM type and id of a building object;
// a nil geometry when it is incomplete (and counted).
func (b *builder) building(o osm.Object) (orb.Geometry, string, int64) {
	switch o := o.(type) {
	case *osm.Node:
		return orb.Point{o.Lon, o.Lat}, "node", int64(o.ID)
	case *osm.Way:
		line, ok := b.line(b.wayNodes[o.ID])
		if !ok {
			b.stats.IncompleteWays++
			return nil, "", 0
		}
		return orb.Polygon{orb.Ring(line)}, "way", int64(o.ID)
	case *osm.Relation:
		g := b.multipolygon(o)
		if g == nil {
			b.stats.IncompleteRelations++
			return nil, "", 0
		}
		return g, "relation", int64(o.ID)
	}
	return nil, "", 0
}

// line resolves node ids to coordinates; false when one is missing or
// fewer than two remain.
func (b *builder) line(ids []osm.NodeID) (orb.LineString, bool) {
	if len(ids) < 2 {
		return nil, false
	}
	out := make(orb.LineString, len(ids))
	for i, id := range ids {
		p, ok := b.coords[id]
		if !ok {
			return nil, false
		}
		out[i] = p
	}
	return out, true
}

// values returns the tag values for keys, "" where absent.
func values(t osm.Tags, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = t.Find(k)
	}
	return out
}
