package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
)

// tokenJSON is a token as the token routes write it; the secret appears
// only once, in the answer that creates it.
type tokenJSON struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Role    access.Role `json:"role"`
	Scopes  []string    `json:"scopes"`
	Created time.Time   `json:"created"`
	Revoked time.Time   `json:"revoked,omitzero"`
	Secret  string      `json:"token,omitempty"`
}

// toTokenJSON converts a token, with its scopes in their short form.
func toTokenJSON(t access.Token) tokenJSON {
	out := tokenJSON{ID: t.ID, Name: t.Name, Role: t.Role, Scopes: []string{}, Created: t.Created, Revoked: t.Revoked}
	for _, sc := range t.Scopes {
		out.Scopes = append(out.Scopes, sc.Short())
	}
	return out
}

// tokenRegistry returns the token registry after checking that the
// request carries an admin's token.
func (s *Server) tokenRegistry(c *fiber.Ctx) (TokenStore, error) {
	if s.tokens == nil {
		return nil, ErrNoTokens
	}
	if _, err := s.authorize(c, access.RoleAdmin); err != nil {
		return nil, err
	}
	return s.tokens, nil
}

// handleTokens answers GET /v1/tokens (admins): every token, revoked ones
// included, without secrets.
func (s *Server) handleTokens(c *fiber.Ctx) error {
	reg, err := s.tokenRegistry(c)
	if err != nil {
		return err
	}
	ts, err := reg.Tokens(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]tokenJSON, len(ts))
	for i, t := range ts {
		out[i] = toTokenJSON(t)
	}
	return writeJSON(c, struct {
		Tokens []tokenJSON `json:"tokens"`
	}{out})
}

// handleCreateToken answers POST /v1/tokens (admins) with a new token
// {"name":..,"role":..,"scopes":[..]}: 201 with its secret, shown once.
func (s *Server) handleCreateToken(c *fiber.Ctx) error {
	reg, err := s.tokenRegistry(c)
	if err != nil {
		return err
	}
	var body struct {
		Name   string   `json:"name"`
		Role   string   `json:"role"`
		Scopes []string `json:"scopes"`
	}
	if !hasBody(c) {
		return &FieldError{Field: "body", Reason: "is empty: send {\"name\":..,\"role\":..,\"scopes\":[..]}"}
	}
	if err := readSmallJSON(c, &body); err != nil {
		return err
	}
	role, err := access.ParseRole(body.Role)
	if err != nil {
		return fieldErr(http.StatusBadRequest, "role", "%q: want viewer, planner or admin", body.Role)
	}
	spec := access.TokenSpec{Name: body.Name, Role: role}
	for i, raw := range body.Scopes {
		sc, err := geo.ParseDivisionCode(raw)
		if err != nil {
			return fieldErr(http.StatusBadRequest, "scopes["+strconv.Itoa(i)+"]", "%s is not a division code", quoteClip([]byte(raw)))
		}
		spec.Scopes = append(spec.Scopes, sc)
	}
	t, secret, err := reg.CreateToken(c.UserContext(), spec)
	if err != nil {
		return err
	}
	out := toTokenJSON(t)
	out.Secret = secret
	c.Status(http.StatusCreated)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return writeJSON(c, out)
}

// handleRevokeToken answers DELETE /v1/tokens/{id} (admins): the token
// with that id, or the active one with that name, is revoked at once.
func (s *Server) handleRevokeToken(c *fiber.Ctx) error {
	reg, err := s.tokenRegistry(c)
	if err != nil {
		return err
	}
	t, err := reg.RevokeToken(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	s.tokenCache.forget()
	return writeJSON(c, toTokenJSON(t))
}

// handleWhoAmI answers GET /v1/token: the caller's own token (name, role,
// scopes, never the secret), so that a page knows before any edit which
// grids the token may change. Any valid token may ask; none is a 401.
func (s *Server) handleWhoAmI(c *fiber.Ctx) error {
	t, err := s.authenticate(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return writeJSON(c, toTokenJSON(t))
}
