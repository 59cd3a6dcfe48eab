package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/wire"
)

// Grid staff (网格长, 网格员) are people: their names and phones go only
// to requests whose token's scope covers the grid's community. Every
// other request, including open reads without a token, gets them masked
// (王**, 138****5678). Role and type are never masked.

// registerStaff registers the staff routes.
func (s *Server) registerStaff() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/v1/grids/:code/staff", s.handleGridStaff},
		{http.MethodPut, "/v1/grids/:code/staff", s.handlePutStaff},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	return nil
}

// A staffAccess says, for one request, which communities' staff it may
// see in full. The zero value sees none.
type staffAccess struct {
	tok access.Token
	ok  bool
}

// staffAccessOf returns the request's staff access: its verified bearer
// token, if it sent a valid one. A missing or invalid token sees staff
// masked; it is not refused here (routes that need a token refuse it
// before).
func (s *Server) staffAccessOf(c *fiber.Ctx) staffAccess {
	if s.tokens == nil || len(c.Request().Header.Peek(fiber.HeaderAuthorization)) == 0 {
		return staffAccess{}
	}
	t, err := s.authenticateRead(c)
	if err != nil {
		return staffAccess{}
	}
	return staffAccess{tok: t, ok: true}
}

// full reports whether the names and phones of community c's staff may
// be shown.
func (a staffAccess) full(c geo.DivisionCode) bool { return a.ok && staffInScope(a.tok, c) }

// staffInScope is the one rule of who sees staff in full: a token whose
// scope covers the community (an admin anywhere, a planner or a scoped
// viewer inside its scopes; access.Token.Covers).
func staffInScope(t access.Token, c geo.DivisionCode) bool { return t.Covers(c) }

