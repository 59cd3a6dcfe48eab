package pg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// tokenColumns are the columns scanToken reads, in order.
const tokenColumns = `hash, id, name, role, scopes, created, revoked`

// CreateToken issues a token for spec and returns its record and its
// secret, shown this once and stored only as its SHA-256 hash, with the
// same rules as the embedded store: a planner needs scopes that are units
// of the current city, viewers and admins take none, and a second active
// token with the same name is refused with access.ErrTokenExists (a
// partial unique index enforces it across instances).
func (s *Store) CreateToken(ctx context.Context, spec access.TokenSpec) (access.Token, string, error) {
	st, err := s.Load(ctx)
	if err != nil {
		return access.Token{}, "", err
	}
	tok, secret, sum, err := access.Issue(spec, st.City, s.opts.Now().Truncate(time.Microsecond))
	if err != nil {
		return access.Token{}, "", err
	}
	scopes := make([]int64, len(tok.Scopes))
	for i, sc := range tok.Scopes {
		scopes[i] = int64(sc)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
		sum[:], tok.ID, tok.Name, string(tok.Role), scopes, tok.Created)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "tokens_active_name" {
		return access.Token{}, "", fmt.Errorf("creating token %q: %w: revoke it first or choose another name", spec.Name, access.ErrTokenExists)
	}
	if err != nil {
		return access.Token{}, "", fmt.Errorf("creating token %q: %w", spec.Name, s.closedOr(err))
	}
	return tok, secret, nil
}

// VerifyToken returns the token whose secret this is, read from the
// database on every call so a revocation on any instance takes effect at
// once. The record is found by the secret's hash, which is then compared
// in constant time. An unknown secret gives access.ErrTokenUnknown, a
// revoked token access.ErrTokenRevoked (with its record).
func (s *Store) VerifyToken(ctx context.Context, secret string) (access.Token, error) {
	if _, err := s.cached(); err != nil {
		return access.Token{}, err
	}
	sum, ok := access.Lookup(secret)
	if !ok {
		return access.Token{}, access.ErrTokenUnknown
	}
	hash, tok, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, sum[:]))
	switch {
	case isNoRows(err):
		return access.Token{}, access.ErrTokenUnknown
	case err != nil:
		return access.Token{}, fmt.Errorf("verifying token: %w", s.closedOr(err))
	}
	return access.Check(hash, sum, tok)
}

// Tokens lists every token, revoked ones included, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]access.Token, error) {
	if _, err := s.cached(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("listing tokens: %w", s.closedOr(err))
	}
	defer rows.Close()
	var out []access.Token
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
func (s *Store) RevokeToken(ctx context.Context, ref string) (access.Token, error) {
	if _, err := s.cached(); err != nil {
		return access.Token{}, err
	}
	var tok access.Token
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		_, tok, err = scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens
WHERE id = $1 OR (name = $1 AND revoked IS NULL) ORDER BY id = $1 DESC LIMIT 1 FOR UPDATE`, ref))
		if isNoRows(err) {
			return store.TokenNotFound(ref)
		}
		if err != nil || !tok.Active() {
			return err
		}
		tok.Revoked = s.opts.Now().UTC().Truncate(time.Microsecond)
		_, err = tx.Exec(ctx, `UPDATE tokens SET revoked = $2 WHERE id = $1`, tok.ID, tok.Revoked)
		return err
	})
	if err != nil {
		return access.Token{}, fmt.Errorf("revoking token: %w", s.closedOr(err))
	}
	return tok, nil
}

// scanToken decodes one row of tokenColumns.
func scanToken(row pgx.Row) ([]byte, access.Token, error) {
	var hash []byte
	var tok access.Token
	var role string
	var scopes []int64
	var revoked *time.Time
	if err := row.Scan(&hash, &tok.ID, &tok.Name, &role, &scopes, &tok.Created, &revoked); err != nil {
		return nil, access.Token{}, err
	}
	tok.Role, tok.Created = access.Role(role), tok.Created.UTC()
	if revoked != nil {
		tok.Revoked = revoked.UTC()
	}
	for _, sc := range scopes {
		tok.Scopes = append(tok.Scopes, geo.DivisionCode(sc))
	}
	return hash, tok, nil
}
