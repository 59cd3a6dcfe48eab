package server

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/wire"
)

// maxExportCodes bounds the grid codes one export names.
const maxExportCodes = 10_000

// gridColumns are the attributes of an exported grid. range is "low" or
// "high" when the households are outside the per-grid range, else "".
// staff and staff_tel are the grid head's (网格长) name and phone, masked
// unless the token's scope covers the grid; staff_n counts its staff.
var gridColumns = []shapefile.Field{
	{Name: "code", Type: 'C'}, {Name: "name", Type: 'C'}, {Name: "district", Type: 'C'},
	{Name: "subdist", Type: 'C'}, {Name: "community", Type: 'C'}, {Name: "households", Type: 'N'},
	{Name: "buildings", Type: 'N'}, {Name: "hh_covered", Type: 'N'}, {Name: "coverage", Type: 'N', Decimals: 4},
	{Name: "range", Type: 'C'}, {Name: "staff", Type: 'C'}, {Name: "staff_tel", Type: 'C'}, {Name: "staff_n", Type: 'N'},
}

// gapColumns are the attributes of an exported uncovered building.
var gapColumns = []shapefile.Field{
	{Name: "rank", Type: 'N'}, {Name: "id", Type: 'N'}, {Name: "address", Type: 'C'},
	{Name: "households", Type: 'N'}, {Name: "grid", Type: 'C'}, {Name: "nearest_m", Type: 'N', Decimals: 1},
}

// An exportQuery is what an export of grids or gaps asks for: the format,
// the grids (codes, or those of a unit, or all) and the walking time the
// coverage is counted for.
type exportQuery struct {
	Format  string   `json:"format"`
	Codes   []string `json:"codes"`
	Unit    string   `json:"unit"`
	Minutes *float64 `json:"minutes"`
}

func (s *Server) registerExports() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/v1/export/grids", s.handleExportGrids},
		{http.MethodPost, "/v1/export/grids", s.handleExportGrids},
		{http.MethodGet, "/v1/export/gaps", s.handleExportGaps},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	return nil
}

// readExportQuery reads the query string of a GET or the JSON body of a
// POST (for selections too long for a URL); withJSON allows format json.
func (s *Server) readExportQuery(c *fiber.Ctx, withJSON bool) (exportQuery, error) {
	var q exportQuery
	if c.Method() == http.MethodPost {
		if err := decodeJSONBody(c, s.cfg.BodyLimit, &q); err != nil {
			return q, err
		}
	} else {
		q.Format, q.Unit = c.Query("format"), c.Query("unit")
		if raw := c.Query("codes"); raw != "" {
			q.Codes = strings.Split(raw, ",")
		}
		if raw := c.Query("minutes"); raw != "" {
			m, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return q, fieldErr(http.StatusBadRequest, "minutes", "%s is not a number of minutes", quoteClip([]byte(raw)))
			}
			q.Minutes = &m
		}
	}
	var err error
	q.Format, err = parseExportFormat(q.Format, withJSON)
	return q, err
}

// selectGrids returns the snapshot's grids the query names, in the
// city's order: the codes given, else the grids of unit, else all.
func selectGrids(v *view, q exportQuery) ([]int, error) {
	if len(q.Codes) > maxExportCodes {
		return nil, fieldErr(http.StatusBadRequest, "codes", "names %d grids, more than %d", len(q.Codes), maxExportCodes)
	}
	var unit geo.DivisionCode
	if q.Unit != "" {
		u, err := geo.ParseDivisionCode(q.Unit)
		if err != nil {
			return nil, fieldErr(http.StatusBadRequest, "unit", "%s is not a 4, 6, 9 or 12-digit division code", quoteClip([]byte(q.Unit)))
		}
		if _, ok := v.snap.Unit(u); !ok {
			return nil, fieldErr(http.StatusNotFound, "unit", "no unit %s", u)
		}
		unit = u
	}
	want := make(map[geo.GridCode]bool, len(q.Codes))
	for i, s := range q.Codes {
		code, err := geo.ParseGridCode(strings.TrimSpace(s))
		if err != nil {
			return nil, fieldErr(http.StatusBadRequest, "codes["+strconv.Itoa(i)+"]", "%s is not a 15-digit grid code", quoteClip([]byte(s)))
		}
		if _, ok := v.snap.Grid(code); !ok {
			return nil, fieldErr(http.StatusNotFound, "codes["+strconv.Itoa(i)+"]", "no grid %s", code)
		}
		want[code] = true
	}
	var out []int
	for i, g := range v.snap.City.Grids {
		if (len(want) == 0 || want[g.Code]) && (unit == 0 || unit.Contains(g.Community())) {
			out = append(out, i)
		}
	}
	return out, nil
}

// exportCoverage returns the walking coverage for the query's minutes, or
// nil when the city has no walking network (the coverage columns are then
// null). Minutes out of range are a 400.
func exportCoverage(v *view, q exportQuery) (*walk.Coverage, error) {
	net, err := v.network()
	if err != nil {
		return nil, nil //nolint:nilerr // no network: the export has no coverage
	}
	minutes := defaultMinutes
	if q.Minutes != nil {
		minutes = *q.Minutes
	}
	limit, err := minutesToMeters(net, "minutes", minutes)
	if err != nil {
		return nil, err
	}
	cov, _, err := v.coverage(limit)
	return cov, err
}

