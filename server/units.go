package server

import (
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/wire"
)

// maxUnitDepth is the deepest unit tree /v1/units returns: city (0),
// districts (1), subdistricts (2), communities (3), grids (4).
const maxUnitDepth = 4

// defaultUnitDepth stops the tree at the communities.
const defaultUnitDepth = 3

// handleUnits answers GET /v1/units?depth=N with the unit tree and the
// counts below each unit.
func (s *Server) handleUnits(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	depth := defaultUnitDepth
	if raw := c.Context().QueryArgs().Peek("depth"); len(raw) > 0 {
		d, err := strconv.Atoi(string(raw))
		if err != nil || d < 0 || d > maxUnitDepth {
			return fieldErr(http.StatusBadRequest, "depth", "%s is not a whole number from 0 to %d", quoteClip(raw), maxUnitDepth)
		}
		depth = d
	}
	if notModified(c, v) {
		return nil
	}
	v.unitsOnce[depth].Do(func() { v.unitsJSON[depth] = v.buildUnitTree(depth) })
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(v.unitsJSON[depth])
	return nil
}

// roots returns the units with no parent in the snapshot: the city.
func (v *view) roots() []*geo.Unit {
	var rs []*geo.Unit
	for _, u := range v.snap.City.Units {
		if _, ok := v.snap.Unit(u.Code.Parent()); !ok {
			rs = append(rs, u)
		}
	}
	return rs
}

func (v *view) buildUnitTree(depth int) []byte {
	b := []byte(`{"version":`)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	b = append(b, `,"depth":`...)
	b = strconv.AppendInt(b, int64(depth), 10)
	b = append(b, `,"units":[`...)
	for i, u := range v.roots() {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.appendUnitTree(b, u, depth)
	}
	return append(b, "]}"...)
}

// appendUnitTree appends u with its counts and, while depth > 0, children.
func (v *view) appendUnitTree(b []byte, u *geo.Unit, depth int) []byte {
	b = v.appendUnitHead(b, u)
	if depth > 0 {
		b = append(b, `,"children":`...)
		b = v.appendChildren(b, u, depth-1)
	}
	return append(b, '}')
}

// appendChildren appends the array of u's children (its grids for a
// community), each with depth more levels below it.
func (v *view) appendChildren(b []byte, u *geo.Unit, depth int) []byte {
	b = append(b, '[')
	if u.Level() == geo.LevelCommunity {
		for i, g := range v.snap.GridsOf(u.Code) {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.appendGridSummary(b, g)
		}
	} else {
		for i, k := range v.snap.Children(u.Code) {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.appendUnitTree(b, k, depth)
		}
	}
	return append(b, ']')
}

// appendUnitHead appends `{"code":..,"name":..,"level":..,"counts":{..}`,
// leaving the object open.
func (v *view) appendUnitHead(b []byte, u *geo.Unit) []byte {
	b = appendUnitOpen(b, u)
	st := v.snap.Stats(u.Code)
	b = append(b, `,"counts":{"subdistricts":`...)
	b = strconv.AppendInt(b, int64(st.Subdistricts), 10)
	b = append(b, `,"communities":`...)
	b = strconv.AppendInt(b, int64(st.Communities), 10)
	b = append(b, `,"grids":`...)
	b = strconv.AppendInt(b, int64(st.Grids), 10)
	b = append(b, `,"buildings":`...)
	b = strconv.AppendInt(b, int64(st.Buildings), 10)
	b = append(b, `,"households":`...)
	b = strconv.AppendInt(b, int64(st.Households), 10)
	return append(b, '}')
}

// appendUnitOpen appends `{"code":..,"name":..,"level":..`.
func appendUnitOpen(b []byte, u *geo.Unit) []byte {
	b = append(b, `{"code":"`...)
	b = append(b, u.Code.String()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, u.Name)
	b = append(b, `,"level":"`...)
	b = append(b, u.Level().String()...)
	return append(b, '"')
}

// gridCounts returns the buildings and households of g in the snapshot.
func (v *view) gridCounts(g *geo.Grid) (buildings, households int) {
	bs := v.snap.BuildingsIn(g.Code)
	for _, x := range bs {
		households += x.Households
	}
	return len(bs), households
}

// appendGridSummary appends a grid's id, code, name and counts.
func (v *view) appendGridSummary(b []byte, g *geo.Grid) []byte {
	buildings, households := v.gridCounts(g)
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, uint64(g.ID), 10)
	b = append(b, `,"code":"`...)
	b = append(b, g.Code.String()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, g.Name)
	b = append(b, `,"level":"grid","households":`...)
	b = strconv.AppendInt(b, int64(households), 10)
	b = append(b, `,"buildings":`...)
	b = strconv.AppendInt(b, int64(buildings), 10)
	return append(b, '}')
}

// handleUnit answers GET /v1/units/{code}: the unit, its counts, its
// parents from the top and its children (grids for a community).
func (s *Server) handleUnit(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	raw := c.Params("code")
	code, err := geo.ParseDivisionCode(raw)
	if err != nil {
		reason := "is not a 4, 6, 9 or 12-digit division code"
		if len(raw) == 15 {
			reason = "is a grid code; see /v1/grids/{code}"
		}
		return fieldErr(http.StatusBadRequest, "code", "%s %s", quoteClip([]byte(raw)), reason)
	}
	u, ok := v.snap.Unit(code)
	if !ok {
		return fieldErr(http.StatusNotFound, "code", "no unit %s", code)
	}
	if notModified(c, v) {
		return nil
	}
	b := []byte(`{"version":`)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	b = append(b, `,"unit":`...)
	b = append(v.appendUnitHead(b, u), '}')
	b = append(b, `,"parents":[`...)
	var chain []*geo.Unit
	for p := code.Parent(); p != 0; p = p.Parent() {
		if pu, ok := v.snap.Unit(p); ok {
			chain = append(chain, pu)
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		b = append(appendUnitOpen(b, chain[i]), '}')
		if i > 0 {
			b = append(b, ',')
		}
	}
	b = append(b, `],"children":`...)
	b = append(v.appendChildren(b, u, 0), '}')
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}
