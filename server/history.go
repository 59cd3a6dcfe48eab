package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/valyala/fasthttp"
)

// A changeSummary is a changeset as listed: who, why, when, what kind, and
// the grids it changed by id and code, without geometry.
type changeSummary struct {
	ID              string              `json:"id"`
	Version         uint64              `json:"version"`
	Base            uint64              `json:"base"`
	Author          string              `json:"author"`
	Reason          string              `json:"reason"`
	Time            time.Time           `json:"time"`
	Kind            string              `json:"kind"`
	Unit            string              `json:"unit"`
	Grids           []gridChangeSummary `json:"grids"`
	BuildingsMoved  int                 `json:"buildings_moved"`
	HouseholdsMoved int                 `json:"households_moved"`
	Href            string              `json:"href"`
}

// A gridChangeSummary is one changed grid: its id, what happened and its
// code before and after (empty on the side where it does not exist).
type gridChangeSummary struct {
	ID     geo.GridID      `json:"id"`
	Kind   edit.ChangeKind `json:"kind"`
	Before string          `json:"before,omitempty"`
	After  string          `json:"after,omitempty"`
}

// A changeDoc is a changeset as GET /v1/changes/{version} answers it:
// the summary's fields, the operation as sent, and every changed grid
// before and after as GeoJSON features with its staff. It is the
// server's own type, mapped from the store's record, so that the answer
// and the stored record can change apart.
type changeDoc struct {
	ID        string              `json:"id"`
	Version   uint64              `json:"version"`
	Base      uint64              `json:"base"`
	Author    string              `json:"author"`
	Reason    string              `json:"reason"`
	Time      time.Time           `json:"time"`
	Kind      string              `json:"kind"`
	Unit      geo.DivisionCode    `json:"unit,string"`
	Op        json.RawMessage     `json:"op,omitempty"`
	Changes   []gridChangeDoc     `json:"changes"`
	Moves     []edit.Move         `json:"moves,omitempty"`
	Crosswalk []edit.CrosswalkRow `json:"crosswalk,omitempty"`
}

// A gridChangeDoc is one changed grid before and after (GeoJSON
// features, absent where the grid does not exist) and its staff.
type gridChangeDoc struct {
	ID          geo.GridID      `json:"id"`
	Kind        edit.ChangeKind `json:"kind"`
	Before      json.RawMessage `json:"before,omitempty"`
	After       json.RawMessage `json:"after,omitempty"`
	StaffBefore []geo.Staff     `json:"staff_before,omitempty"`
	StaffAfter  []geo.Staff     `json:"staff_after,omitempty"`
}

// changeHref is the path of the changeset that made version, GET
// /v1/changes/{version}: a summary's href and a commit's Location.
func changeHref(version uint64) string {
	return "/v1/changes/" + strconv.FormatUint(version, 10)
}

// newChangeDoc maps a stored changeset to its answer.
func newChangeDoc(cs *store.Changeset) changeDoc {
	d := changeDoc{
		ID: cs.ID, Version: cs.Version, Base: cs.Base, Author: cs.Author, Reason: cs.Reason, Time: cs.Time,
		Kind: cs.Kind, Unit: cs.Unit, Op: cs.Op, Changes: make([]gridChangeDoc, len(cs.Changes)),
		Moves: cs.Moves, Crosswalk: cs.Crosswalk,
	}
	for i, gc := range cs.Changes {
		d.Changes[i] = gridChangeDoc{ID: gc.ID, Kind: gc.Kind, Before: gc.Before, After: gc.After,
			StaffBefore: gc.StaffBefore, StaffAfter: gc.StaffAfter}
	}
	return d
}

// summarize lists a changeset without its geometry.
func summarize(cs *store.Changeset) changeSummary {
	sum := changeSummary{
		ID: cs.ID, Version: cs.Version, Base: cs.Base, Author: cs.Author, Reason: cs.Reason, Time: cs.Time,
		Kind: cs.Kind, Unit: cs.Unit.String(), Grids: make([]gridChangeSummary, len(cs.Changes)),
		BuildingsMoved: len(cs.Moves), Href: changeHref(cs.Version),
	}
	for i, gc := range cs.Changes {
		sum.Grids[i] = gridChangeSummary{ID: gc.ID, Kind: gc.Kind, Before: featureCode(gc.Before), After: featureCode(gc.After)}
	}
	for _, m := range cs.Moves {
		sum.HouseholdsMoved += m.Households
	}
	return sum
}

