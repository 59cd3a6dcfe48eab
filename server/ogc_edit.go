package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/valyala/bytebufferpool"
)

// OGC API - Features Part 4 on the grids collection. Each request becomes
// an edit operation decoded by edit.ParseOp and committed by commitOp,
// exactly as POST /v1/edits does: the same token, scope, If-Match, reason
// and validation rules, and the same problem documents.
//
//	POST   items              create  (properties.community; optional code, name)
//	PUT    items/{id}         replace (the geometry; code, community and name must not change)
//	PATCH  items/{id}         replace (when the patch holds a geometry)
//	DELETE items/{id}?into=   retire  (into: the neighbouring grids that take its area)
//
// The reason comes from properties.reason or the reason query parameter.

// ogcFeatureBody is a GeoJSON Feature (or a merge patch of one) sent to
// Part 4.
type ogcFeatureBody struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// ogcReadOnly are the grid properties a client may send back unchanged:
// the server computes them.
var ogcReadOnly = []string{"id", "households", "buildings"}

// handleOGCCreate answers POST /ogc/collections/grids/items: a new grid.
func (s *Server) handleOGCCreate(c *fiber.Ctx) error {
	tok, base, err := s.ogcEditStart(c)
	if err != nil {
		return err
	}
	f, err := s.readOGCFeature(c, true)
	if err != nil {
		return err
	}
	fields := map[string]json.RawMessage{"op": jsonString(string(edit.KindCreate)), "geometry": f.Geometry}
	for _, k := range []string{"community", "code", "name", "reason"} {
		if raw, ok := f.Properties[k]; ok {
			fields[k] = raw
		}
	}
	if err := f.onlyProps("community", "code", "name", "reason"); err != nil {
		return err
	}
	return s.ogcCommit(c, tok, base, fields)
}

// handleOGCReplace answers PUT /ogc/collections/grids/items/{featureId}:
// the grid's new geometry.
func (s *Server) handleOGCReplace(c *fiber.Ctx) error {
	return s.ogcReshape(c, true)
}

// handleOGCUpdate answers PATCH /ogc/collections/grids/items/{featureId}.
func (s *Server) handleOGCUpdate(c *fiber.Ctx) error {
	return s.ogcReshape(c, false)
}

// ogcReshape replaces a grid's geometry (PUT, or PATCH with a geometry).
func (s *Server) ogcReshape(c *fiber.Ctx, put bool) error {
	tok, base, err := s.ogcEditStart(c)
	if err != nil {
		return err
	}
	g, err := s.ogcGrid(c)
	if err != nil {
		return err
	}
	f, err := s.readOGCFeature(c, put)
	if err != nil {
		return err
	}
	if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
		return &FieldError{Field: "geometry", Reason: "is required: only a grid's geometry changes here (other changes: POST /v1/edits)"}
	}
	if err := f.onlyProps("code", "community", "name", "reason"); err != nil {
		return err
	}
	if err := f.unchanged(g); err != nil {
		return err
	}
	fields := map[string]json.RawMessage{"op": jsonString(string(edit.KindReplace)),
		"grid": jsonString(g.Code.String()), "geometry": f.Geometry}
	if raw, ok := f.Properties["reason"]; ok {
		fields["reason"] = raw
	}
	return s.ogcCommit(c, tok, base, fields)
}

// handleOGCDelete answers DELETE /ogc/collections/grids/items/{featureId}:
// the grid is retired into the neighbours named by into.
func (s *Server) handleOGCDelete(c *fiber.Ctx) error {
	tok, base, err := s.ogcEditStart(c)
	if err != nil {
		return err
	}
	g, err := s.ogcGrid(c)
	if err != nil {
		return err
	}
	fields := map[string]json.RawMessage{"op": jsonString(string(edit.KindRetire)), "grid": jsonString(g.Code.String())}
	if reason := c.Query("reason"); reason != "" {
		fields["reason"] = jsonString(reason)
	}
	if into := c.Query("into"); into != "" {
		var codes []string
		for _, s := range strings.Split(into, ",") {
			codes = append(codes, strings.TrimSpace(s))
		}
		raw, _ := json.Marshal(codes)
		fields["into"] = raw
	}
	return s.ogcCommit(c, tok, base, fields)
}

// ogcEditStart checks what every Part 4 request needs before its body is
// read: the grids collection, a store, a planner's token and If-Match.
func (s *Server) ogcEditStart(c *fiber.Ctx) (access.Token, uint64, error) {
	if id := c.Params("collectionId"); id != "grids" {
		if _, err := ogcCollectionByID(id); err != nil {
			return access.Token{}, 0, err
		}
		c.Set(fiber.HeaderAllow, "GET, HEAD")
		return access.Token{}, 0, fieldErr(http.StatusMethodNotAllowed, "collectionId", "collection %s is read-only: only grids can be edited", id)
	}
	if err := checkOGCParams(c, nil, "reason", "into"); err != nil {
		return access.Token{}, 0, err
	}
	if _, err := s.requireStore(); err != nil {
		return access.Token{}, 0, err
	}
	tok, err := s.authorize(c, access.RolePlanner)
	if err != nil {
		return tok, 0, err
	}
	base, _, err := parseIfMatch(c, true)
	return tok, base, err
}

