package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The bucket names and the meta key.
var (
	bucketMeta        = []byte("meta")
	bucketChangesets  = []byte("changesets")
	bucketIndex       = []byte("index")
	bucketCheckpoints = []byte("checkpoints")
	bucketTokens      = []byte("tokens")
	metaKey           = []byte("meta")
)

// formatVersion is the layout of the database file. Format 2 stores the
// base checkpoint's buildings in columns and later checkpoints' grids as
// references to the base city's; format 3 stores the base checkpoint's
// geometry and buildings as raw columns beside a small gob (encodeBase).
// It reads format 1 and 2 files, and the first checkpoint or changeset
// written into one marks it format 3, so that an older binary refuses it
// rather than misreading it.
const formatVersion = 3

// readableFormat reports whether this binary reads format f.
func readableFormat(f int) bool { return f >= 1 && f <= formatVersion }

// FileName is the database file inside a store directory.
const FileName = "gridmap.db"

// Options tune a Store. The zero value means the defaults.
type Options struct {
	// CheckpointEvery is how many changesets lie between checkpoints.
	// Default 200.
	CheckpointEvery int
	// NoSync skips fsync on commit. It is for tests and bulk loading
	// only: a crash may lose acknowledged changesets.
	NoSync bool
	// LockTimeout is how long Open waits for another process to release
	// the database. Default 5 s.
	LockTimeout time.Duration
	// Now is the clock that stamps changesets. Default time.Now.
	Now func() time.Time
}

// withDefaults fills zero fields.
func (o Options) withDefaults() Options {
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = 200
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// meta is the meta bucket's record.
type meta struct {
	Format  int       `json:"format"`
	Version uint64    `json:"version"`
	Time    time.Time `json:"time"`
	Created time.Time `json:"created"`
}

// A Store is the embedded store.Store: one bbolt file in a directory. It keeps
// the latest state in memory; readers never block on writers.
type Store struct {
	db   *bbolt.DB
	opts Options
	base *store.BaseCity
	// zero is the version-0 state (on base's city), once known; later
	// states share its city instead of decoding the base checkpoint again.
	zero *store.State

	wmu sync.Mutex // serializes writers
	// later writes the checkpoints in the background (write.go).
	later store.Later

	mu     sync.RWMutex
	st     *store.State
	closed bool
}

var _ store.Store = (*Store)(nil)

// Open opens the store in dir with the default options, creating it from
// seed's city on first use. See OpenOptions.
func Open(dir string, seed func() (*geo.City, error)) (*Store, error) {
	return OpenOptions(dir, seed, Options{})
}

// OpenOptions opens the store in dir (created if missing). A new store is
// initialized with the city seed returns as version 0; an existing one is
// loaded from its latest checkpoint and the changesets after it. seed is
// called only for a new store.
func OpenOptions(dir string, seed func() (*geo.City, error), opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: opts.LockTimeout})
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", dir, err)
	}
	db.NoSync = opts.NoSync
	b := &Store{db: db, opts: opts}
	if err := b.init(seed); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("opening store %s: %w", dir, err)
	}
	return b, nil
}

// init creates a new store or loads an existing one.
func (b *Store) init(seed func() (*geo.City, error)) error {
	var m *meta
	err := b.db.View(func(tx *bbolt.Tx) error {
		var err error
		m, err = readMeta(tx)
		return err
	})
	if err != nil {
		return err
	}
	if m == nil {
		return b.create(seed)
	}
	if !readableFormat(m.Format) {
		return fmt.Errorf("%w: format %d, want at most %d (written by a newer gridmap?)", store.ErrCorrupt, m.Format, formatVersion)
	}
	return b.load(m)
}

// readMeta returns the meta record, nil for an empty database.
func readMeta(tx *bbolt.Tx) (*meta, error) {
	bk := tx.Bucket(bucketMeta)
	if bk == nil {
		return nil, nil
	}
	data := bk.Get(metaKey)
	if data == nil {
		return nil, nil
	}
	var m meta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: meta: %v", store.ErrCorrupt, err)
	}
	return &m, nil
}

