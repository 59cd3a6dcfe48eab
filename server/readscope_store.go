package server

import (
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// The read routes that answer from the store rather than from a view
// filter by the request's read scopes here (see readscope.go).

// scopeChanges keeps the changesets of units inside the request's read
// scopes (all of them without scopes).
func (s *Server) scopeChanges(c *fiber.Ctx, css []*store.Changeset) []*store.Changeset {
	scopes := s.readScopes(c)
	if scopes == nil {
		return css
	}
	out := make([]*store.Changeset, 0, len(css))
	for _, cs := range css {
		if inScopes(scopes, cs.Unit) {
			out = append(out, cs)
		}
	}
	return out
}

// changesetInScope refuses a changeset outside the request's read scopes
// with the store's 404, so that a scoped token reads nothing of it.
func (s *Server) changesetInScope(c *fiber.Ctx, cs *store.Changeset) error {
	if s.inReadScope(c, cs.Unit) {
		return nil
	}
	return fmt.Errorf("reading version %d: %w: it changed no unit the token may read", cs.Version, store.ErrNotFound)
}

// scopeCrosswalk keeps the rows whose old and new codes both lie inside
// the request's read scopes.
func (s *Server) scopeCrosswalk(c *fiber.Ctx, rows []edit.CrosswalkRow) []edit.CrosswalkRow {
	scopes := s.readScopes(c)
	if scopes == nil {
		return rows
	}
	out := make([]edit.CrosswalkRow, 0, len(rows))
	for _, r := range rows {
		if inScopes(scopes, r.Old.Community()) && inScopes(scopes, r.New.Community()) {
			out = append(out, r)
		}
	}
	return out
}

// scopeRepairs keeps the features of a repairs FeatureCollection whose
// community lies inside the request's read scopes.
func (s *Server) scopeRepairs(c *fiber.Ctx, body []byte) ([]byte, error) {
	scopes := s.readScopes(c)
	if scopes == nil {
		return body, nil
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Community string `json:"community"`
			} `json:"properties"`
			Raw json.RawMessage `json:"-"`
		} `json:"features"`
	}
	var raw struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		return nil, fmt.Errorf("reading the import's repairs: %w", err)
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("reading the import's repairs: %w", err)
	}
	kept := []json.RawMessage{}
	for i, f := range fc.Features {
		if code, err := geo.ParseDivisionCode(f.Properties.Community); err == nil && inScopes(scopes, code) {
			kept = append(kept, raw.Features[i])
		}
	}
	return json.Marshal(struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}{"FeatureCollection", kept})
}