// handleExportGrids answers GET and POST /v1/export/grids: the grids
// selected (codes, unit or all) with their units, households, buildings,
// 15-minute coverage and households-range flag, as GeoJSON, CSV (with a
// BOM), a zipped Shapefile, or json (the attribute rows alone, for the
// page's table).
func (s *Server) handleExportGrids(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	q, err := s.readExportQuery(c, true)
	if err != nil {
		return err
	}
	idx, err := selectGrids(v, q)
	if err != nil {
		return err
	}
	cov, err := exportCoverage(v, q)
	if err != nil {
		return err
	}
	var tallies []walk.UnitCoverage
	if cov != nil {
		if tallies, err = cov.Units(geo.LevelGrid); err != nil {
			return err
		}
	}
	lo, hi := edit.Options{}.HouseholdRange()
	people := s.staffAccessOf(c)
	varyOnToken(c)
	t := &exportTable{name: "grids", columns: gridColumns, rows: make([]exportRow, 0, len(idx))}
	for _, i := range idx {
		g := v.snap.City.Grids[i]
		ch := v.snap.ChainOf(g)
		head, tel := people.head(g)
		vals := []string{g.Code.String(), g.Name, unitName(ch.District), unitName(ch.Subdistrict), unitName(ch.Community),
			strconv.Itoa(g.Households), strconv.Itoa(g.Buildings), "", "", householdRange(g.Households, lo, hi),
			head, tel, strconv.Itoa(len(g.Staff))}
		if tallies != nil {
			tl := tallies[i].Tally
			vals[7] = strconv.Itoa(tl.HouseholdsCovered)
			vals[8] = strconv.FormatFloat(tl.Share(), 'f', 4, 64)
		}
		t.rows = append(t.rows, exportRow{geom: g.Geometry, values: vals})
	}
	if q.Format == formatJSON {
		c.Response().Header.SetContentTypeBytes(contentTypeJSON)
		c.Response().SetBodyRaw(t.json(v.snap.Version, lo, hi))
		return nil
	}
	return t.send(c, q.Format, v.snap.Version)
}

// handleExportGaps answers GET /v1/export/gaps: the buildings no station
// reaches within minutes (of the unit's grids, or all), most households
// first, as points in GeoJSON, CSV or a zipped Shapefile.
func (s *Server) handleExportGaps(c *fiber.Ctx) error {
	v, _, err := s.walkReady(c)
	if err != nil {
		return err
	}
	q, err := s.readExportQuery(c, false)
	if err != nil {
		return err
	}
	cov, err := exportCoverage(v, q)
	if err != nil {
		return err
	}
	var unit geo.DivisionCode
	if q.Unit != "" {
		if _, err := selectGrids(v, exportQuery{Unit: q.Unit}); err != nil {
			return err
		}
		unit, _ = geo.ParseDivisionCode(q.Unit)
	}
	gaps := cov.Gaps(0, 0)
	t := &exportTable{name: "gaps", columns: gapColumns}
	for _, g := range gaps.Buildings {
		bd := g.Building
		if unit != 0 && !unit.Contains(bd.Grid.Community()) {
			continue
		}
		near := ""
		if !math.IsInf(g.NearestMeters, 0) {
			near = strconv.FormatFloat(g.NearestMeters, 'f', 1, 64)
		}
		t.rows = append(t.rows, exportRow{geom: bd.Point, values: []string{strconv.Itoa(len(t.rows) + 1),
			strconv.FormatUint(uint64(bd.ID), 10), bd.Address.String(), strconv.Itoa(bd.Households), bd.Grid.String(), near}})
	}
	return t.send(c, q.Format, v.snap.Version)
}

// unitName returns a unit's short name, or "".
func unitName(u *geo.Unit) string {
	if u == nil {
		return ""
	}
	return u.ShortName()
}

// householdRange flags households outside lo-hi: "low", "high" or "".
func householdRange(n, lo, hi int) string {
	switch {
	case n < lo:
		return "low"
	case n > hi:
		return "high"
	}
	return ""
}

// json returns the table's attribute rows without geometry, for the
// page's grid table: {"version","households_range","columns","rows"}.
func (t *exportTable) json(version uint64, lo, hi int) []byte {
	b := append(make([]byte, 0, 128+len(t.rows)*160), `{"version":`...)
	b = appendInt(b, int(version))
	b = append(b, `,"households_range":[`...)
	b = appendInt(b, lo)
	b = append(b, ',')
	b = appendInt(b, hi)
	b = append(b, `],"columns":[`...)
	for j, col := range t.columns {
		if j > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, col.Name)
	}
	b = append(b, `],"rows":[`...)
	for i, r := range t.rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, col := range t.columns {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, col, r.values[j])
		}
		b = append(b, ']')
	}
	return append(b, "]}"...)
}
