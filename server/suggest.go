package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// Limits of a site-suggestion request.
const (
	defaultSuggestK   = 5
	maxCandidates     = 10_000
	maxSpacingMeters  = walk.MaxLimitMeters
	maxSuggestFilters = 1000
)

// A suggestBody is the body of POST /v1/coverage/suggest.
type suggestBody struct {
	K            *int        `json:"k"`
	Minutes      *float64    `json:"minutes"`
	Units        []string    `json:"units"`
	Grids        []string    `json:"grids"`
	MinSpacingM  float64     `json:"min_spacing_m"`
	Candidates   [][]float64 `json:"candidates"`
	CandidateCRS string      `json:"crs"`
	// Report names units whose own coverage before and after the sites
	// is reported (besides the city's), as do Units.
	Report []string `json:"report"`
}

// handleSuggest answers POST /v1/coverage/suggest: k new station sites
// picked greedily by the households they newly cover, each with its
// marginal gain, and the city's coverage before and after adding them.
func (s *Server) handleSuggest(c *fiber.Ctx) error {
	v, net, err := s.walkReady(c)
	if err != nil {
		return err
	}
	var body suggestBody
	if err := decodeJSONBody(c, s.cfg.BodyLimit, &body); err != nil {
		return err
	}
	opt, minutes, err := v.suggestOptions(net, body)
	if err != nil {
		return err
	}
	report, err := v.parseReportUnits(body.Report)
	if err != nil {
		return err
	}
	report = append(report, opt.Units...)
	sg, err := net.Suggest(opt)
	if err != nil {
		return walkFieldErr(suggestErrField(body), err)
	}
	b := v.appendSuggestion(make([]byte, 0, 1024), opt.K, minutes, sg)
	if b, err = v.appendUnitReports(b[:len(b)-1], opt.LimitMeters, report, sg); err != nil {
		return err
	}
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(append(b, '}'))
	return nil
}

// suggestErrField names the member at fault when the engine refuses a
// request: the candidate rules leave no site, or a candidate is off the
// network.
func suggestErrField(body suggestBody) string {
	switch {
	case len(body.Candidates) > 0:
		return "candidates"
	case len(body.Units) > 0:
		return "units"
	case len(body.Grids) > 0:
		return "grids"
	}
	return "min_spacing_m"
}

// suggestOptions checks a suggestion request and converts it to the
// engine's options.
func (v *view) suggestOptions(net *walk.Network, body suggestBody) (walk.SuggestOptions, float64, error) {
	opt := walk.SuggestOptions{K: defaultSuggestK, MinSpacingMeters: body.MinSpacingM}
	if body.K != nil {
		opt.K = *body.K
	}
	if opt.K < 1 || opt.K > walk.MaxSuggestSites {
		return opt, 0, fieldErr(http.StatusBadRequest, "k", "%d is outside 1-%d", opt.K, walk.MaxSuggestSites)
	}
	minutes := defaultMinutes
	if body.Minutes != nil {
		minutes = *body.Minutes
	}
	limit, err := minutesToMeters(net, "minutes", minutes)
	if err != nil {
		return opt, 0, err
	}
	opt.LimitMeters = limit
	if m := opt.MinSpacingMeters; math.IsNaN(m) || m < 0 || m > maxSpacingMeters {
		return opt, 0, fieldErr(http.StatusBadRequest, "min_spacing_m", "%g is outside 0-%g meters", m, maxSpacingMeters)
	}
	if opt.Units, err = v.parseUnitCodes(body.Units); err != nil {
		return opt, 0, err
	}
	if opt.Grids, err = v.parseGridCodes(body.Grids); err != nil {
		return opt, 0, err
	}
	if opt.Candidates, err = parseCandidates(net, body.Candidates, body.CandidateCRS); err != nil {
		return opt, 0, err
	}
	return opt, minutes, nil
}

// parseUnitCodes parses division codes of units in the snapshot.
func (v *view) parseUnitCodes(raw []string) ([]geo.DivisionCode, error) {
	if len(raw) > maxSuggestFilters {
		return nil, fieldErr(http.StatusBadRequest, "units", "holds more than %d codes", maxSuggestFilters)
	}
	var out []geo.DivisionCode
	for i, s := range raw {
		field := "units[" + strconv.Itoa(i) + "]"
		code, err := geo.ParseDivisionCode(s)
		if err != nil {
			return nil, fieldErr(http.StatusBadRequest, field, "%s is not a 4, 6, 9 or 12-digit division code", quoteClip([]byte(s)))
		}
		if _, ok := v.snap.Unit(code); !ok {
			return nil, fieldErr(http.StatusBadRequest, field, "no unit %s", code)
		}
		out = append(out, code)
	}
	return out, nil
}

// parseGridCodes parses codes of grids in the snapshot.
func (v *view) parseGridCodes(raw []string) ([]geo.GridCode, error) {
	if len(raw) > maxSuggestFilters {
		return nil, fieldErr(http.StatusBadRequest, "grids", "holds more than %d codes", maxSuggestFilters)
	}
	var out []geo.GridCode
	for i, s := range raw {
		field := "grids[" + strconv.Itoa(i) + "]"
		code, err := geo.ParseGridCode(s)
		if err != nil {
			return nil, fieldErr(http.StatusBadRequest, field, "%s is not a 15-digit grid code", quoteClip([]byte(s)))
		}
		if _, ok := v.snap.Grid(code); !ok {
			return nil, fieldErr(http.StatusBadRequest, field, "no grid %s", code)
		}
		out = append(out, code)
	}
	return out, nil
}

