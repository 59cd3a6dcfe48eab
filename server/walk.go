package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/valyala/bytebufferpool"
)

// maxCachedCoverages bounds how many coverages other than the default
// 15-minute one a view keeps; the oldest is dropped first.
const maxCachedCoverages = 8

// defaultMinutes is the service circle of the standard: a 15-minute walk.
const defaultMinutes = 15.0

// A walkView is one view's walking network and the coverages computed on
// it, each built on first use. The default 15-minute coverage is kept for
// the view's life (the grids tile layer reads it); a few others are kept
// in a small cache.
type walkView struct {
	net      lazy[*walk.Network]
	stations lazy[[]byte]
	cov15    coverageEntry
	// rebased15 is the 15-minute coverage rebased in the network's own
	// build turn when the network was rebased (nil otherwise), for cov15
	// to take without a turn of its own.
	rebased15 *walk.Coverage

	mu    sync.Mutex
	covs  map[float64]*coverageEntry
	order []float64
}

// A coverageEntry is the coverage at one limit and its per-level
// /v1/coverage response bodies.
type coverageEntry struct {
	cov   lazy[*walk.Coverage]
	units [geo.LevelGrid + 1]lazy[coverageBody]
	// gaps lists every gap, worst first; requests take a prefix.
	gaps lazy[walk.Gaps]
}

// network returns the view's walking network, built from the snapshot's
// streets on first use.
func (v *view) network() (*walk.Network, error) {
	return v.walk.net.get(func() (n *walk.Network, err error) {
		rebaseOrBuild(func() bool { n = v.rebaseNetwork(); return n != nil },
			func() { n, err = v.buildNetwork() })
		return n, err
	})
}

// rebaseNetwork rebases the newest network, and its 15-minute coverage,
// on v's snapshot; nil when there is none to rebase (or the streets
// differ).
func (v *view) rebaseNetwork() *walk.Network {
	n := v.base.network(v)
	if n != nil {
		v.base.keepNetwork(v, n)
		v.walk.rebased15 = v.base.coverage(n) // a pass over two arrays: no second turn
	}
	return n
}

// buildNetwork builds v's walking network from its streets.
func (v *view) buildNetwork() (*walk.Network, error) {
	cfg := WalkConfig{}
	if v.walkCfg != nil {
		cfg = *v.walkCfg
	}
	ways := cfg.Ways
	if ways == nil {
		ways = walk.WaysFromStreets(v.snap.City.Streets)
	}
	g, err := walk.BuildGraph(ways)
	if err != nil {
		return nil, fmt.Errorf("building the walking network: %w", err)
	}
	n, err := walk.New(v.snap, g, cfg.Options)
	if err != nil {
		return nil, fmt.Errorf("building the walking network: %w", err)
	}
	v.base.keepNetwork(v, n)
	return n, nil
}

// coverageEntry returns the cache entry for a limit in meters, creating it
// (and dropping the oldest other entry) when new.
func (v *view) coverageEntry(limitMeters float64) *coverageEntry {
	if limitMeters == walk.Band15 {
		return &v.walk.cov15
	}
	w := &v.walk
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.covs[limitMeters]; ok {
		return e
	}
	if w.covs == nil {
		w.covs = make(map[float64]*coverageEntry)
	}
	if len(w.order) >= maxCachedCoverages {
		delete(w.covs, w.order[0])
		w.order = append(w.order[:0], w.order[1:]...)
	}
	e := &coverageEntry{}
	w.covs[limitMeters] = e
	w.order = append(w.order, limitMeters)
	return e
}

