package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	bbolt "go.etcd.io/bbolt"
)

// An indexRecord holds the fields Changes filters on, so listing does not
// decode geometry.
type indexRecord struct {
	Time   time.Time        `json:"t"`
	Author string           `json:"a"`
	Unit   geo.DivisionCode `json:"u"`
	Kind   string           `json:"k"`
	Grids  []geo.GridID     `json:"g"`
	Codes  []geo.GridCode   `json:"c"`
}

// Append commits cs on top of version cs.Base: AppendNext with no city.
func (b *Store) Append(ctx context.Context, cs *store.Changeset) error {
	return b.AppendNext(ctx, cs, nil)
}

// AppendNext commits cs on top of version cs.Base. It advances the
// current state by cs (store.Advance: the city next when given, else cs
// replayed; a changeset that does not fit is refused with ErrInvalid),
// writes it, its index record and the new version in one transaction
// that is fsynced before Append returns, and every CheckpointEvery
// versions a checkpoint of the new state after that, in the background
// (checkpointLater). It sets cs.Version, cs.Time (the commit
// time, never before the previous one) and cs.ID when empty. A stale
// base gives a *ConflictError.
func (b *Store) AppendNext(ctx context.Context, cs *store.Changeset, city *geo.City) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.wmu.Lock()
	defer b.wmu.Unlock()
	st, err := b.state()
	if err != nil {
		return err
	}
	stored, err := store.Commit(cs, st.Version, st.Time, b.opts.Now())
	if err != nil {
		return err
	}
	next, err := store.Advance(st, stored, city)
	if err != nil {
		return fmt.Errorf("appending changeset on %d: %w", cs.Base, err)
	}
	if err := b.commit(stored); err != nil {
		return err
	}
	*cs = *stored
	b.mu.Lock()
	b.st = next
	b.mu.Unlock()
	if stored.Version%uint64(b.opts.CheckpointEvery) == 0 {
		b.checkpointLater(next)
	}
	return nil
}

// checkpointLater writes the checkpoint of st, a committed state, in the
// background (store.Later; about 180 ms of encoding at scale 10); Close
// waits for it and reports a failure.
func (b *Store) checkpointLater(st *store.State) {
	b.later.Go(func() error { return b.writeCheckpoint(st) })
}

// commit writes a changeset, its index record and the meta record in one
// transaction.
func (b *Store) commit(cs *store.Changeset) error {
	data, err := store.MarshalChangeset(cs)
	if err != nil {
		return err
	}
	ids, codes, err := cs.Touched()
	if err != nil {
		return fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	idx, _ := json.Marshal(indexRecord{Time: cs.Time, Author: cs.Author, Unit: cs.Unit, Kind: cs.Kind, Grids: ids, Codes: codes})
	err = b.db.Update(func(tx *bbolt.Tx) error {
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		if m.Version != cs.Base {
			return &store.ConflictError{Base: cs.Base, Current: m.Version}
		}
		m.Version, m.Time, m.Format = cs.Version, cs.Time, formatVersion
		mdata, _ := json.Marshal(m)
		k := key(cs.Version)
		if err := tx.Bucket(bucketChangesets).Put(k, data); err != nil {
			return err
		}
		if err := tx.Bucket(bucketIndex).Put(k, idx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaKey, mdata)
	})
	if err != nil {
		return fmt.Errorf("committing changeset %d: %w", cs.Version, err)
	}
	return nil
}

// Checkpoint stores st (a state of this store at or below the current
// version) so that loading starts from it.
func (b *Store) Checkpoint(ctx context.Context, st *store.State) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.wmu.Lock()
	defer b.wmu.Unlock()
	cur, err := b.state()
	if err != nil {
		return err
	}
	if st == nil || st.City == nil || st.History == nil || st.Version == 0 || st.Version > cur.Version {
		return fmt.Errorf("checkpointing: %w: a state between 1 and version %d", store.ErrInvalid, cur.Version)
	}
	return b.writeCheckpoint(st)
}

// writeCheckpoint encodes and stores the checkpoint of st.
func (b *Store) writeCheckpoint(st *store.State) error {
	cp, err := encodeCheckpoint(st, b.base)
	if err != nil {
		return err
	}
	err = b.db.Update(func(tx *bbolt.Tx) error {
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		m.Format = formatVersion
		mdata, _ := json.Marshal(m)
		if err := tx.Bucket(bucketMeta).Put(metaKey, mdata); err != nil {
			return err
		}
		return tx.Bucket(bucketCheckpoints).Put(key(st.Version), cp)
	})
	if err != nil {
		return fmt.Errorf("checkpointing version %d: %w", st.Version, err)
	}
	return nil
}
