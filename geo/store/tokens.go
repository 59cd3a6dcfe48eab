package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
	bolt "go.etcd.io/bbolt"
)

// Errors of the token registry.
var (
	// ErrTokenUnknown is returned by VerifyToken for a secret that names
	// no token.
	ErrTokenUnknown = errors.New("store: unknown token")
	// ErrTokenRevoked is returned by VerifyToken for a revoked token.
	ErrTokenRevoked = errors.New("store: token revoked")
	// ErrTokenSpec is returned (wrapped) by CreateToken for a bad name,
	// role or scope.
	ErrTokenSpec = errors.New("store: bad token request")
	// ErrTokenExists is returned (wrapped) by CreateToken when an active
	// token already has the name.
	ErrTokenExists = errors.New("store: a token with this name exists")
)

// TokenPrefix starts every token secret, so that a leaked one is easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "gm_"

// maxTokenNameRunes caps a token's name.
const maxTokenNameRunes = 100

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
	return "", fmt.Errorf("%w: role %q: want viewer, planner or admin", ErrTokenSpec, clip(s))
}

// Allows reports whether a token of role r may do what role need may.
func (r Role) Allows(need Role) bool { return r.rank() > 0 && r.rank() >= need.rank() }

// A Token is an access token's record. The secret is never stored: only
// its SHA-256 hash, which is the record's key.
type Token struct {
	// ID identifies the token in lists and for revocation.
	ID string `json:"id"`
	// Name is who holds it; changesets record it as their author.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Scopes are the division codes a planner may edit inside; empty for
	// viewers and admins.
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
		return slices.ContainsFunc(t.Scopes, func(s geo.DivisionCode) bool { return s.Contains(c) })
	}
	return false
}

// A TokenSpec asks for a new token.
type TokenSpec struct {
	Name   string
	Role   Role
	Scopes []geo.DivisionCode
}

// tokenRecord is the stored form of a token: the record and its hash.
type tokenRecord struct {
	Token
	Hash string `json:"hash"`
}

// CreateToken issues a token for spec and returns its record and its
// secret, which is shown this once and stored only as a hash. A planner
// needs at least one scope, each a unit of the current city; viewers and
// admins take none. An active token with the same name is refused with
// ErrTokenExists.
func (b *Bolt) CreateToken(ctx context.Context, spec TokenSpec) (Token, string, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, "", err
	}
	st, err := b.state()
	if err != nil {
		return Token{}, "", err
	}
	if err := checkTokenSpec(spec, st.City); err != nil {
		return Token{}, "", err
	}
	secret, sum, err := newSecret()
	if err != nil {
		return Token{}, "", err
	}
	id := make([]byte, 6)
	if _, err := rand.Read(id); err != nil {
		return Token{}, "", fmt.Errorf("creating token: %w", err)
	}
	rec := tokenRecord{Hash: hex.EncodeToString(sum[:]), Token: Token{
		ID: hex.EncodeToString(id), Name: spec.Name, Role: spec.Role,
		Scopes: slices.Clone(spec.Scopes), Created: b.opts.Now().UTC(),
	}}
	data, err := json.Marshal(rec)
	if err != nil {
		return Token{}, "", fmt.Errorf("creating token: %w", err)
	}
	err = b.tokenUpdate(func(bk *bolt.Bucket) error {
		exists := false
		err := eachToken(bk, func(_ []byte, r *tokenRecord) bool {
			exists = r.Active() && r.Name == spec.Name
			return !exists
		})
		switch {
		case err != nil:
			return err
		case exists:
			return fmt.Errorf("%w: revoke it first or choose another name", ErrTokenExists)
		}
		return bk.Put(sum[:], data)
	})
	if err != nil {
		return Token{}, "", fmt.Errorf("creating token %q: %w", spec.Name, err)
	}
	return rec.Token, secret, nil
}