// coverage returns the coverage at limitMeters, computed once per view.
func (v *view) coverage(limitMeters float64) (*walk.Coverage, *coverageEntry, error) {
	net, err := v.network()
	if err != nil {
		return nil, nil, err
	}
	e := v.coverageEntry(limitMeters)
	c, err := e.cov.get(func() (c *walk.Coverage, err error) {
		if limitMeters != walk.Band15 { // computed afresh: a long build
			background(func() { c, err = net.Coverage(limitMeters) })
			return c, err
		}
		if c = v.walk.rebased15; c == nil { // set by the network's build, which has returned
			rebaseOrBuild(func() bool { c = v.base.coverage(net); return c != nil },
				func() { c, err = net.Coverage(limitMeters) })
		}
		if err == nil && limitMeters == walk.Band15 {
			v.base.keepCoverage(v, c)
		}
		return c, err
	})
	return c, e, err
}

// coverageTileProps returns, for the tile renderer, each grid's covered
// share of households and each building's uncovered flag at the default
// 15-minute limit, computing that coverage now if no request or warmer
// has. Both are nil when the walking network cannot be built, so the
// tiles then lack the properties rather than failing.
func (v *view) coverageTileProps() (grid func(geo.GridCode) (float64, bool), uncovered func(geo.BuildingID) bool) {
	c, _, err := v.coverage(walk.Band15)
	if err != nil {
		return nil, nil
	}
	grid = func(code geo.GridCode) (float64, bool) {
		t, ok := c.GridTally(code)
		return t.Share(), ok && t.Households > 0
	}
	uncovered = func(id geo.BuildingID) bool {
		bc, err := c.BuildingByID(id)
		return err == nil && !bc.Covered
	}
	return grid, uncovered
}

// warmWalk builds the network and the default coverage ahead of the first
// request. Errors are left for the requests to report.
func (v *view) warmWalk() {
	_, _, _ = v.coverage(walk.Band15)
}

// registerWalk registers the service-circle routes and the warmer of
// their network.
func (s *Server) registerWalk() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/v1/stations", s.handleStations},
		{http.MethodGet, "/v1/stations/:id", s.handleStation},
		{http.MethodGet, "/v1/stations/:id/circle", s.handleStationCircle},
		{http.MethodPost, "/v1/circles", s.handleCirclePost},
		{http.MethodGet, "/v1/coverage", s.handleCoverage},
		{http.MethodGet, "/v1/coverage/gaps", s.handleGaps},
		{http.MethodPost, "/v1/coverage/suggest", s.handleSuggest},
		{http.MethodGet, "/v1/nearest-station", s.handleNearestStation},
		{http.MethodGet, "/v1/buildings/:id/station", s.handleBuildingStation},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	s.quickWarmers = append(s.quickWarmers, (*view).warmWalk)
	return nil
}

// walkReady returns the current view, inside the request's read scopes,
// and its walking network.
func (s *Server) walkReady(c *fiber.Ctx) (*view, *walk.Network, error) {
	v, err := s.readView(c)
	if err != nil {
		return nil, nil, err
	}
	net, err := v.network()
	if err != nil {
		return nil, nil, err
	}
	return v, net, nil
}

// parseMinutesArg parses a walking time in minutes from a query parameter
// (defaultMinutes when empty) and converts it to meters at the network's
// speed. Minutes outside 1-60 are a 400 naming field.
func parseMinutesArg(net *walk.Network, field string, raw []byte) (minutes, meters float64, err error) {
	minutes = defaultMinutes
	if len(raw) > 0 {
		x, perr := strconv.ParseFloat(string(raw), 64)
		if perr != nil && !isRangeErr(perr) {
			return 0, 0, fieldErr(http.StatusBadRequest, field, "%s is not a number of minutes", quoteClip(raw))
		}
		minutes = x
	}
	meters, err = minutesToMeters(net, field, minutes)
	return minutes, meters, err
}

// minutesToMeters converts minutes with the network's speed, naming field
// when they are out of range.
func minutesToMeters(net *walk.Network, field string, minutes float64) (float64, error) {
	m, err := net.MinutesToMeters(minutes)
	if err != nil || math.IsNaN(minutes) {
		return 0, fieldErr(http.StatusBadRequest, field, "%s is outside %g-%g minutes",
			strconv.FormatFloat(minutes, 'g', -1, 64), walk.MinLimitMinutes, walk.MaxLimitMinutes)
	}
	return m, nil
}

