package server

import (
	"bytes"
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// maxBands is the most bands one circle request may draw.
const maxBands = 6

// A band is one ring of a service circle: a walking time and its distance.
type band struct {
	minutes, meters float64
}

// A circleRequest is a parsed circle query: the limit, the bands to draw
// (sorted by distance, the largest equal to the limit or below it) and
// whether to list the covered buildings.
type circleRequest struct {
	minutes, limitMeters float64
	bands                []band
	list                 bool
}

// handleStationCircle answers GET /v1/stations/{id}/circle?minutes=&bands=
// &buildings= with the station's service circle: one polygon per band and
// the buildings and households within the walk.
func (s *Server) handleStationCircle(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	st, err := stationParam(net, c.Params("id"))
	if err != nil {
		return err
	}
	args := c.Context().QueryArgs()
	req, err := parseCircleArgs(net, args.Peek("minutes"), args.Peek("bands"), args.Peek("buildings"))
	if err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	r, err := net.StationReach(st.ID, req.limitMeters)
	if err != nil {
		return walkFieldErr("id", err)
	}
	return v.writeCircle(c, net, req, r)
}

// A circleBody is the body of POST /v1/circles.
type circleBody struct {
	Point     []float64 `json:"point"`
	CRS       string    `json:"crs"`
	Minutes   *float64  `json:"minutes"`
	Bands     []float64 `json:"bands"`
	Buildings bool      `json:"buildings"`
}

// handleCirclePost answers POST /v1/circles with the what-if circle of a
// station standing at the point: {"point":[lon,lat],"crs":"gcj02",
// "minutes":15,"bands":[5,10,15],"buildings":true}.
func (s *Server) handleCirclePost(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	var body circleBody
	if err := decodeJSONBody(c, s.cfg.BodyLimit, &body); err != nil {
		return err
	}
	p, err := parseBodyPoint("point", body.Point, body.CRS)
	if err != nil {
		return err
	}
	minutes := defaultMinutes
	if body.Minutes != nil {
		minutes = *body.Minutes
	}
	req, err := newCircleRequest(net, minutes, body.Bands, body.Bands != nil)
	if err != nil {
		return err
	}
	req.list = body.Buildings
	r, err := net.PointReach(p, req.limitMeters)
	if err != nil {
		return walkFieldErr("point", err)
	}
	return v.writeCircle(c, net, req, r)
}

// parseBodyPoint checks a [lon, lat] pair from a JSON body in the named
// coordinate system and returns it in WGS-84.
func parseBodyPoint(field string, xy []float64, crsName string) (orb.Point, error) {
	if xy == nil {
		return orb.Point{}, &FieldError{Field: field, Reason: "is required"}
	}
	if len(xy) != 2 {
		return orb.Point{}, fieldErr(http.StatusBadRequest, field, "must be a [lon, lat] array of two numbers, not %d", len(xy))
	}
	if err := checkCoord(field, xy[0], 180); err != nil {
		return orb.Point{}, err
	}
	if err := checkCoord(field, xy[1], 90); err != nil {
		return orb.Point{}, err
	}
	cr, err := parseCRS("crs", []byte(crsName))
	if err != nil {
		return orb.Point{}, err
	}
	return crs.ToWGS84(cr, orb.Point{xy[0], xy[1]}), nil
}

// parseCircleArgs parses the minutes, bands (comma-separated minutes) and
// buildings (1/true or 0/false) query parameters.
func parseCircleArgs(net *walk.Network, rawMinutes, rawBands, rawList []byte) (circleRequest, error) {
	minutes, _, err := parseMinutesArg(net, "minutes", rawMinutes)
	if err != nil {
		return circleRequest{}, err
	}
	var bands []float64
	if len(rawBands) > 0 {
		for _, f := range bytes.Split(rawBands, []byte{','}) {
			x, err := strconv.ParseFloat(string(bytes.TrimSpace(f)), 64)
			if err != nil && !isRangeErr(err) {
				return circleRequest{}, fieldErr(http.StatusBadRequest, "bands", "%s is not a number of minutes", quoteClip(f))
			}
			bands = append(bands, x)
		}
	}
	req, err := newCircleRequest(net, minutes, bands, len(rawBands) > 0)
	if err != nil {
		return req, err
	}
	switch string(rawList) {
	case "", "0", "false":
	case "1", "true":
		req.list = true
	default:
		return req, fieldErr(http.StatusBadRequest, "buildings", "%s is not 1, true, 0 or false", quoteClip(rawList))
	}
	return req, nil
}

// newCircleRequest converts the limit and the bands to meters. Without
// bands the circle has one band, the limit. Each band must be 1-60 minutes
// and no longer a walk than the limit.
func newCircleRequest(net *walk.Network, minutes float64, bandMinutes []float64, given bool) (circleRequest, error) {
	limit, err := minutesToMeters(net, "minutes", minutes)
	if err != nil {
		return circleRequest{}, err
	}
	req := circleRequest{minutes: minutes, limitMeters: limit}
	if !given {
		req.bands = []band{{minutes, limit}}
		return req, nil
	}
	if len(bandMinutes) == 0 || len(bandMinutes) > maxBands {
		return req, fieldErr(http.StatusBadRequest, "bands", "must hold 1 to %d walking times, not %d", maxBands, len(bandMinutes))
	}
	for _, m := range bandMinutes {
		meters, err := minutesToMeters(net, "bands", m)
		if err != nil {
			return req, err
		}
		if meters > limit {
			return req, fieldErr(http.StatusBadRequest, "bands", "%g minutes (%.0f m) is a longer walk than the %g-minute limit (%.0f m)",
				m, meters, minutes, limit)
		}
		if !slices.ContainsFunc(req.bands, func(b band) bool { return b.meters == meters }) {
			req.bands = append(req.bands, band{m, meters})
		}
	}
	slices.SortFunc(req.bands, func(a, b band) int { return cmp.Compare(a.meters, b.meters) })
	return req, nil
}

// writeCircle draws the bands of r and writes the circle answer.
func (v *view) writeCircle(c *fiber.Ctx, net *walk.Network, req circleRequest, r *walk.Reach) error {
	meters := make([]float64, len(req.bands))
	for i, b := range req.bands {
		meters[i] = b.meters
	}
	polys, err := net.Circle(r, meters...)
	if err != nil {
		return walkFieldErr("bands", err)
	}
	size := 2048
	if req.list {
		size += 64 * len(r.Buildings)
	}
	for _, mp := range polys {
		for _, poly := range mp {
			for _, ring := range poly {
				size += 26*len(ring) + 4
			}
		}
	}
	c.Response().Header.SetContentType(contentTypeGeoJSON)
	c.Response().SetBodyRaw(v.appendCircle(make([]byte, 0, size), net, req, r, polys))
	return nil
}

// appendCircle appends the circle answer: a GeoJSON FeatureCollection of
// the band polygons, largest first, then the origin point, with a summary
// of the buildings and households within the limit.
func (v *view) appendCircle(b []byte, net *walk.Network, req circleRequest, r *walk.Reach, polys []orb.MultiPolygon) []byte {
	b = append(b, `{"type":"FeatureCollection","features":[`...)
	for i := len(req.bands) - 1; i >= 0; i-- {
		bd := req.bands[i]
		buildings, households := reachWithin(r, bd.meters)
		b = append(b, `{"type":"Feature","geometry":`...)
		b = wire.Lattice.AppendMultiPolygon(b, polys[i])
		b = append(b, `,"properties":{"role":"band","minutes":`...)
		b = strconv.AppendFloat(b, bd.minutes, 'g', -1, 64)
		b = append(b, `,"meters":`...)
		b = appendFixed(b, bd.meters, 1)
		b = append(b, `,"buildings":`...)
		b = appendInt(b, buildings)
		b = append(b, `,"households":`...)
		b = appendInt(b, households)
		b = append(b, "}},"...)
	}
	b = v.appendOrigin(b, net, r)
	b = append(b, `],"summary":{"minutes":`...)
	b = strconv.AppendFloat(b, req.minutes, 'g', -1, 64)
	b = append(b, `,"limit_m":`...)
	b = appendFixed(b, req.limitMeters, 1)
	b = append(b, `,"buildings":`...)
	b = appendInt(b, len(r.Buildings))
	b = append(b, `,"households":`...)
	b = appendInt(b, r.Households)
	if req.list {
		b = appendCovered(b, r)
	}
	b = append(b, `},"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	return append(b, '}')
}

// reachWithin counts the buildings and households of r within meters.
func reachWithin(r *walk.Reach, meters float64) (buildings, households int) {
	for _, br := range r.Buildings {
		if br.DistanceMeters <= meters {
			buildings++
			households += br.Building.Households
		}
	}
	return buildings, households
}

// appendOrigin appends the circle's origin as a Point Feature: the
// station, or the what-if point, with where it joins the network.
func (v *view) appendOrigin(b []byte, net *walk.Network, r *walk.Reach) []byte {
	var src walk.Source
	if len(r.Sources) > 0 {
		src = r.Sources[0]
	}
	b = append(b, `{"type":"Feature","geometry":{"type":"Point","coordinates":`...)
	b = wire.Lattice.AppendPosition(b, src.Point)
	b = append(b, `},"properties":{"role":"origin","station":`...)
	if src.Station != nil {
		b = v.appendStation(b, net, src.Station)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"access_m":`...)
	b = appendFixed(b, src.Snap.AccessMeters, 1)
	b = append(b, `,"foot":`...)
	b = wire.Lattice.AppendPosition(b, src.Snap.Foot)
	return append(b, "}}"...)
}

// appendCovered appends `,"covered":[{"id":..,"distance_m":..,
// "households":..},...]`, nearest first.
func appendCovered(b []byte, r *walk.Reach) []byte {
	b = append(b, `,"covered":[`...)
	for i, br := range r.Buildings {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendUint(b, uint64(br.Building.ID), 10)
		b = append(b, `,"distance_m":`...)
		b = appendFixed(b, br.DistanceMeters, 1)
		b = append(b, `,"households":`...)
		b = appendInt(b, br.Building.Households)
		b = append(b, '}')
	}
	return append(b, ']')
}