// parseCandidates checks the explicit candidate sites, converts them to
// WGS-84 and makes sure each lies near the walking network (422 naming
// the candidate otherwise).
func parseCandidates(net *walk.Network, raw [][]float64, crsName string) ([]orb.Point, error) {
	if len(raw) > maxCandidates {
		return nil, fieldErr(http.StatusBadRequest, "candidates", "holds more than %d sites", maxCandidates)
	}
	if _, err := parseCRS("crs", []byte(crsName)); err != nil {
		return nil, err
	}
	var out []orb.Point
	for i, xy := range raw {
		field := "candidates[" + strconv.Itoa(i) + "]"
		p, err := parseBodyPoint(field, xy, crsName)
		if err != nil {
			return nil, err
		}
		if _, err := net.PointSource(p); err != nil {
			return nil, walkFieldErr(field, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// appendSuggestion appends the suggestion answer.
func (v *view) appendSuggestion(b []byte, k int, minutes float64, sg *walk.Suggestion) []byte {
	b = append(b, `{"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	b = append(b, `,"k":`...)
	b = appendInt(b, k)
	b = appendLimit(b, minutes, sg.LimitMeters)
	b = append(b, `,"candidates":`...)
	b = appendInt(b, sg.Candidates)
	b = append(b, `,"sites":[`...)
	gainH, gainB := 0, 0
	for i, st := range sg.Sites {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.appendSite(b, i+1, st)
		gainH += st.GainHouseholds
		gainB += st.GainBuildings
	}
	b = append(b, `],"gain":{"households":`...)
	b = appendInt(b, gainH)
	b = append(b, `,"buildings":`...)
	b = appendInt(b, gainB)
	b = append(b, `},"before":`...)
	b = appendTally(b, sg.Before)
	b = append(b, `,"after":`...)
	b = appendTally(b, sg.After)
	return append(b, '}')
}

// appendSite appends one suggested site: its rank, WGS-84 point, the grid
// it stands in, its access walk and its marginal gain.
func (v *view) appendSite(b []byte, rank int, st walk.Site) []byte {
	b = append(b, `{"rank":`...)
	b = appendInt(b, rank)
	b = append(b, `,"point":`...)
	b = wire.Lattice.AppendPosition(b, st.Point)
	b = append(b, `,"grid":`...)
	if g, ok := v.snap.Locate(st.Point); ok {
		b = append(b, `{"code":"`...)
		b = append(b, g.Code.String()...)
		b = append(b, `","name":`...)
		b = wire.AppendString(b, g.Name)
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"access_m":`...)
	b = appendFixed(b, st.Snap.AccessMeters, 1)
	b = append(b, `,"gain_households":`...)
	b = appendInt(b, st.GainHouseholds)
	b = append(b, `,"gain_buildings":`...)
	b = appendInt(b, st.GainBuildings)
	return append(b, '}')
}

// parseReportUnits parses the units of the report member.
func (v *view) parseReportUnits(raw []string) ([]geo.DivisionCode, error) {
	codes, err := v.parseUnitCodes(raw)
	var fe *FieldError
	if errors.As(err, &fe) {
		fe.Field = "report" + strings.TrimPrefix(fe.Field, "units")
	}
	return codes, err
}

// appendUnitReports appends `,"units":[...]`: each unit's own tally
// before and after the suggested sites, with its code, name and level.
func (v *view) appendUnitReports(b []byte, limit float64, units []geo.DivisionCode, sg *walk.Suggestion) ([]byte, error) {
	b = append(b, `,"units":[`...)
	if len(units) == 0 || sg.Coverage == nil {
		return append(b, ']'), nil
	}
	base, _, err := v.coverage(limit)
	if err != nil {
		return nil, err
	}
	for i, code := range units {
		before, err := unitTally(base, code)
		if err != nil {
			return nil, err
		}
		after, err := unitTally(sg.Coverage, code)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":"`...)
		b = append(b, code.String()...)
		b = append(b, `","name":`...)
		b = wire.AppendString(b, before.Name)
		b = append(b, `,"level":"`...)
		b = append(b, code.Level().String()...)
		b = append(b, `","before":`...)
		b = appendTally(b, before.Tally)
		b = append(b, `,"after":`...)
		b = appendTally(b, after.Tally)
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// unitTally returns one unit's coverage tally.
func unitTally(cov *walk.Coverage, code geo.DivisionCode) (walk.UnitCoverage, error) {
	units, err := cov.Units(code.Level())
	if err != nil {
		return walk.UnitCoverage{}, err
	}
	for _, u := range units {
		if u.Division == code {
			return u, nil
		}
	}
	return walk.UnitCoverage{}, fmt.Errorf("suggest: unit %s: %w", code, geo.ErrNotFound)
}