// walkMinutes returns how long a walk of meters takes at the network's
// speed, in minutes.
func walkMinutes(net *walk.Network, meters float64) float64 {
	return meters / (net.Options().SpeedKMH * 1000 / 60)
}

// walkFieldErr turns an error of the walking engine into a FieldError
// naming field, with the status problemOf gives the engine's sentinel.
// Errors that are no fault of the input (an unbuilt network) pass through.
func walkFieldErr(field string, err error) error {
	st := walkStatus(err)
	if st == 0 || st >= 500 {
		return err
	}
	return &FieldError{Field: field, Reason: err.Error(), Status: st}
}

// appendFixed appends x with the given number of decimals, or null when x
// is not finite.
func appendFixed(b []byte, x float64, decimals int) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, x, 'f', decimals, 64)
}

// appendInt appends a decimal integer.
func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

// appendTally appends a tally as a JSON object with the covered share of
// households.
func appendTally(b []byte, t walk.Tally) []byte {
	return appendTallyMembers(append(b, '{'), t)
}

// appendTallyMembers appends a tally's members and closes the object.
func appendTallyMembers(b []byte, t walk.Tally) []byte {
	b = append(b, `"households":`...)
	b = appendInt(b, t.Households)
	b = append(b, `,"households_covered":`...)
	b = appendInt(b, t.HouseholdsCovered)
	b = append(b, `,"households_uncovered":`...)
	b = appendInt(b, t.HouseholdsUncovered())
	b = append(b, `,"buildings":`...)
	b = appendInt(b, t.Buildings)
	b = append(b, `,"buildings_covered":`...)
	b = appendInt(b, t.BuildingsCovered)
	b = append(b, `,"buildings_uncovered":`...)
	b = appendInt(b, t.BuildingsUncovered())
	b = append(b, `,"share":`...)
	b = appendFixed(b, t.Share(), 4)
	return append(b, '}')
}

// decodeJSONBody reads a JSON request body (Content-Type application/json,
// at most limit bytes) into dst. Unknown members are refused so that a
// misspelt one is not silently ignored; a malformed body is a 400 naming
// "body", a member of the wrong type a 400 naming the member.
func decodeJSONBody(c *fiber.Ctx, limit int, dst any) error {
	if mediaType(c.Request().Header.ContentType()) != "application/json" {
		return &FieldError{Field: "Content-Type", Status: http.StatusUnsupportedMediaType,
			Reason: "must be application/json"}
	}
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := readBody(c, buf, limit); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(buf.B))
	d.DisallowUnknownFields()
	err := d.Decode(dst)
	if err == nil && d.More() {
		err = errors.New("unexpected data after the JSON value")
	}
	if err != nil {
		return jsonBodyErr(err)
	}
	return nil
}

// jsonBodyErr turns an encoding/json error into a FieldError.
func jsonBodyErr(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return fieldErr(http.StatusBadRequest, te.Field, "must be %s, not a JSON %s", jsonKind(te.Type), te.Value)
	case errors.As(err, &se):
		return fieldErr(http.StatusBadRequest, "body", "malformed JSON at byte %d: %v", se.Offset, se)
	case strings.HasPrefix(err.Error(), `json: unknown field "`):
		name := strings.TrimSuffix(strings.TrimPrefix(err.Error(), `json: unknown field "`), `"`)
		return fieldErr(http.StatusBadRequest, name, "is not a known member")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fieldErr(http.StatusBadRequest, "body", "malformed JSON: unexpected end")
	}
	return fieldErr(http.StatusBadRequest, "body", "malformed JSON: %v", err)
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	}
	return "a number"
}
