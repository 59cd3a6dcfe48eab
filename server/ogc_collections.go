package server

import (
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/cql2"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// An ogcProp is one attribute of a collection: its name, its CQL2 kind
// and its JSON Schema type.
type ogcProp struct {
	name, typ, title string
}

// kind returns the property's CQL2 kind.
func (p ogcProp) kind() cql2.Kind {
	if p.typ == "string" {
		return cql2.KindString
	}
	return cql2.KindNumber
}

// An ogcCollection describes one collection of /ogc: what it holds and
// the attributes of its features, which are those of /v1/export.
type ogcCollection struct {
	id, title, description string
	// geomType is the GeoJSON type of every feature's geometry.
	geomType string
	props    []ogcProp
	// bytesPerItem is the largest average feature size seen (sizeHint).
	bytesPerItem atomic.Int64
}

// ogcCollections lists the collections in the order they are listed.
var ogcCollections = []*ogcCollection{
	{id: "districts", title: "Districts (区县)", geomType: "MultiPolygon", props: unitProps,
		description: "The county-level units of the city, as units.geojson of /v1/export writes them."},
	{id: "subdistricts", title: "Subdistricts (街道)", geomType: "MultiPolygon", props: unitProps,
		description: "The subdistricts; one with no urban community has no area (geometry null)."},
	{id: "communities", title: "Communities (社区)", geomType: "MultiPolygon", props: unitProps,
		description: "The urban communities: each the union of its grids."},
	{id: "grids", title: "Grids (网格)", geomType: "MultiPolygon", props: []ogcProp{
		{"id", "integer", "stable grid id"}, {"code", "string", "15-digit grid code"}, {"name", "string", "name"},
		{"community", "string", "12-digit community code"}, {"households", "integer", "resident households"},
		{"buildings", "integer", "buildings in the grid"},
	}, description: "The unit grids: editable through Part 4 with a planner's token (see /v1/edits)."},
	{id: "buildings", title: "Buildings (楼栋)", geomType: "Point", props: []ogcProp{
		{"id", "integer", "building id"}, {"address", "string", "standard address"}, {"province", "string", "province"},
		{"city", "string", "city"}, {"district", "string", "district name"}, {"subdistrict", "string", "subdistrict name"},
		{"community", "string", "community short name"}, {"road", "string", "road"}, {"number", "integer", "door number"},
		{"estate", "string", "estate"}, {"building", "string", "building number in the estate"},
		{"units", "integer", "stairwells"}, {"floors", "integer", "storeys"}, {"households", "integer", "households"},
		{"grid", "string", "code of the grid holding the building"},
	}, description: "Residential buildings at their entrances."},
	{id: "stations", title: "Service stations (党群服务站)", geomType: "Point", props: []ogcProp{
		{"id", "integer", "station id"}, {"kind", "string", "community or centre"}, {"name", "string", "name"},
		{"unit", "string", "code of the unit served"}, {"community", "string", "community code (community stations only)"},
	}, description: "Community service stations and subdistrict centres."},
	{id: "streets", title: "Streets (道路)", geomType: "LineString", props: []ogcProp{
		{"id", "integer", "street segment id"}, {"name", "string", "name"}, {"class", "string", "primary, secondary, tertiary or alley"},
	}, description: "Named street segments, the walking network."},
}

var unitProps = []ogcProp{
	{"code", "string", "division code (short form)"}, {"name", "string", "official name"},
	{"level", "string", "district, subdistrict or community"}, {"parent", "string", "parent unit's code (short form)"},
}

// ogcCollectionByID returns the collection with this id, or a 404 naming
// collectionId.
func ogcCollectionByID(id string) (*ogcCollection, error) {
	for _, c := range ogcCollections {
		if c.id == id {
			return c, nil
		}
	}
	return nil, fieldErr(http.StatusNotFound, "collectionId", "%s is not a collection; see /ogc/collections", quoteClip([]byte(id)))
}

// queryables returns the collection's CQL2 queryables: its properties and
// geometry.
func (c *ogcCollection) queryables() map[string]cql2.Kind {
	q := make(map[string]cql2.Kind, len(c.props)+1)
	for _, p := range c.props {
		q[p.name] = p.kind()
	}
	q["geometry"] = cql2.KindGeometry
	return q
}

// prop returns the named property.
func (c *ogcCollection) prop(name string) (ogcProp, bool) {
	for _, p := range c.props {
		if p.name == name {
			return p, true
		}
	}
	return ogcProp{}, false
}

// handleOGCCollections answers GET /ogc/collections.
func (s *Server) handleOGCCollections(c *fiber.Ctx) error {
	v, err := s.ogcView(c)
	if err != nil {
		return err
	}
	base := ogcBase(c)
	b := append([]byte(nil), `{"links":[`...)
	b = appendLink(b, base+"/ogc/collections", "self", "application/json", "the collections")
	b = append(b, `],"collections":[`...)
	for i, col := range ogcCollections {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendCollection(b, base, v, col)
	}
	b = append(b, `],"crs":`...)
	b = appendCRSList(b)
	b = append(b, '}')
	return writeOGCJSON(c, b)
}

// handleOGCCollection answers GET /ogc/collections/{collectionId}.
func (s *Server) handleOGCCollection(c *fiber.Ctx) error {
	col, err := ogcCollectionByID(c.Params("collectionId"))
	if err != nil {
		return err
	}
	v, err := s.ogcView(c)
	if err != nil {
		return err
	}
	return writeOGCJSON(c, s.appendCollection(nil, ogcBase(c), v, col))
}

// appendCollection appends a collection's description: extent, item
// type, CRS list and links.
func (s *Server) appendCollection(b []byte, base string, v *view, col *ogcCollection) []byte {
	self := base + "/ogc/collections/" + col.id
	b = append(b, `{"id":`...)
	b = wire.AppendString(b, col.id)
	b = append(b, `,"title":`...)
	b = wire.AppendString(b, col.title)
	b = append(b, `,"description":`...)
	b = wire.AppendString(b, col.description)
	b = append(b, `,"itemType":"feature","extent":{"spatial":{"bbox":[[`...)
	b = appendBound(b, layerBound(v.ogcLayers().byID[col.id]))
	b = append(b, `]],"crs":"`+crs84URI+`"},"temporal":{"interval":[[null,null]],"trs":"http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}},"crs":`...)
	b = appendCRSList(b)
	b = append(b, `,"storageCrs":"`+crs84URI+`","links":[`...)
	b = appendLink(b, self, "self", "application/json", col.title)
	b = append(b, ',')
	b = appendLink(b, self+"/items", "items", "application/geo+json", col.title+" as GeoJSON")
	b = append(b, ',')
	b = appendLink(b, self+"/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "queryables")
	b = append(b, ',')
	b = appendLink(b, self+"/schema", "describedby", "application/schema+json", "schema of the features")
	return append(b, "]}"...)
}

// layerBound returns the union of the bounds of a layer's features.
func layerBound(l ogcLayer) orb.Bound {
	var b orb.Bound
	first := true
	for i := range l.Len() {
		fb := l.Bound(i)
		if fb == (orb.Bound{}) {
			continue
		}
		if first {
			b, first = fb, false
		} else {
			b = b.Union(fb)
		}
	}
	return b
}

// appendBound appends minx,miny,maxx,maxy.
func appendBound(b []byte, bd orb.Bound) []byte {
	for i, x := range []float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, x, 'f', -1, 64)
	}
	return b
}