// checkTokenSpec validates a token request against the city.
func checkTokenSpec(spec TokenSpec, city *geo.City) error {
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
	if spec.Role != RolePlanner {
		if len(spec.Scopes) > 0 {
			return fmt.Errorf("%w: only a planner's token has scopes; a %s's covers the whole city", ErrTokenSpec, spec.Role)
		}
		return nil
	}
	if len(spec.Scopes) == 0 {
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

// newSecret returns a new secret (TokenPrefix and 32 random bytes in
// unpadded base64url) and its SHA-256 hash.
func newSecret() (string, [sha256.Size]byte, error) {
	var r [32]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", [sha256.Size]byte{}, fmt.Errorf("creating token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(r[:])
	return secret, sha256.Sum256([]byte(secret)), nil
}

// VerifyToken returns the token whose secret this is. It reads the
// registry on every call, so a revocation takes effect at once. The
// record is found by the secret's SHA-256 hash and the stored hash is
// compared in constant time. An unknown secret gives ErrTokenUnknown, a
// revoked token ErrTokenRevoked (with its record).
func (b *Bolt) VerifyToken(ctx context.Context, secret string) (Token, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return Token{}, ErrTokenUnknown
	}
	sum := sha256.Sum256([]byte(secret))
	var rec *tokenRecord
	err := b.view(ctx, func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketTokens)
		if bk == nil {
			return nil
		}
		data := bk.Get(sum[:])
		if data == nil {
			return nil
		}
		var r tokenRecord
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%w: token: %v", ErrCorrupt, err)
		}
		rec = &r
		return nil
	})
	if err != nil {
		return Token{}, fmt.Errorf("verifying token: %w", err)
	}
	if rec == nil {
		return Token{}, ErrTokenUnknown
	}
	stored, err := hex.DecodeString(rec.Hash)
	if err != nil || subtle.ConstantTimeCompare(stored, sum[:]) != 1 {
		return Token{}, ErrTokenUnknown
	}
	if !rec.Active() {
		return rec.Token, ErrTokenRevoked
	}
	return rec.Token, nil
}

// Tokens lists every token, revoked ones included, oldest first. Secrets
// are not stored and so never listed.
func (b *Bolt) Tokens(ctx context.Context) ([]Token, error) {
	var out []Token
	err := b.view(ctx, func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketTokens)
		if bk == nil {
			return nil
		}
		return eachToken(bk, func(_ []byte, r *tokenRecord) bool {
			out = append(out, r.Token)
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing tokens: %w", err)
	}
	slices.SortFunc(out, func(a, b Token) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RevokeToken revokes the token with id ref, or else the active token
// named ref, and returns its record. Revoking a revoked token changes
// nothing. No match gives ErrNotFound.
func (b *Bolt) RevokeToken(ctx context.Context, ref string) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	var out Token
	err := b.tokenUpdate(func(bk *bolt.Bucket) error {
		var key []byte
		var found *tokenRecord
		err := eachToken(bk, func(k []byte, r *tokenRecord) bool {
			if r.ID == ref || (r.Name == ref && r.Active() && found == nil) {
				key, found = slices.Clone(k), r
			}
			return r.ID != ref
		})
		if err != nil {
			return err
		}
		if found == nil {
			return fmt.Errorf("%w: no token with id or name %q", ErrNotFound, clip(ref))
		}
		out = found.Token
		if !found.Active() {
			return nil
		}
		found.Revoked = b.opts.Now().UTC()
		out = found.Token
		data, err := json.Marshal(found)
		if err != nil {
			return err
		}
		return bk.Put(key, data)
	})
	if err != nil {
		return Token{}, fmt.Errorf("revoking token: %w", err)
	}
	return out, nil
}

// tokenUpdate runs fn on the tokens bucket in a write transaction.
func (b *Bolt) tokenUpdate(fn func(bk *bolt.Bucket) error) error {
	return b.bucketUpdate(bucketTokens, fn)
}

// bucketUpdate runs fn on the named bucket (created when missing) in a
// write transaction, under the writer lock, on an open store.
func (b *Bolt) bucketUpdate(name []byte, fn func(bk *bolt.Bucket) error) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	if _, err := b.state(); err != nil {
		return err
	}
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		return fn(bk)
	})
	if errIsClosed(err) {
		return ErrClosed
	}
	return err
}

// eachToken decodes every record of bk and calls fn with its key until fn
// returns false.
func eachToken(bk *bolt.Bucket, fn func(k []byte, r *tokenRecord) bool) error {
	c := bk.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r tokenRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("%w: token: %v", ErrCorrupt, err)
		}
		if !fn(k, &r) {
			return nil
		}
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "..."
	}
	return s
}
