package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
)

// A TokenStore verifies bearer tokens and manages them: every store is
// one (access.Registry), and it reads its registry on every verification,
// so a revocation takes effect at once.
type TokenStore = access.Registry

// An AuthError refuses a request for its credentials: 401 when it has no
// valid bearer token, 403 when its token may not do what it asks.
type AuthError struct {
	// Status is 401 or 403.
	Status int
	// Reason says why, for people.
	Reason string
	// InvalidToken is set when a token was sent but is unknown or revoked.
	InvalidToken bool
}

// Error returns the reason.
func (e *AuthError) Error() string { return e.Reason }

// Problem types of access control.
const (
	problemUnauthorized = "urn:gridmap:problem:unauthorized"
	problemForbidden    = "urn:gridmap:problem:forbidden"
)

// localToken is the Fiber local under which a verified token is kept for
// the rest of the request.
const localToken = "gridmap.token"

// tokenGuarded reports whether the route template serves data that
// Config.ReadRequiresToken protects: the API under /v1, /ogc and the tiles.
// Health, metrics, the OpenAPI document and the web page stay open, so
// a browser can load the map and then send its token.
func tokenGuarded(path string) bool {
	return strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/tiles") || strings.HasPrefix(path, "/ogc")
}

// authenticate returns the request's verified bearer token. The result is
// kept for the request, so the registry is read once.
func (s *Server) authenticate(c *fiber.Ctx) (access.Token, error) {
	return s.verify(c, false)
}

// authenticateRead is authenticate for reads: a token verified within
// Config.TokenCacheTTL is trusted without asking the store, so that reads
// go on while the store is briefly unreachable. Writes always ask.
func (s *Server) authenticateRead(c *fiber.Ctx) (access.Token, error) {
	t, err := s.verify(c, true)
	if err == nil {
		// The read scopes of the handler's answer (readscope.go).
		c.Locals(localReadToken, t)
	}
	return t, err
}

// verify checks the request's bearer token, from the cache if cached.
func (s *Server) verify(c *fiber.Ctx, cached bool) (access.Token, error) {
	if t, ok := c.Locals(localToken).(access.Token); ok {
		return t, nil
	}
	if s.tokens == nil {
		return access.Token{}, fmt.Errorf("verifying a token: %w", ErrNoTokens)
	}
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return access.Token{}, &AuthError{Status: http.StatusUnauthorized, Reason: "a bearer token is required (Authorization: Bearer <token>)"}
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return access.Token{}, &AuthError{Status: http.StatusUnauthorized, InvalidToken: true,
			Reason: "the Authorization header must be \"Bearer <token>\""}
	}
	secret = strings.TrimSpace(secret)
	if t, ok := s.tokenCache.get(secret); ok && cached {
		// Not kept in Locals: a write in the same request verifies anew.
		return t, nil
	}
	t, err := s.tokens.VerifyToken(c.UserContext(), secret)
	switch {
	case errors.Is(err, access.ErrTokenRevoked):
		return access.Token{}, &AuthError{Status: http.StatusUnauthorized, InvalidToken: true, Reason: "the token has been revoked"}
	case errors.Is(err, access.ErrTokenUnknown):
		return access.Token{}, &AuthError{Status: http.StatusUnauthorized, InvalidToken: true, Reason: "the token is not valid"}
	case err != nil:
		// Any other failure is the store's, not the client's.
		return access.Token{}, errors.Join(errStoreUnavailable, err)
	}
	s.tokenCache.put(secret, t)
	c.Locals(localToken, t)
	return t, nil
}

// authorize returns the request's token when its role allows need.
func (s *Server) authorize(c *fiber.Ctx, need access.Role) (access.Token, error) {
	t, err := s.authenticate(c)
	if err != nil {
		return t, err
	}
	if !t.Role.Allows(need) {
		return t, &AuthError{Status: http.StatusForbidden,
			Reason: fmt.Sprintf("a %s's token may not do this: it needs a %s's", t.Role, need)}
	}
	return t, nil
}

// checkScope refuses a token that may not edit community c. A zero c (not
// known yet) passes.
func checkScope(t access.Token, c geo.DivisionCode) error {
	if c == 0 || t.InScope(c) {
		return nil
	}
	scopes := make([]string, len(t.Scopes))
	for i, sc := range t.Scopes {
		scopes[i] = sc.Short()
	}
	return &AuthError{Status: http.StatusForbidden,
		Reason: fmt.Sprintf("token %q may edit only inside %s, not community %s", t.Name, strings.Join(scopes, ", "), c)}
}

// authProblem is the problem document of an AuthError.
func authProblem(e *AuthError) problem {
	p := problem{typ: problemForbidden, title: titleOf(e.Status), status: e.Status, detail: e.Reason}
	if e.Status == http.StatusUnauthorized {
		p.typ = problemUnauthorized
		p.challenge = `Bearer realm="gridmap"`
		if e.InvalidToken {
			p.challenge += `, error="invalid_token"`
		}
	}
	return p
}
