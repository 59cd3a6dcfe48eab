package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
)

// Errors of the token registry.
var (
	// ErrTokenUnknown is returned by VerifyToken for a secret that names
	// no token.
	ErrTokenUnknown = errors.New("access: unknown token")
	// ErrTokenRevoked is returned by VerifyToken for a revoked token.
	ErrTokenRevoked = errors.New("access: token revoked")
	// ErrTokenSpec is returned (wrapped) by CreateToken for a bad name,
	// role or scope.
	ErrTokenSpec = errors.New("access: bad token request")
	// ErrTokenExists is returned (wrapped) by CreateToken when an active
	// token already has the name.
	ErrTokenExists = errors.New("access: a token with this name exists")
)

// TokenPrefix starts every token secret, so that a leaked one is easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "gm_"

// maxTokenNameRunes caps a token's name.
const maxTokenNameRunes = 100

// maxSecretBytes caps a presented secret; longer ones are not looked up.
const maxSecretBytes = 200

// A Registry keeps tokens: a store that persists the records Issue makes.
// Every store of gridmap is one.
type Registry interface {
	// VerifyToken returns the token whose secret this is: an error
	// matching ErrTokenUnknown or ErrTokenRevoked when it is not valid.
	VerifyToken(ctx context.Context, secret string) (Token, error)
	// CreateToken issues a token and returns it with its secret, which is
	// shown once.
	CreateToken(ctx context.Context, spec TokenSpec) (Token, string, error)
	// Tokens lists every token, revoked ones included, oldest first.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken revokes the token with this id, or else the active
	// token with this name, and returns its record.
	RevokeToken(ctx context.Context, ref string) (Token, error)
}

// A Role is what a token may do.
type Role string

// The roles, from least to most powerful.
const (
	// RoleViewer may read when reading needs a token.
	RoleViewer Role = "viewer"
	// RolePlanner may also edit the grids inside its scopes.
	RolePlanner Role = "planner"
	// RoleAdmin may edit everywhere and manage tokens.
	RoleAdmin Role = "admin"
)

// rank orders the roles; 0 is no role.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RolePlanner:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// ParseRole parses viewer, planner or admin.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.rank() > 0 {
		return r, nil
	}
	return "", fmt.Errorf("%w: role %q: want viewer, planner or admin", ErrTokenSpec, Clip(s))
}

// Allows reports whether a token of role r may do what role need may.
func (r Role) Allows(need Role) bool { return r.rank() > 0 && r.rank() >= need.rank() }

// A Token is an access token's record. The secret is never stored: only
// its SHA-256 hash, by which a store finds the record.
type Token struct {
	// ID identifies the token in lists and for revocation.
	ID string `json:"id"`
	// Name is who holds it; changesets record it as their author.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Scopes are the division codes a planner may edit inside, or a
	// viewer may read inside when reading needs a token (none: the whole
	// city); empty for admins.
	Scopes  []geo.DivisionCode `json:"scopes,omitempty"`
	Created time.Time          `json:"created"`
	// Revoked is when the token was revoked; zero while it is valid.
	Revoked time.Time `json:"revoked,omitzero"`
}

// Active reports whether the token has not been revoked.
func (t Token) Active() bool { return t.Revoked.IsZero() }

// InScope reports whether the token may edit community c: an admin
// anywhere, a planner inside one of its scopes, a viewer nowhere.
func (t Token) InScope(c geo.DivisionCode) bool {
	switch t.Role {
	case RoleAdmin:
		return true
	case RolePlanner:
		return t.scopesContain(c)
	}
	return false
}

// scopesContain reports whether one of the token's scopes contains c.
func (t Token) scopesContain(c geo.DivisionCode) bool {
	return slices.ContainsFunc(t.Scopes, func(s geo.DivisionCode) bool { return s.Contains(c) })
}

// Covers reports whether community c lies inside the token's own
// divisions: always for an admin, for a planner or a scoped viewer when
// one of its scopes contains c. It decides who sees the people of a grid
// (its staff's names and phones).
func (t Token) Covers(c geo.DivisionCode) bool {
	if t.Role == RoleViewer {
		return t.scopesContain(c)
	}
	return t.InScope(c)
}

