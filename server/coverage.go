package server

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/wire"
)

// The gaps listed by default and at most.
const (
	defaultGapLimit = 100
	maxGapLimit     = 100_000
)

// handleCoverage answers GET /v1/coverage?level=&minutes= with the
// households and buildings covered and uncovered in every unit of the
// level (district by default), their share, and the city's totals.
func (s *Server) handleCoverage(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	args := c.Context().QueryArgs()
	level, err := parseLevelArg(args.Peek("level"))
	if err != nil {
		return err
	}
	minutes, limit, err := parseMinutesArg(net, "minutes", args.Peek("minutes"))
	if err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	cov, e, err := v.coverage(limit)
	if err != nil {
		return err
	}
	body, err := e.units[level].get(func() (coverageBody, error) {
		return v.buildCoverageBody(cov, minutes, level)
	})
	if err != nil {
		return err
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	if minutes == body.minutes {
		c.Response().SetBodyRaw(body.full)
		return nil
	}
	// Another time with the same limit (4.5 and 5 minutes are both 300 m):
	// the same tallies under the minutes asked for.
	tail := body.full[body.tailAt:]
	b := make([]byte, 0, 64+len(tail))
	b = v.appendCoverageHead(b, minutes, cov.LimitMeters)
	c.Response().SetBodyRaw(append(b, tail...))
	return nil
}

// A coverageBody is a /v1/coverage response built once per view, limit
// and level, for the minutes of its first request; full[tailAt:] is the
// part after the minutes and limit.
type coverageBody struct {
	minutes float64
	full    []byte
	tailAt  int
}

// buildCoverageBody builds the /v1/coverage body of one level.
func (v *view) buildCoverageBody(cov *walk.Coverage, minutes float64, level geo.Level) (coverageBody, error) {
	b := v.appendCoverageHead(make([]byte, 0, 64<<10), minutes, cov.LimitMeters)
	at := len(b)
	b, err := appendCoverageTail(b, cov, level)
	if err != nil {
		return coverageBody{}, err
	}
	return coverageBody{minutes: minutes, full: b, tailAt: at}, nil
}

// appendCoverageHead appends `{"version":N,"minutes":M,"limit_m":L`.
func (v *view) appendCoverageHead(b []byte, minutes, limitMeters float64) []byte {
	b = append(b, `{"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	return appendLimit(b, minutes, limitMeters)
}

// parseLevelArg parses the level query parameter; empty means district.
func parseLevelArg(raw []byte) (geo.Level, error) {
	if len(raw) == 0 {
		return geo.LevelDistrict, nil
	}
	l, err := geo.ParseLevel(string(raw))
	if err != nil || l > geo.LevelGrid {
		return 0, fieldErr(http.StatusBadRequest, "level", "%s is not city, district, subdistrict, community or grid", quoteClip(raw))
	}
	return l, nil
}

// appendCoverageTail appends the part of the /v1/coverage body for one
// level that follows the limit: `,"level":..,"total":{..},"units":[..]}`.
// It depends only on the coverage and the level.
func appendCoverageTail(b []byte, cov *walk.Coverage, level geo.Level) ([]byte, error) {
	units, err := cov.Units(level)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"level":"`...)
	b = append(b, level.String()...)
	b = append(b, `","total":`...)
	b = appendTally(b, cov.Total())
	b = append(b, `,"units":[`...)
	for i, u := range units {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendUnitCoverage(b, u)
	}
	return append(b, "]}"...), nil
}

// appendLimit appends `,"minutes":M,"limit_m":L`.
func appendLimit(b []byte, minutes, limitMeters float64) []byte {
	b = append(b, `,"minutes":`...)
	b = strconv.AppendFloat(b, minutes, 'g', -1, 64)
	b = append(b, `,"limit_m":`...)
	return appendFixed(b, limitMeters, 1)
}