// create initializes a new store with the seed city as version 0.
func (b *Store) create(seed func() (*geo.City, error)) error {
	if seed == nil {
		return fmt.Errorf("creating store: no seed city")
	}
	city, err := seed()
	if err != nil {
		return fmt.Errorf("creating store: seeding: %w", err)
	}
	if city == nil {
		return fmt.Errorf("creating store: the seed gave no city")
	}
	now := b.opts.Now().UTC()
	st := &store.State{Version: 0, Time: now, City: city, History: edit.NewCodeHistory(city, time.Time{})}
	cp, err := encodeCheckpoint(st, nil)
	if err != nil {
		return err
	}
	m, _ := json.Marshal(meta{Format: formatVersion, Version: 0, Time: now, Created: now})
	err = b.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketChangesets, bucketIndex, bucketCheckpoints, bucketTokens} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketCheckpoints).Put(key(0), cp); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaKey, m)
	})
	if err != nil {
		return fmt.Errorf("creating store: %w", err)
	}
	b.base, b.st, b.zero = store.NewBaseCity(city), st, st
	return nil
}

// load reads the base city, the latest checkpoint and the changesets
// after it.
func (b *Store) load(m *meta) error {
	return b.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketCheckpoints).Get(key(0))
		if data == nil {
			return fmt.Errorf("%w: no base checkpoint", store.ErrCorrupt)
		}
		cp, err := decodeCheckpoint(data)
		if err != nil || cp.City == nil {
			return fmt.Errorf("%w: base checkpoint: %v", store.ErrCorrupt, err)
		}
		dropMapped(data)
		b.base = store.NewBaseCity(cp.City)
		if b.zero, err = stateOf(b.base, cp); err != nil {
			return err
		}
		st, err := b.stateAt(tx, m.Version)
		if err != nil {
			return err
		}
		b.st = st
		return nil
	})
}

// stateAt rebuilds the state at version v from the checkpoint at or
// below it and the changesets after that.
func (b *Store) stateAt(tx *bbolt.Tx, v uint64) (*store.State, error) {
	c := tx.Bucket(bucketCheckpoints).Cursor()
	k, data := c.Seek(key(v))
	if k == nil || version(k) > v {
		k, data = c.Prev()
	}
	if k == nil {
		return nil, fmt.Errorf("%w: no checkpoint at or below version %d", store.ErrCorrupt, v)
	}
	st, err := b.checkpointState(version(k), data)
	if err != nil {
		return nil, err
	}
	var css []*store.Changeset
	cb := tx.Bucket(bucketChangesets)
	for n := st.Version + 1; n <= v; n++ {
		cs, err := decodeChangeset(cb.Get(key(n)), n)
		if err != nil {
			return nil, err
		}
		css = append(css, cs)
	}
	return store.Replay(st, css...)
}

// checkpointState returns the state of the checkpoint of version v. The
// base checkpoint is not decoded again: its state shares the base city
// already in memory (decoding it again would hold the whole city twice).
func (b *Store) checkpointState(v uint64, data []byte) (*store.State, error) {
	if v == 0 && b.zero != nil {
		return b.zero, nil
	}
	cp, err := decodeCheckpoint(data)
	if err != nil {
		return nil, err
	}
	return stateOf(b.base, cp)
}

// decodeChangeset decodes the stored changeset of version v.
func decodeChangeset(data []byte, v uint64) (*store.Changeset, error) {
	if data == nil {
		return nil, fmt.Errorf("%w: changeset %d", store.ErrNotFound, v)
	}
	return store.UnmarshalChangeset(data, v)
}

// state returns the current state, or ErrClosed.
func (b *Store) state() (*store.State, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return nil, store.ErrClosed
	}
	return b.st, nil
}

// Load returns the latest state.
func (b *Store) Load(ctx context.Context) (*store.State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.state()
}

// Version returns the current version.
func (b *Store) Version(ctx context.Context) (uint64, error) {
	st, err := b.Load(ctx)
	if err != nil {
		return 0, err
	}
	return st.Version, nil
}

// Close closes the database. Later calls fail with ErrClosed.
func (b *Store) Close() error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	if err := errors.Join(b.later.Wait(), b.db.Close()); err != nil {
		return fmt.Errorf("closing store: %w", err)
	}
	return nil
}

// errIsClosed reports whether err came from a closed database.
func errIsClosed(err error) bool { return errors.Is(err, berrors.ErrDatabaseNotOpen) }