// ReadScopes returns the divisions the token may read inside when
// reading needs a token, or nil when it reads the whole city: only a
// viewer's token with scopes is limited (planners and admins read all).
func (t Token) ReadScopes() []geo.DivisionCode {
	if t.Role != RoleViewer || len(t.Scopes) == 0 {
		return nil
	}
	return t.Scopes
}

// A TokenSpec asks for a new token.
type TokenSpec struct {
	Name   string
	Role   Role
	Scopes []geo.DivisionCode
}

// A Hash is the SHA-256 hash of a secret, the only form a store keeps.
type Hash = [sha256.Size]byte

// Issue checks spec against city (see CheckSpec) and makes a new token
// created at now: its record, its secret (TokenPrefix and 32 random bytes
// in unpadded base64url), shown this once, and the secret's hash, which
// the store keeps in its place.
func Issue(spec TokenSpec, city *geo.City, now time.Time) (Token, string, Hash, error) {
	if err := CheckSpec(spec, city); err != nil {
		return Token{}, "", Hash{}, err
	}
	var r [32 + 6]byte
	if _, err := rand.Read(r[:]); err != nil {
		return Token{}, "", Hash{}, fmt.Errorf("creating token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(r[:32])
	tok := Token{
		ID: hex.EncodeToString(r[32:]), Name: spec.Name, Role: spec.Role,
		Scopes: slices.Clone(spec.Scopes), Created: now.UTC(),
	}
	return tok, secret, sha256.Sum256([]byte(secret)), nil
}

// CheckSpec validates a token request against the city: a name of 1 to
// 100 characters of text, a known role, for a planner at least one scope,
// for a viewer any number (its read scopes), for an admin none; each
// scope the city or one of its units. Faults match ErrTokenSpec.
func CheckSpec(spec TokenSpec, city *geo.City) error {
	name := spec.Name
	switch {
	case strings.TrimSpace(name) == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxTokenNameRunes:
		return fmt.Errorf("%w: name must be 1 to %d characters of text", ErrTokenSpec, maxTokenNameRunes)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%w: name holds a control character", ErrTokenSpec)
	}
	if _, err := ParseRole(string(spec.Role)); err != nil {
		return err
	}
	switch {
	case spec.Role == RoleAdmin && len(spec.Scopes) > 0:
		return fmt.Errorf("%w: an admin's token has no scopes: it covers the whole city", ErrTokenSpec)
	case spec.Role == RolePlanner && len(spec.Scopes) == 0:
		return fmt.Errorf("%w: a planner's token needs at least one scope (a division code)", ErrTokenSpec)
	}
	for _, sc := range spec.Scopes {
		if !hasUnit(city, sc) {
			return fmt.Errorf("%w: scope %s is no unit of the city", ErrTokenSpec, sc.Short())
		}
	}
	return nil
}

// hasUnit reports whether c is the city's own code or one of its units.
func hasUnit(city *geo.City, c geo.DivisionCode) bool {
	if city == nil {
		return false
	}
	if c == city.Code {
		return true
	}
	return slices.ContainsFunc(city.Units, func(u *geo.Unit) bool { return u.Code == c })
}

// Lookup returns the hash a store finds a presented secret's record by,
// and false for a secret that cannot be a token's (no TokenPrefix, or too
// long), which is then unknown without a look.
func Lookup(secret string) (Hash, bool) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > maxSecretBytes {
		return Hash{}, false
	}
	return sha256.Sum256([]byte(secret)), true
}

// Check decides on the record a store found by sum: the record's stored
// hash is compared with sum in constant time (ErrTokenUnknown when they
// differ), and a revoked token gives ErrTokenRevoked with its record.
func Check(stored []byte, sum Hash, tok Token) (Token, error) {
	if subtle.ConstantTimeCompare(stored, sum[:]) != 1 {
		return Token{}, ErrTokenUnknown
	}
	if !tok.Active() {
		return tok, ErrTokenRevoked
	}
	return tok, nil
}

// Clip shortens s (a name or reference a client sent) for an error
// message.
func Clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "..."
	}
	return s
}
