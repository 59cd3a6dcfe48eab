package server

import (
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/wire"
)

const contentTypeGeoJSON = "application/geo+json"

// handleStations answers GET /v1/stations with every service station as a
// GeoJSON FeatureCollection: kind, name, the unit and community served and
// how far the station lies from the walking network.
func (s *Server) handleStations(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	body, _ := v.walk.stations.get(func() ([]byte, error) {
		b := []byte(`{"type":"FeatureCollection","version":`)
		b = strconv.AppendUint(b, v.snap.Version, 10)
		b = append(b, `,"count":`...)
		b = appendInt(b, len(net.Stations()))
		b = append(b, `,"features":[`...)
		for i, st := range net.Stations() {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.appendStationFeature(b, net, st)
		}
		return append(b, "]}"...), nil
	})
	c.Response().Header.SetContentType(contentTypeGeoJSON)
	c.Response().SetBodyRaw(body)
	return nil
}

// handleStation answers GET /v1/stations/{id} with one station as a
// GeoJSON Feature.
func (s *Server) handleStation(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	st, err := stationParam(net, c.Params("id"))
	if err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	c.Response().Header.SetContentType(contentTypeGeoJSON)
	c.Response().SetBodyRaw(v.appendStationFeature(nil, net, st))
	return nil
}

// stationParam parses a station id path parameter and finds the station:
// 400 for a malformed id, 404 for an unknown one. A station off the
// network is returned.
func stationParam(net *walk.Network, raw string) (*geo.Station, error) {
	id, err := strconv.ParseUint(raw, 10, 32)
	if err != nil || id == 0 {
		return nil, fieldErr(http.StatusBadRequest, "id", "%s is not a positive station id", quoteClip([]byte(raw)))
	}
	st, _, err := net.Station(geo.StationID(id))
	if st == nil {
		return nil, walkFieldErr("id", err)
	}
	return st, nil
}

// appendStationFeature appends a station as a GeoJSON Point Feature.
func (v *view) appendStationFeature(b []byte, net *walk.Network, st *geo.Station) []byte {
	b = append(b, `{"type":"Feature","id":`...)
	b = strconv.AppendUint(b, uint64(st.ID), 10)
	b = append(b, `,"geometry":{"type":"Point","coordinates":`...)
	b = wire.Lattice.AppendPosition(b, st.Point)
	b = append(b, `},"properties":`...)
	b = v.appendStation(b, net, st)
	return append(b, '}')
}

// appendStation appends a station's properties: id, kind, name, the unit
// it serves, the community it serves (null for a subdistrict centre), its
// point and its access walk to the network (snap_m, null when off the
// network).
func (v *view) appendStation(b []byte, net *walk.Network, st *geo.Station) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, uint64(st.ID), 10)
	b = append(b, `,"kind":"`...)
	b = append(b, st.Kind.String()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, st.Name)
	b = append(b, `,"unit":`...)
	if u, ok := v.snap.Unit(st.Unit); ok {
		b = append(appendUnitOpen(b, u), '}')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"community":`...)
	b = bulk.AppendUnitRef(b, v.stationCommunity(st))
	b = append(b, `,"point":`...)
	b = wire.Lattice.AppendPosition(b, st.Point)
	_, sn, err := net.Station(st.ID)
	b = append(b, `,"on_network":`...)
	b = strconv.AppendBool(b, err == nil)
	b = append(b, `,"snap_m":`...)
	if err == nil {
		b = appendFixed(b, sn.AccessMeters, 1)
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}')
}

// stationCommunity returns the community a community station serves, nil
// for a subdistrict centre (which serves the whole subdistrict).
func (v *view) stationCommunity(st *geo.Station) *geo.Unit {
	if st.Unit.Level() != geo.LevelCommunity {
		return nil
	}
	u, _ := v.snap.Unit(st.Unit)
	return u
}

// handleNearestStation answers GET /v1/nearest-station?lon=&lat=&crs=
// with the station nearest the point along the walking network.
func (s *Server) handleNearestStation(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	p, cr, err := parseLookupArgs(c.Context().QueryArgs())
	if err != nil {
		return err
	}
	near, err := net.NearestStation(crs.ToWGS84(cr, p))
	if err == nil && near.Station == nil {
		err = walk.ErrNoStation
	}
	if err != nil {
		return walkFieldErr("point", err)
	}
	if notModified(c, v) {
		return nil
	}
	b := []byte(`{"crs":"`)
	b = append(b, cr.String()...)
	b = append(b, '"')
	b = v.appendNearest(b, net, near)
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// handleBuildingStation answers GET /v1/buildings/{id}/station with the
// station nearest the building along the walking network.
func (s *Server) handleBuildingStation(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	raw := c.Params("id")
	id, perr := strconv.ParseUint(raw, 10, 64)
	if perr != nil || id == 0 {
		return fieldErr(http.StatusBadRequest, "id", "%s is not a positive building id", quoteClip([]byte(raw)))
	}
	near, err := net.NearestStationToBuilding(geo.BuildingID(id))
	if err == nil && near.Station == nil {
		err = walk.ErrNoStation
	}
	if err != nil {
		return walkFieldErr("id", err)
	}
	if notModified(c, v) {
		return nil
	}
	bd, ok := v.snap.Building(geo.BuildingID(id))
	if !ok {
		return walkFieldErr("id", walk.ErrUnknownBuilding)
	}
	b := []byte(`{"building":{"id":`)
	b = strconv.AppendUint(b, uint64(bd.ID), 10)
	b = append(b, `,"address":`...)
	b = wire.AppendString(b, bd.Address.String())
	b = append(b, `,"households":`...)
	b = appendInt(b, bd.Households)
	b = append(b, `,"grid":"`...)
	b = append(b, bd.Grid.String()...)
	b = append(b, `","point":`...)
	b = wire.Lattice.AppendPosition(b, bd.Point)
	b = append(b, '}')
	b = v.appendNearest(b, net, near)
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// appendNearest appends the members `,"station":{...},"distance_m":..,
// "minutes":..,"covered":..,"limit_m":..,"access_m":..,"version":N}`,
// closing the object. covered says whether the station lies within the
// standard's 15-minute walk.
func (v *view) appendNearest(b []byte, net *walk.Network, near walk.Nearest) []byte {
	b = append(b, `,"station":`...)
	b = v.appendStation(b, net, near.Station)
	b = append(b, `,"distance_m":`...)
	b = appendFixed(b, near.DistanceMeters, 1)
	b = append(b, `,"minutes":`...)
	b = appendFixed(b, walkMinutes(net, near.DistanceMeters), 1)
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, near.DistanceMeters <= walk.Band15)
	b = append(b, `,"limit_m":`...)
	b = appendFixed(b, walk.Band15, 0)
	b = append(b, `,"access_m":`...)
	b = appendFixed(b, near.Origin.AccessMeters, 1)
	b = append(b, `,"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	return append(b, '}')
}
