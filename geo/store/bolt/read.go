package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/gridmap/gridmap/geo/store"
	bbolt "go.etcd.io/bbolt"
)

// view runs fn in a read transaction, or fails with ErrClosed.
func (b *Store) view(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := b.state(); err != nil {
		return err
	}
	err := b.db.View(fn)
	if errIsClosed(err) {
		return store.ErrClosed
	}
	return err
}

// Changes lists the changesets matching f, oldest first (newest first
// with f.Desc), at most f's limit.
func (b *Store) Changes(ctx context.Context, f store.Filter) ([]*store.Changeset, error) {
	var out []*store.Changeset
	err := b.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketIndex).Cursor()
		cb := tx.Bucket(bucketChangesets)
		k, v := b.first(c, f)
		for ; k != nil && len(out) < f.PageSize(); k, v = b.step(c, f) {
			n := version(k)
			if (f.Desc && n <= f.After) || (!f.Desc && f.Before != 0 && n >= f.Before) {
				break
			}
			var rec indexRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("%w: index %d: %v", store.ErrCorrupt, n, err)
			}
			if !matches(f, &rec) {
				continue
			}
			cs, err := decodeChangeset(cb.Get(k), n)
			if err != nil {
				return err
			}
			out = append(out, cs)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing changes: %w", err)
	}
	return out, nil
}

// first positions the cursor at the first candidate for f.
func (b *Store) first(c *bbolt.Cursor, f store.Filter) ([]byte, []byte) {
	if !f.Desc {
		return c.Seek(key(f.After + 1))
	}
	if f.Before == 0 {
		return c.Last()
	}
	if k, _ := c.Seek(key(f.Before)); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// step moves the cursor in f's direction.
func (b *Store) step(c *bbolt.Cursor, f store.Filter) ([]byte, []byte) {
	if f.Desc {
		return c.Prev()
	}
	return c.Next()
}

// matches applies the filter's non-version fields to an index record.
func matches(f store.Filter, r *indexRecord) bool {
	switch {
	case f.Unit != 0 && !f.Unit.Contains(r.Unit):
		return false
	case f.Author != "" && r.Author != f.Author:
		return false
	case !f.Since.IsZero() && r.Time.Before(f.Since):
		return false
	case !f.Until.IsZero() && !r.Time.Before(f.Until):
		return false
	case f.Grid != 0 && !slices.Contains(r.Grids, f.Grid):
		return false
	case f.Code != 0 && !slices.Contains(r.Codes, f.Code):
		return false
	}
	return true
}

// Changeset returns the changeset that made version v.
func (b *Store) Changeset(ctx context.Context, v uint64) (*store.Changeset, error) {
	var cs *store.Changeset
	err := b.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		cs, err = decodeChangeset(tx.Bucket(bucketChangesets).Get(key(v)), v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading changeset %d: %w", v, err)
	}
	return cs, nil
}

// CityAt returns the state at version v: the current one from memory, an
// older one rebuilt from the checkpoint at or below v and the changesets
// after it.
func (b *Store) CityAt(ctx context.Context, v uint64) (*store.State, error) {
	cur, err := b.state()
	if err != nil {
		return nil, err
	}
	switch {
	case v == cur.Version:
		return cur, nil
	case v > cur.Version:
		return nil, fmt.Errorf("reading version %d: %w: the current version is %d", v, store.ErrNotFound, cur.Version)
	}
	var st *store.State
	err = b.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		st, err = b.stateAt(tx, v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading version %d: %w", v, err)
	}
	return st, nil
}

// VersionAt returns the last version committed at or before t, 0 when t
// is before every changeset. Commit times never decrease, so it searches
// by bisection.
func (b *Store) VersionAt(ctx context.Context, t time.Time) (uint64, error) {
	cur, err := b.state()
	if err != nil {
		return 0, err
	}
	var found uint64
	err = b.view(ctx, func(tx *bbolt.Tx) error {
		bk := tx.Bucket(bucketIndex)
		var ferr error
		n := sort.Search(int(cur.Version), func(i int) bool {
			var rec indexRecord
			if err := json.Unmarshal(bk.Get(key(uint64(i+1))), &rec); err != nil {
				ferr = fmt.Errorf("%w: index %d: %v", store.ErrCorrupt, i+1, err)
				return true
			}
			return rec.Time.After(t)
		})
		found = uint64(n)
		return ferr
	})
	if err != nil {
		return 0, fmt.Errorf("finding the version at %v: %w", t, err)
	}
	return found, nil
}