// handleOGCQueryables answers GET /ogc/collections/{collectionId}/queryables.
func (s *Server) handleOGCQueryables(c *fiber.Ctx) error {
	return s.writeSchema(c, "queryables")
}

// handleOGCSchema answers GET /ogc/collections/{collectionId}/schema.
func (s *Server) handleOGCSchema(c *fiber.Ctx) error {
	return s.writeSchema(c, "schema")
}

// writeSchema writes the JSON Schema of a collection's features: the
// queryables (properties and geometry) or the schema (the same, as the
// features carry them).
func (s *Server) writeSchema(c *fiber.Ctx, kind string) error {
	col, err := ogcCollectionByID(c.Params("collectionId"))
	if err != nil {
		return err
	}
	if err := checkOGCParams(c, nil, "f"); err != nil {
		return err
	}
	self := ogcBase(c) + "/ogc/collections/" + col.id + "/" + kind
	b := append([]byte(nil), `{"$schema":"https://json-schema.org/draft/2019-09/schema","$id":`...)
	b = wire.AppendString(b, self)
	b = append(b, `,"type":"object","title":`...)
	b = wire.AppendString(b, col.title)
	b = append(b, `,"properties":{"geometry":{"format":"geometry-`...)
	b = append(b, geomFormat(col.geomType)...)
	b = append(b, `","x-ogc-role":"primary-geometry"}`...)
	for _, p := range col.props {
		b = append(b, ',')
		b = wire.AppendString(b, p.name)
		b = append(b, `:{"title":`...)
		b = wire.AppendString(b, p.title)
		b = append(b, `,"type":"`...)
		b = append(b, p.typ...)
		b = append(b, '"')
		if p.name == "id" {
			b = append(b, `,"x-ogc-role":"id"`...)
		}
		b = append(b, '}')
	}
	b = append(b, `},"additionalProperties":false}`...)
	c.Response().Header.SetContentType("application/schema+json")
	c.Response().SetBodyRaw(b)
	return nil
}

// geomFormat returns the JSON Schema format suffix of a GeoJSON type.
func geomFormat(t string) string {
	switch t {
	case "Point":
		return "point"
	case "LineString":
		return "linestring"
	}
	return "multipolygon"
}
