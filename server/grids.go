package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb/geojson"
)

// handleGrid answers GET /v1/grids/{code} with the grid as a GeoJSON
// Feature: its id, code, name, unit chain, households and buildings.
func (s *Server) handleGrid(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	raw := c.Params("code")
	code, err := geo.ParseGridCode(raw)
	if err != nil {
		return fieldErr(http.StatusBadRequest, "code", "%s is not a 15-digit grid code", quoteClip([]byte(raw)))
	}
	g, ok := v.snap.Grid(code)
	if !ok {
		return fieldErr(http.StatusNotFound, "code", "no grid %s", code)
	}
	if notModified(c, v) {
		return nil
	}
	b, err := v.appendGridFeature(nil, g)
	if err != nil {
		return err
	}
	c.Response().Header.SetContentType("application/geo+json")
	c.Response().SetBodyRaw(b)
	return nil
}

// appendGridFeature appends g as a GeoJSON Feature.
func (v *view) appendGridFeature(b []byte, g *geo.Grid) ([]byte, error) {
	geom, err := json.Marshal(geojson.NewGeometry(g.Geometry))
	if err != nil {
		return nil, fmt.Errorf("encoding grid %s geometry: %w", g.Code, err)
	}
	ch := v.snap.ChainOf(g)
	buildings, households := v.gridCounts(g)
	b = append(b, `{"type":"Feature","id":`...)
	b = strconv.AppendUint(b, uint64(g.ID), 10)
	b = append(b, `,"geometry":`...)
	b = append(b, geom...)
	b = append(b, `,"properties":{"id":`...)
	b = strconv.AppendUint(b, uint64(g.ID), 10)
	b = append(b, `,"code":"`...)
	b = append(b, g.Code.String()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, g.Name)
	b = append(b, `,"community":`...)
	b = bulk.AppendUnitRef(b, ch.Community)
	b = append(b, `,"subdistrict":`...)
	b = bulk.AppendUnitRef(b, ch.Subdistrict)
	b = append(b, `,"district":`...)
	b = bulk.AppendUnitRef(b, ch.District)
	b = append(b, `,"households":`...)
	b = strconv.AppendInt(b, int64(households), 10)
	b = append(b, `,"buildings":`...)
	b = strconv.AppendInt(b, int64(buildings), 10)
	b = append(b, `,"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	return append(b, "}}"...), nil
}
