package bolt

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo/store"

	bbolt "go.etcd.io/bbolt"
)

// tokenRecord is the stored form of a token: the record and its hash.
type tokenRecord struct {
	access.Token
	Hash string `json:"hash"`
}

// CreateToken issues a token for spec and returns its record and its
// secret, which is shown this once and stored only as a hash. A planner
// needs at least one scope, each a unit of the current city; viewers and
// admins take none. An active token with the same name is refused with
// ErrTokenExists.
func (b *Store) CreateToken(ctx context.Context, spec access.TokenSpec) (access.Token, string, error) {
	if err := ctx.Err(); err != nil {
		return access.Token{}, "", err
	}
	st, err := b.state()
	if err != nil {
		return access.Token{}, "", err
	}
	tok, secret, sum, err := access.Issue(spec, st.City, b.opts.Now())
	if err != nil {
		return access.Token{}, "", err
	}
	data, err := json.Marshal(tokenRecord{Token: tok, Hash: hex.EncodeToString(sum[:])})
	if err != nil {
		return access.Token{}, "", fmt.Errorf("creating token: %w", err)
	}
	err = b.tokenUpdate(func(bk *bbolt.Bucket) error {
		exists := false
		err := eachToken(bk, func(_ []byte, r *tokenRecord) bool {
			exists = r.Active() && r.Name == spec.Name
			return !exists
		})
		switch {
		case err != nil:
			return err
		case exists:
			return fmt.Errorf("%w: revoke it first or choose another name", access.ErrTokenExists)
		}
		return bk.Put(sum[:], data)
	})
	if err != nil {
		return access.Token{}, "", fmt.Errorf("creating token %q: %w", spec.Name, err)
	}
	return tok, secret, nil
}

// VerifyToken returns the token whose secret this is. It reads the
// registry on every call, so a revocation takes effect at once. The
// record is found by the secret's SHA-256 hash and the stored hash is
// compared in constant time. An unknown secret gives ErrTokenUnknown, a
// revoked token ErrTokenRevoked (with its record).
func (b *Store) VerifyToken(ctx context.Context, secret string) (access.Token, error) {
	sum, ok := access.Lookup(secret)
	if !ok {
		return access.Token{}, access.ErrTokenUnknown
	}
	var rec *tokenRecord
	err := b.view(ctx, func(tx *bbolt.Tx) error {
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
			return fmt.Errorf("%w: token: %v", store.ErrCorrupt, err)
		}
		rec = &r
		return nil
	})
	if err != nil {
		return access.Token{}, fmt.Errorf("verifying token: %w", err)
	}
	if rec == nil {
		return access.Token{}, access.ErrTokenUnknown
	}
	stored, err := hex.DecodeString(rec.Hash)
	if err != nil {
		return access.Token{}, access.ErrTokenUnknown
	}
	return access.Check(stored, sum, rec.Token)
}

// Tokens lists every token, revoked ones included, oldest first. Secrets
// are not stored and so never listed.
func (b *Store) Tokens(ctx context.Context) ([]access.Token, error) {
	var out []access.Token
	err := b.view(ctx, func(tx *bbolt.Tx) error {
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
	slices.SortFunc(out, func(a, b access.Token) int {
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
func (b *Store) RevokeToken(ctx context.Context, ref string) (access.Token, error) {
	if err := ctx.Err(); err != nil {
		return access.Token{}, err
	}
	var out access.Token
	err := b.tokenUpdate(func(bk *bbolt.Bucket) error {
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
			return store.TokenNotFound(ref)
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
		return access.Token{}, fmt.Errorf("revoking token: %w", err)
	}
	return out, nil
}

// tokenUpdate runs fn on the tokens bucket in a write transaction.
func (b *Store) tokenUpdate(fn func(bk *bbolt.Bucket) error) error {
	return b.bucketUpdate(bucketTokens, fn)
}

// bucketUpdate runs fn on the named bucket (created when missing) in a
// write transaction, under the writer lock, on an open store.
func (b *Store) bucketUpdate(name []byte, fn func(bk *bbolt.Bucket) error) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	if _, err := b.state(); err != nil {
		return err
	}
	err := b.db.Update(func(tx *bbolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		return fn(bk)
	})
	if errIsClosed(err) {
		return store.ErrClosed
	}
	return err
}

// eachToken decodes every record of bk and calls fn with its key until fn
// returns false.
func eachToken(bk *bbolt.Bucket, fn func(k []byte, r *tokenRecord) bool) error {
	c := bk.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r tokenRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("%w: token: %v", store.ErrCorrupt, err)
		}
		if !fn(k, &r) {
			return nil
		}
	}
	return nil
}