// appendStaff appends a grid's staff as a JSON array, masked unless full:
// [{"name":..,"role":"head","type":"part_time","phone":..,"masked":false}].
func appendStaff(b []byte, list []geo.Staff, full bool) []byte {
	b = append(b, '[')
	for i := range list {
		m := &list[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		switch {
		case full:
			b = wire.AppendString(b, m.Name)
		case m.Name != "" && m.Name[0] >= 0x20 && m.Name[0] != '"' && m.Name[0] != '\\':
			b = append(geo.AppendMaskedName(append(b, '"'), m.Name), '"') // only the first character is kept
		default:
			b = wire.AppendString(b, geo.MaskName(m.Name))
		}
		b = append(b, `,"role":"`...)
		b = append(b, m.Role.String()...)
		b = append(b, '"')
		if m.Type != 0 {
			b = append(b, `,"type":"`...)
			b = append(b, m.Type.String()...)
			b = append(b, '"')
		}
		b = append(b, `,"phone":`...)
		switch {
		case !full:
			b = append(geo.AppendMaskedPhone(append(b, '"'), m.Phone), '"') // digits and stars only
		case plainPhone(m.Phone):
			b = append(append(append(b, '"'), m.Phone...), '"')
		default:
			b = wire.AppendString(b, m.Phone)
		}
		b = strconv.AppendBool(append(b, `,"masked":`...), !full)
		b = append(b, '}')
	}
	return append(b, ']')
}

// plainPhone reports whether a phone is digits and dashes only (as
// geo.NormalizePhone writes it), so it needs no JSON escaping.
func plainPhone(p string) bool {
	for i := 0; i < len(p); i++ {
		if (p[i] < '0' || p[i] > '9') && p[i] != '-' {
			return false
		}
	}
	return true
}

// appendMember appends `,"staff":[...]` for grid g, as a seen by a.
func (a staffAccess) appendMember(b []byte, g *geo.Grid) []byte {
	return appendStaff(append(b, `,"staff":`...), g.Staff, a.full(g.Community()))
}

// head returns grid g's head's name and phone as a sees them (masked
// unless a covers the grid), or "" and "" when it has none.
func (a staffAccess) head(g *geo.Grid) (name, phone string) {
	h, ok := g.Head()
	if !ok {
		return "", ""
	}
	if !a.full(g.Community()) {
		h = h.Masked()
	}
	return h.Name, h.Phone
}

// varyOnToken marks a response whose staff depend on the token, so that
// no cache serves one token's answer to another.
func varyOnToken(c *fiber.Ctx) { c.Response().Header.Add(fiber.HeaderVary, fiber.HeaderAuthorization) }

// handleGridStaff answers GET /v1/grids/{code}/staff: the grid's staff,
// masked unless the token's scope covers it.
func (s *Server) handleGridStaff(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	g, err := gridParam(c, v)
	if err != nil {
		return err
	}
	return s.writeStaff(c, v.snap.Version, g, http.StatusOK)
}

// writeStaff answers with grid g's staff at version ver.
func (s *Server) writeStaff(c *fiber.Ctx, ver uint64, g *geo.Grid, status int) error {
	full := s.staffAccessOf(c).full(g.Community())
	b := append(make([]byte, 0, 256), `{"grid":"`...)
	b = append(b, g.Code.String()...)
	b = append(b, `","version":`...)
	b = strconv.AppendUint(b, ver, 10)
	b = strconv.AppendBool(append(b, `,"masked":`...), !full)
	b = appendStaff(append(b, `,"staff":`...), g.Staff, full)
	b = append(b, '}')
	varyOnToken(c)
	c.Status(status)
	c.Set("Gridmap-Version", strconv.FormatUint(ver, 10))
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// gridParam returns the current grid the path's code names: 400 for a
// code that does not parse, 404 for no such grid.
func gridParam(c *fiber.Ctx, v *view) (*geo.Grid, error) {
	raw := c.Params("code")
	code, err := geo.ParseGridCode(raw)
	if err != nil {
		return nil, fieldErr(http.StatusBadRequest, "code", "%s is not a 15-digit grid code", quoteClip([]byte(raw)))
	}
	g, ok := v.snap.Grid(code)
	if !ok {
		return nil, fieldErr(http.StatusNotFound, "code", "no grid %s", code)
	}
	return g, nil
}

// handlePutStaff answers PUT /v1/grids/{code}/staff with a body
// {"staff":[{name, role, type, phone}, ...], "reason":"..."}: the grid's
// whole staff is replaced, as a staff edit committed on the version
// If-Match names by a planner whose scope covers the grid (201 with the
// new version). The same staff again changes nothing (200).
func (s *Server) handlePutStaff(c *fiber.Ctx) error {
	if _, err := s.requireStore(); err != nil {
		return err
	}
	tok, err := s.authorize(c, access.RolePlanner)
	if err != nil {
		return err
	}
	v := s.view.Load()
	if v == nil {
		return ErrNotReady
	}
	g, err := gridParam(c, v)
	if err != nil {
		return err
	}
	if err := checkScope(tok, g.Community()); err != nil {
		return err
	}
	base, _, err := parseIfMatch(c, true)
	if err != nil {
		return err
	}
	op, err := readStaffOp(c, g.Code)
	if err != nil {
		return err
	}
	if base == v.snap.Version && slices.Equal(g.Staff, op.Staff) {
		return s.writeStaff(c, v.snap.Version, g, http.StatusOK)
	}
	cs, _, err := s.commitOp(c.UserContext(), tok, base, op)
	if err != nil {
		return err
	}
	nv := s.view.Load()
	ng, ok := nv.snap.Grid(g.Code)
	if !ok || nv.snap.Version < cs.Version {
		return writeCommitted(c, cs, nil)
	}
	c.Set(fiber.HeaderLocation, changeHref(cs.Version))
	return s.writeStaff(c, nv.snap.Version, ng, http.StatusCreated)
}

// readStaffOp reads a PUT staff body into a staff op on grid code, decoded
// by edit.ParseOp so the op's rules and field names ("staff[1].phone")
// are the edit API's.
func readStaffOp(c *fiber.Ctx, code geo.GridCode) (edit.Op, error) {
	var body struct {
		Staff  json.RawMessage `json:"staff"`
		Reason json.RawMessage `json:"reason"`
	}
	if err := readSmallJSON(c, &body); err != nil {
		return edit.Op{}, err
	}
	if len(body.Staff) == 0 {
		return edit.Op{}, &FieldError{Field: "staff", Reason: "is required: the grid's whole staff, [] to clear it"}
	}
	doc := map[string]json.RawMessage{"op": json.RawMessage(`"staff"`), "grid": json.RawMessage(`"` + code.String() + `"`), "staff": body.Staff}
	if len(body.Reason) > 0 {
		doc["reason"] = body.Reason
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return edit.Op{}, fieldErr(http.StatusBadRequest, "body", "%v", err)
	}
	return edit.ParseOp(raw)
}

// maskChangeset returns cs with its staff masked unless the request's
// token covers cs's community; cs itself (shared with the store) is not
// modified.
func (s *Server) maskChangeset(c *fiber.Ctx, cs *store.Changeset) *store.Changeset {
	hasStaff := slices.ContainsFunc(cs.Changes, func(gc store.GridChange) bool {
		return len(gc.StaffBefore) > 0 || len(gc.StaffAfter) > 0
	})
	if !hasStaff {
		return cs
	}
	varyOnToken(c)
	if s.staffAccessOf(c).full(cs.Unit) {
		return cs
	}
	out := *cs
	out.Changes = slices.Clone(cs.Changes)
	mask := func(list []geo.Staff) []geo.Staff {
		m := make([]geo.Staff, len(list))
		for i, x := range list {
			m[i] = x.Masked()
		}
		return m
	}
	for i := range out.Changes {
		gc := &out.Changes[i]
		gc.StaffBefore, gc.StaffAfter = mask(gc.StaffBefore), mask(gc.StaffAfter)
	}
	if cs.Kind == string(edit.KindStaff) {
		out.Op = nil // the op repeats the names and phones
	}
	return &out
}