// featureCode returns the code property of a stored grid feature, or "".
func featureCode(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var f struct {
		Properties struct {
			Code string `json:"code"`
		} `json:"properties"`
	}
	if json.Unmarshal(raw, &f) != nil {
		return ""
	}
	return f.Properties.Code
}

// handleChanges answers GET /v1/changes: the changesets, oldest first (or
// newest first with desc=true), filtered by unit, author, grid and time,
// a page of at most limit with a link to the next.
func (s *Server) handleChanges(c *fiber.Ctx) error {
	st, err := s.requireStore()
	if err != nil {
		return err
	}
	args := c.Context().QueryArgs()
	f, err := parseFilter(args)
	if err != nil {
		return err
	}
	css, err := st.Changes(c.UserContext(), f)
	if err != nil {
		return err
	}
	next := nextPage(c.Path(), args, f, css)
	return writeJSON(c, struct {
		Changes []changeSummary `json:"changes"`
		Next    string          `json:"next,omitempty"`
	}{summaries(s.scopeChanges(c, css)), next})
}

// summaries summarizes changesets.
func summaries(css []*store.Changeset) []changeSummary {
	out := make([]changeSummary, len(css))
	for i, cs := range css {
		out[i] = summarize(cs)
	}
	return out
}

// nextPage returns the link to the page after css, or "" when css is the
// last page.
func nextPage(path string, args *fasthttp.Args, f store.Filter, css []*store.Changeset) string {
	if len(css) == 0 || len(css) < f.PageSize() {
		return ""
	}
	var next fasthttp.Args
	args.CopyTo(&next)
	last := strconv.FormatUint(css[len(css)-1].Version, 10)
	if f.Desc {
		next.Set("before", last)
	} else {
		next.Set("after", last)
	}
	return path + "?" + next.String()
}

// parseFilter reads the filters of GET /v1/changes.
func parseFilter(args *fasthttp.Args) (store.Filter, error) {
	var f store.Filter
	var err error
	if u := args.Peek("unit"); len(u) > 0 {
		if f.Unit, err = geo.ParseDivisionCode(string(u)); err != nil {
			return f, fieldErr(http.StatusBadRequest, "unit", "%s is not a division code", quoteClip(u))
		}
	}
	if g := args.Peek("grid"); len(g) > 0 {
		if f.Code, err = geo.ParseGridCode(string(g)); err != nil {
			return f, fieldErr(http.StatusBadRequest, "grid", "%s is not a 15-digit grid code", quoteClip(g))
		}
	}
	f.Author = string(args.Peek("author"))
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if raw := args.Peek(p.name); len(raw) > 0 {
			if *p.t, err = parseTime(p.name, string(raw)); err != nil {
				return f, err
			}
		}
	}
	for _, p := range []struct {
		name string
		v    *uint64
	}{{"after", &f.After}, {"before", &f.Before}} {
		if raw := args.Peek(p.name); len(raw) > 0 {
			if *p.v, err = strconv.ParseUint(string(raw), 10, 64); err != nil {
				return f, fieldErr(http.StatusBadRequest, p.name, "%s is not a version number", quoteClip(raw))
			}
		}
	}
	if raw := args.Peek("limit"); len(raw) > 0 {
		n, err := strconv.Atoi(string(raw))
		if err != nil || n < 1 || n > 1000 {
			return f, fieldErr(http.StatusBadRequest, "limit", "%s is not a number from 1 to 1000", quoteClip(raw))
		}
		f.Limit = n
	}
	if raw := args.Peek("desc"); len(raw) > 0 {
		d, err := strconv.ParseBool(string(raw))
		if err != nil {
			return f, fieldErr(http.StatusBadRequest, "desc", "%s is not true or false", quoteClip(raw))
		}
		f.Desc = d
	}
	return f, nil
}

// handleChange answers GET /v1/changes/{version}: the changeset that made
// the version, with its operation and every changed grid before and after
// as GeoJSON features.
func (s *Server) handleChange(c *fiber.Ctx) error {
	st, err := s.requireStore()
	if err != nil {
		return err
	}
	v, err := parseVersionParam(c.Params("version"))
	if err != nil {
		return err
	}
	cs, err := st.Changeset(c.UserContext(), v)
	if err != nil {
		return err
	}
	if err := s.changesetInScope(c, cs); err != nil {
		return err
	}
	return writeJSON(c, newChangeDoc(s.maskChangeset(c, cs)))
}

// parseVersionParam parses a changeset's version from the path.
func parseVersionParam(raw string) (uint64, error) {
	v, err := strconv.ParseUint(raw, 10, 64)
	if err != nil || v == 0 {
		return 0, fieldErr(http.StatusBadRequest, "version", "%s is not a changeset version (1 or more)", quoteClip([]byte(raw)))
	}
	return v, nil
}