// ogcGrid returns the grid the featureId names in the current view.
func (s *Server) ogcGrid(c *fiber.Ctx) (*geo.Grid, error) {
	v, err := s.ogcView(c)
	if err != nil {
		return nil, err
	}
	raw := c.Params("featureId")
	id, err := strconv.ParseUint(raw, 10, 32)
	if err == nil {
		if g, ok := v.snap.GridByID(geo.GridID(id)); ok {
			return g, nil
		}
	}
	return nil, fieldErr(http.StatusNotFound, "featureId", "no grid has id %s", quoteClip([]byte(raw)))
}

// readOGCFeature reads the request's GeoJSON Feature; a PUT or POST body
// must say "type":"Feature", a PATCH may omit it.
func (s *Server) readOGCFeature(c *fiber.Ctx, whole bool) (*ogcFeatureBody, error) {
	if ct := c.Request().Header.ContentType(); len(ct) > 0 {
		if mt := mediaType(ct); mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			return nil, &FieldError{Field: "Content-Type", Status: http.StatusUnsupportedMediaType,
				Reason: "must be application/geo+json or application/json"}
		}
	}
	buf := &bytebufferpool.ByteBuffer{}
	if err := readBody(c, buf, min(s.cfg.BodyLimit, edit.MaxOpBytes)); err != nil {
		return nil, err
	}
	var f ogcFeatureBody
	d := json.NewDecoder(bytes.NewReader(buf.B))
	if err := d.Decode(&f); err != nil {
		return nil, fieldErr(http.StatusBadRequest, "body", "not a GeoJSON Feature: %v", err)
	}
	if d.More() {
		return nil, fieldErr(http.StatusBadRequest, "body", "holds more than one JSON value")
	}
	if f.Type != "Feature" && (whole || f.Type != "") {
		return nil, fieldErr(http.StatusBadRequest, "type", "must be \"Feature\"")
	}
	if reason := c.Query("reason"); reason != "" {
		if f.Properties == nil {
			f.Properties = map[string]json.RawMessage{}
		}
		if _, ok := f.Properties["reason"]; !ok {
			f.Properties["reason"] = jsonString(reason)
		}
	}
	return &f, nil
}

// onlyProps refuses properties other than allowed and the read-only ones.
func (f *ogcFeatureBody) onlyProps(allowed ...string) error {
	for k := range f.Properties {
		if !contains(allowed, k) && !contains(ogcReadOnly, k) {
			return fieldErr(http.StatusBadRequest, "properties."+k, "cannot be set on a grid here")
		}
	}
	return nil
}

// unchanged refuses a replacement that would change the grid's code,
// community or name: only its geometry changes through Part 4.
func (f *ogcFeatureBody) unchanged(g *geo.Grid) error {
	for k, cur := range map[string]string{"code": g.Code.String(), "community": g.Community().String(), "name": g.Name} {
		raw, ok := f.Properties[k]
		if !ok {
			continue
		}
		var got string
		if json.Unmarshal(raw, &got) != nil || got != cur {
			return fieldErr(http.StatusBadRequest, "properties."+k,
				"cannot change here (it is %q); re-code, rename or move grids with POST /v1/edits", cur)
		}
	}
	return nil
}

// ogcCommit decodes the edit operation made of fields exactly as POST
// /v1/edits decodes its body, commits it, and answers 201 (create) or 200
// with the changeset, the new version as ETag and the grid's location.
func (s *Server) ogcCommit(c *fiber.Ctx, tok access.Token, base uint64, fields map[string]json.RawMessage) error {
	data, err := json.Marshal(fields)
	if err != nil {
		return fieldErr(http.StatusBadRequest, "body", "not valid JSON: %v", err)
	}
	op, err := edit.ParseOp(data)
	if err != nil {
		return err
	}
	cs, res, err := s.commitOp(c.UserContext(), tok, base, op)
	if err != nil {
		return err
	}
	if err := writeCommitted(c, cs, res.Warnings); err != nil {
		return err
	}
	// The ETag a GET of the new version answers, when it is served.
	if v := s.view.Load(); v != nil && v.snap.Version == cs.Version {
		c.Response().Header.SetCanonical(headerETag, v.etag)
	} else {
		c.Set(fiber.HeaderETag, `"`+strconv.FormatUint(cs.Version, 10)+`"`)
	}
	c.Set(fiber.HeaderLocation, changeHref(cs.Version))
	if op.Kind != edit.KindCreate {
		c.Status(http.StatusOK)
		return nil
	}
	for _, ch := range res.Changes {
		if ch.Before == nil && ch.After != nil {
			c.Set(fiber.HeaderLocation, ogcBase(c)+"/ogc/collections/grids/items/"+strconv.FormatUint(uint64(ch.After.ID), 10))
		}
	}
	return nil
}

// jsonString returns s as a JSON string.
func jsonString(s string) json.RawMessage { return wire.AppendString(nil, s) }
