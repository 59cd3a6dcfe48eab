package pgstore

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
	"github.com/gridmap/gridmap/geo/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxTokenNameRunes caps a token's name, as the embedded store does.
const maxTokenNameRunes = 100

// tokenColumns are the columns scanToken reads, in order.
const tokenColumns = `hash, id, name, role, scopes, created, revoked`

// CreateToken issues a token for spec and returns its record and its
// secret, shown this once and stored only as its SHA-256 hash, with the
// same rules as the embedded store: a planner needs scopes that are units
// of the current city, viewers and admins take none, and a second active
// token with the same name is refused with store.ErrTokenExists (a
// partial unique index enforces it across instances).
func (s *Store) CreateToken(ctx context.Context, spec store.TokenSpec) (store.Token, string, error) {
	st, err := s.Load(ctx)
	if err != nil {
		return store.Token{}, "", err
	}
	if err := checkTokenSpec(spec, st.City); err != nil {
		return store.Token{}, "", err
	}
	var r [32 + 6]byte
	if _, err := rand.Read(r[:]); err != nil {
		return store.Token{}, "", fmt.Errorf("creating token: %w", err)
	}
	secret := store.TokenPrefix + base64.RawURLEncoding.EncodeToString(r[:32])
	sum := sha256.Sum256([]byte(secret))
	tok := store.Token{
		ID: hex.EncodeToString(r[32:]), Name: spec.Name, Role: spec.Role,
		Scopes: slices.Clone(spec.Scopes), Created: s.opts.Now().UTC().Truncate(time.Microsecond),
	}
	scopes := make([]int64, len(tok.Scopes))
	for i, sc := range tok.Scopes {
		scopes[i] = int64(sc)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
		sum[:], tok.ID, tok.Name, string(tok.Role), scopes, tok.Created)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "tokens_active_name" {
		return store.Token{}, "", fmt.Errorf("creating token %q: %w: revoke it first or choose another name", spec.Name, store.ErrTokenExists)
	}
	if err != nil {
		return store.Token{}, "", fmt.Errorf("creating token %q: %w", spec.Name, s.closedOr(err))
	}
	return tok, secret, nil
}

// checkTokenSpec validates a token request against the city.
func checkTokenSpec(spec store.TokenSpec, city *geo.City) error {
	name := spec.Name
	switch {
	case strings.TrimSpace(name) == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxTokenNameRunes:
		return fmt.Errorf("%w: name must be 1 to %d characters of text", store.ErrTokenSpec, maxTokenNameRunes)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%w: name holds a control character", store.ErrTokenSpec)
	}
	if _, err := store.ParseRole(string(spec.Role)); err != nil {
		return err
	}
	if spec.Role != store.RolePlanner {
		if len(spec.Scopes) > 0 {
			return fmt.Errorf("%w: only a planner's token has scopes; a %s's covers the whole city", store.ErrTokenSpec, spec.Role)
		}
		return nil
	}
	if len(spec.Scopes) == 0 {
		return fmt.Errorf("%w: a planner's token needs at least one scope (a division code)", store.ErrTokenSpec)
	}
	for _, sc := range spec.Scopes {
		if sc != city.Code && !slices.ContainsFunc(city.Units, func(u *geo.Unit) bool { return u.Code == sc }) {
			return fmt.Errorf("%w: scope %s is no unit of the city", store.ErrTokenSpec, sc.Short())
		}
	}
	return nil
}

// VerifyToken returns the token whose secret this is, read from the
// database on every call so a revocation on any instance takes effect at
// once. The record is found by the secret's hash, which is then compared
// in constant time. An unknown secret gives store.ErrTokenUnknown, a
// revoked token store.ErrTokenRevoked (with its record).
func (s *Store) VerifyToken(ctx context.Context, secret string) (store.Token, error) {
	if _, err := s.cached(); err != nil {
		return store.Token{}, err
	}
	if !strings.HasPrefix(secret, store.TokenPrefix) || len(secret) > 200 {
		return store.Token{}, store.ErrTokenUnknown
	}
	sum := sha256.Sum256([]byte(secret))
	hash, tok, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, sum[:]))
	switch {
	case isNoRows(err):
		return store.Token{}, store.ErrTokenUnknown
	case err != nil:
		return store.Token{}, fmt.Errorf("verifying token: %w", s.closedOr(err))
	case subtle.ConstantTimeCompare(hash, sum[:]) != 1:
		return store.Token{}, store.ErrTokenUnknown
	case !tok.Active():
		return tok, store.ErrTokenRevoked
	}
	return tok, nil
}

// Tokens lists every token, revoked ones included, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]store.Token, error) {
	if _, err := s.cached(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("listing tokens: %w", s.closedOr(err))
	}
	defer rows.Close()
	var out []store.Token
	for rows.Next() {
		_, tok, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("listing tokens: %w", err)
		}
		out = append(out, tok)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing tokens: %w", s.closedOr(err))
	}
	return out, nil
}

// RevokeToken revokes the token with id ref, or else the active token
// named ref, and returns its record. Revoking a revoked token changes
// nothing. No match gives store.ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, ref string) (store.Token, error) {
	if _, err := s.cached(); err != nil {
		return store.Token{}, err
	}
	var tok store.Token
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		_, tok, err = scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens
WHERE id = $1 OR (name = $1 AND revoked IS NULL) ORDER BY id = $1 DESC LIMIT 1 FOR UPDATE`, ref))
		if isNoRows(err) {
			return fmt.Errorf("%w: no token with id or name %q", store.ErrNotFound, clip(ref))
		}
		if err != nil || !tok.Active() {
			return err
		}
		tok.Revoked = s.opts.Now().UTC().Truncate(time.Microsecond)
		_, err = tx.Exec(ctx, `UPDATE tokens SET revoked = $2 WHERE id = $1`, tok.ID, tok.Revoked)
		return err
	})
	if err != nil {
		return store.Token{}, fmt.Errorf("revoking token: %w", s.closedOr(err))
	}
	return tok, nil
}

// scanToken decodes one row of tokenColumns.
func scanToken(row pgx.Row) ([]byte, store.Token, error) {
	var hash []byte
	var tok store.Token
	var role string
	var scopes []int64
	var revoked *time.Time
	if err := row.Scan(&hash, &tok.ID, &tok.Name, &role, &scopes, &tok.Created, &revoked); err != nil {
		return nil, store.Token{}, err
	}
	tok.Role, tok.Created = store.Role(role), tok.Created.UTC()
	if revoked != nil {
		tok.Revoked = revoked.UTC()
	}
	for _, sc := range scopes {
		tok.Scopes = append(tok.Scopes, geo.DivisionCode(sc))
	}
	return hash, tok, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "..."
	}
	return s
}