// handleGridHistory answers GET /v1/grids/{code}/history: the codes the
// grid held and the changesets that changed it, followed by its stable id
// across re-codings. A retired code finds the grid that held it last.
func (s *Server) handleGridHistory(c *fiber.Ctx) error {
	st, err := s.requireStore()
	if err != nil {
		return err
	}
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	code, err := geo.ParseGridCode(c.Params("code"))
	if err != nil {
		return fieldErr(http.StatusBadRequest, "code", "%s is not a 15-digit grid code", quoteClip([]byte(c.Params("code"))))
	}
	if !s.inReadScope(c, code.Community()) {
		return fieldErr(http.StatusNotFound, "code", "no grid ever held code %s", code)
	}
	state, err := st.Load(c.UserContext())
	if err != nil {
		return err
	}
	id, ok := geo.GridID(0), false
	if g, found := v.snap.Grid(code); found {
		id, ok = g.ID, true
	} else {
		id, ok = state.History.Holder(code)
	}
	if !ok {
		return fieldErr(http.StatusNotFound, "code", "no grid ever held code %s", code)
	}
	f, err := parseFilter(c.Context().QueryArgs())
	if err != nil {
		return err
	}
	f.Grid, f.Code = id, 0
	css, err := st.Changes(c.UserContext(), f)
	if err != nil {
		return err
	}
	next := nextPage(c.Path(), c.Context().QueryArgs(), f, css)
	return writeJSON(c, gridHistory(v, state.History, id, s.scopeChanges(c, css), next))
}

// gridHistoryDoc is the document of GET /v1/grids/{code}/history.
type gridHistoryDoc struct {
	Grid struct {
		ID      geo.GridID `json:"id"`
		Code    string     `json:"code,omitempty"`
		Name    string     `json:"name,omitempty"`
		Current bool       `json:"current"`
	} `json:"grid"`
	// Codes are the codes the grid held, oldest first.
	Codes   []edit.CodeSpan `json:"codes"`
	Changes []changeSummary `json:"changes"`
	Next    string          `json:"next,omitempty"`
}

// gridHistory assembles the history of grid id.
func gridHistory(v *view, hist *edit.CodeHistory, id geo.GridID, css []*store.Changeset, next string) gridHistoryDoc {
	var d gridHistoryDoc
	d.Grid.ID = id
	if g, ok := v.snap.GridByID(id); ok {
		d.Grid.Code, d.Grid.Name, d.Grid.Current = g.Code.String(), g.Name, true
	}
	d.Codes = []edit.CodeSpan{}
	for _, sp := range hist.All() {
		if sp.Grid == id {
			d.Codes = append(d.Codes, sp)
		}
	}
	slices.SortStableFunc(d.Codes, func(a, b edit.CodeSpan) int { return a.From.Compare(b.From) })
	d.Changes, d.Next = summaries(css), next
	return d
}

// handleRevert answers POST /v1/changes/{version}/revert: a new changeset
// that gives the grids the changeset changed their geometry, code and id
// from before it (store.RevertOp), validated like any edit.
func (s *Server) handleRevert(c *fiber.Ctx) error {
	st, err := s.requireStore()
	if err != nil {
		return err
	}
	tok, err := s.authorize(c, access.RolePlanner)
	if err != nil {
		return err
	}
	ver, err := parseVersionParam(c.Params("version"))
	if err != nil {
		return err
	}
	base, _, err := parseIfMatch(c, true)
	if err != nil {
		return err
	}
	reason, err := readReason(c, false)
	if err != nil {
		return err
	}
	target, err := st.Changeset(c.UserContext(), ver)
	if err != nil {
		return err
	}
	if err := checkScope(tok, target.Unit); err != nil {
		return err
	}
	var res *edit.Result
	cs, err := s.commit(c.UserContext(), base, func(ctx context.Context, v *view, hist *edit.CodeHistory) (*store.Changeset, *geo.City, error) {
		op, err := store.RevertOp(v.snap, target)
		if err != nil {
			return nil, nil, err
		}
		if reason != "" {
			op.Reason = op.Reason + ": " + reason
		}
		if res, err = s.planEdit(ctx, tok, v, hist, op); err != nil {
			return nil, nil, err
		}
		cs, err := store.NewChangeset(v.snap.Version, tok.Name, op.Reason, op, res)
		return cs, res.Next, err
	})
	if err != nil {
		return err
	}
	return writeCommitted(c, cs, res.Warnings)
}
