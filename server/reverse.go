package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
)

// handleReverse answers GET /v1/reverse?lon=&lat=&crs= with the building
// whose entrance is nearest the point, its standard address and distance
// in meters, and the grid chain of the point itself (null members when the
// point is in no grid). building is null only for a city without
// buildings.
func (s *Server) handleReverse(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	p, cr, err := parseLookupArgs(c.Context().QueryArgs())
	if err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	wgs := crs.ToWGS84(cr, p)
	b := make([]byte, 0, 1024)
	b = append(b, `{"building":`...)
	if bld, dist := v.addresses().Reverse(wgs); bld != nil {
		b = append(b, `{"id":`...)
		b = strconv.AppendUint(b, uint64(bld.ID), 10)
		b = append(b, `,"standard_address":`...)
		b = wire.AppendString(b, address.StandardAddress(bld))
		bp := crs.FromWGS84(cr, bld.Point)
		b = append(b, `,"point":[`...)
		b = wire.Lattice.AppendCoord(b, bp[0])
		b = append(b, ',')
		b = wire.Lattice.AppendCoord(b, bp[1])
		b = append(b, `],"distance_m":`...)
		b = strconv.AppendFloat(b, dist, 'f', 1, 64)
		b = append(b, `,"grid":"`...)
		b = append(b, bld.Grid.String()...)
		b = append(b, `"}`...)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	var f *bulk.Fragments
	if g, ok := v.snap.Locate(wgs); ok {
		f = v.answers.Of(g)
	}
	if f != nil {
		b = append(b, f.JSON[1:len(f.JSON)-1]...)
	} else {
		b = append(b, bulk.NullChain...)
	}
	b = appendAnswerTail(b, v, cr)
	resp := c.Response()
	resp.Header.SetContentTypeBytes(contentTypeJSON)
	resp.SetBodyRaw(b)
	return nil
}