// appendUnitCoverage appends one unit's or grid's tally with its code,
// name and level (and, for a grid, its community).
func appendUnitCoverage(b []byte, u walk.UnitCoverage) []byte {
	b = append(b, `{"code":"`...)
	b = append(b, u.Code()...)
	b = append(b, `","name":`...)
	b = wire.AppendString(b, u.Name)
	b = append(b, `,"level":"`...)
	b = append(b, u.Level.String()...)
	b = append(b, '"')
	if u.Level == geo.LevelGrid {
		b = append(b, `,"community":"`...)
		b = append(b, u.Division.String()...)
		b = append(b, '"')
	}
	b = append(b, ',')
	return appendTallyMembers(b, u.Tally)
}

// handleGaps answers GET /v1/coverage/gaps?minutes=&limit= with the
// uncovered buildings, most households first, as a GeoJSON
// FeatureCollection of their entrances, and the grids with uncovered
// households, worst first. limit (default 100, 0 for all) caps each list.
func (s *Server) handleGaps(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	args := c.Context().QueryArgs()
	minutes, limit, err := parseMinutesArg(net, "minutes", args.Peek("minutes"))
	if err != nil {
		return err
	}
	n := defaultGapLimit
	if raw := args.Peek("limit"); len(raw) > 0 {
		k, err := strconv.Atoi(string(raw))
		if err != nil || k < 0 || k > maxGapLimit {
			return fieldErr(http.StatusBadRequest, "limit", "%s is not a whole number from 0 (all) to %d", quoteClip(raw), maxGapLimit)
		}
		n = k
	}
	if notModified(c, v) {
		return nil
	}
	cov, e, err := v.coverage(limit)
	if err != nil {
		return err
	}
	gaps, _ := e.gaps.get(func() (walk.Gaps, error) { return cov.Gaps(0, 0), nil })
	if n > 0 {
		gaps.Buildings = gaps.Buildings[:min(n, len(gaps.Buildings))]
		gaps.Grids = gaps.Grids[:min(n, len(gaps.Grids))]
	}
	b := append(make([]byte, 0, 256+len(gaps.Buildings)*256+len(gaps.Grids)*256), `{"type":"FeatureCollection","features":[`...)
	for i, g := range gaps.Buildings {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendGapFeature(b, i+1, g)
	}
	b = append(b, `],"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	b = appendLimit(b, minutes, cov.LimitMeters)
	b = append(b, `,"total":`...)
	b = appendTally(b, cov.Total())
	b = append(b, `,"grids":[`...)
	for i, g := range gaps.Grids {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendUnitCoverage(b, g)
	}
	b = append(b, "]}"...)
	c.Response().Header.SetContentType(contentTypeGeoJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// appendGapFeature appends an uncovered building as a Point Feature with
// its rank, address, households, grid and network distance to the nearest
// station (null when none can be reached).
func appendGapFeature(b []byte, rank int, g walk.BuildingGap) []byte {
	bd := g.Building
	b = append(b, `{"type":"Feature","id":`...)
	b = strconv.AppendUint(b, uint64(bd.ID), 10)
	b = append(b, `,"geometry":{"type":"Point","coordinates":`...)
	b = wire.Lattice.AppendPosition(b, bd.Point)
	b = append(b, `},"properties":{"rank":`...)
	b = appendInt(b, rank)
	b = append(b, `,"id":`...)
	b = strconv.AppendUint(b, uint64(bd.ID), 10)
	b = append(b, `,"address":`...)
	b = wire.AppendString(b, bd.Address.String())
	b = append(b, `,"households":`...)
	b = appendInt(b, bd.Households)
	b = append(b, `,"grid":"`...)
	b = append(b, bd.Grid.String()...)
	b = append(b, `","nearest_m":`...)
	if math.IsInf(g.NearestMeters, 1) {
		b = append(b, "null"...)
	} else {
		b = appendFixed(b, g.NearestMeters, 1)
	}
	b = append(b, `,"off_network":`...)
	b = strconv.AppendBool(b, g.OffNetwork)
	return append(b, "}}"...)
}
