package pg

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSchema is returned (wrapped) when the database's schema is newer
// than this package knows.
var ErrSchema = errors.New("pg store: unknown schema version")

// Options tune a Store. The zero value means the defaults.
type Options struct {
	// CheckpointEvery is how many changesets lie between checkpoints.
	// Default 200.
	CheckpointEvery int
	// MaxConns caps the connection pool (Watch uses connections of its
	// own). Default: pgxpool's, or pool_max_conns in the DSN.
	MaxConns int32
	// Now is the clock that stamps changesets. Default time.Now. Commit
	// times are kept to the microsecond and never go back.
	Now func() time.Time
}

// Validate reports whether the options are usable.
func (o Options) Validate() error {
	if o.CheckpointEvery < 0 || o.MaxConns < 0 {
		return fmt.Errorf("pg store: bad options: checkpoint interval %d, max connections %d", o.CheckpointEvery, o.MaxConns)
	}
	return nil
}

// withDefaults fills zero fields.
func (o Options) withDefaults() Options {
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = 200
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// A Store is a store.Store on PostgreSQL/PostGIS. It is safe for
// concurrent use, and several Stores (in one process or many) may share
// one database.
type Store struct {
	pool   *pgxpool.Pool
	listen *pgx.ConnConfig // for Watch connections
	opts   Options
	base   *store.BaseCity
	// forceSync is set when the sessions' synchronous_commit is off:
	// Append then turns it on for its transaction, so an acknowledged
	// changeset is always durable.
	forceSync bool
	zero      *store.State // version 0
	webhooks  webhookTable // webhooks.go

	ctx    context.Context // cancelled by Close; ends Watch goroutines
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// later writes the checkpoints in the background (append.go).
	later store.Later

	wmu     sync.Mutex // serialises this instance's appends
	catchMu sync.Mutex // serialises catching up the cached state
	mu      sync.Mutex
	cur     *store.State
	closed  bool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at dsn (a postgres:// URL or key=value
// string, as pgx takes) with the default options. See OpenOptions.
func Open(ctx context.Context, dsn string, seed func() (*geo.City, error)) (*Store, error) {
	return OpenOptions(ctx, dsn, seed, Options{})
}

// OpenOptions connects to the database at dsn, migrates its schema and,
// when it holds no city yet, stores the city seed returns as version 0
// (seed is called only then). It then loads the latest state.
func OpenOptions(ctx context.Context, dsn string, seed func() (*geo.City, error), opts Options) (*Store, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("opening store: parsing the connection string: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	listen := cfg.ConnConfig.Copy()
	setAppName(listen, "gridmap-watch")
	setAppName(cfg.ConnConfig, "gridmap")
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	s := &Store{pool: pool, listen: listen, opts: opts}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.init(ctx, seed); err != nil {
		s.cancel()
		pool.Close()
		return nil, fmt.Errorf("opening store: %w", err)
	}
	return s, nil
}

// setAppName sets application_name unless the DSN did.
func setAppName(c *pgx.ConnConfig, name string) {
	if _, ok := c.RuntimeParams["application_name"]; !ok {
		c.RuntimeParams["application_name"] = name
	}
}

// init migrates, seeds a new database, and loads the base city and the
// latest state.
func (s *Store) init(ctx context.Context, seed func() (*geo.City, error)) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey); err != nil {
			return fmt.Errorf("locking for migration: %w", err)
		}
		if err := migrate(ctx, tx); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM head`).Scan(&n); err != nil {
			return fmt.Errorf("reading head: %w", err)
		}
		if n == 0 {
			return s.create(ctx, tx, seed)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var mode string
	if err := s.pool.QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&mode); err != nil {
		return fmt.Errorf("reading synchronous_commit: %w", err)
	}
	s.forceSync = mode == "off"
	if err := s.loadBase(ctx); err != nil {
		return err
	}
	_, err = s.Load(ctx)
	return err
}

// create stores the seed city as version 0 in tx.
func (s *Store) create(ctx context.Context, tx pgx.Tx, seed func() (*geo.City, error)) error {
	if seed == nil {
		return errors.New("creating store: no seed city")
	}
	city, err := seed()
	if err != nil {
		return fmt.Errorf("creating store: seeding: %w", err)
	}
	if city == nil {
		return errors.New("creating store: the seed gave no city")
	}
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	st := &store.State{Version: 0, Time: now, City: city, History: edit.NewCodeHistory(city, time.Time{})}
	cityCol, histCol, err := encodeCheckpoint(st, nil)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO checkpoints (version, time, city, history) VALUES (0, $1, $2, $3)`, now, cityCol, histCol); err != nil {
		return fmt.Errorf("creating store: writing the base checkpoint: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO head (id, version, time, created) VALUES (1, 0, $1, $1)`, now); err != nil {
		return fmt.Errorf("creating store: writing head: %w", err)
	}
	var b pgx.Batch
	if err := queueGrids(&b, nil, city.Grids, 0); err != nil {
		return fmt.Errorf("creating store: %w", err)
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("creating store: writing grids: %w", err)
	}
	return nil
}

// loadBase reads and decodes the base checkpoint.
func (s *Store) loadBase(ctx context.Context) error {
	var t time.Time
	var cityCol, histCol []byte
	err := s.pool.QueryRow(ctx, `SELECT time, city, history FROM checkpoints WHERE version = 0`).Scan(&t, &cityCol, &histCol)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: no base checkpoint", store.ErrCorrupt)
	}
	if err != nil {
		return fmt.Errorf("reading the base checkpoint: %w", err)
	}
	body, hist, err := decodeCheckpoint(0, cityCol, histCol)
	if err != nil {
		return err
	}
	if body.City == nil {
		return fmt.Errorf("%w: the base checkpoint holds no city", store.ErrCorrupt)
	}
	s.base = store.NewBaseCity(body.City)
	s.zero = &store.State{Version: 0, Time: t.UTC(), City: body.City, History: hist}
	s.cur = s.zero
	return nil
}

// cached returns the latest state built, or ErrClosed.
func (s *Store) cached() (*store.State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	return s.cur, nil
}

// advance makes st the cached state if it is newer.
func (s *Store) advance(st *store.State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.Version > s.cur.Version {
		s.cur = st
	}
}

// Version returns the current version: the head of the database, which
// another instance may have moved.
func (s *Store) Version(ctx context.Context) (uint64, error) {
	if _, err := s.cached(); err != nil {
		return 0, err
	}
	v, err := readHead(ctx, s.pool)
	if err != nil {
		return 0, s.closedOr(err)
	}
	return v, nil
}

// Load returns the latest state. It reads the head version and, when
// another instance has appended since, catches up from the changesets
// after the cached state (or from a newer checkpoint).
func (s *Store) Load(ctx context.Context) (*store.State, error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.stateAt(ctx, s.pool, v)
	if err != nil {
		return nil, fmt.Errorf("loading version %d: %w", v, s.closedOr(err))
	}
	return st, nil
}

// Close stops Watch goroutines and closes the pool. Later calls fail with
// store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	bgErr := s.later.Wait()
	s.cancel()
	s.wg.Wait()
	s.pool.Close()
	if bgErr != nil {
		return fmt.Errorf("closing store: %w", bgErr)
	}
	return nil
}

// closedOr returns store.ErrClosed when the store was closed (a query
// failed because of it), else err.
func (s *Store) closedOr(err error) error {
	if _, cerr := s.cached(); cerr != nil {
		return cerr
	}
	return err
}

// readHead returns the head version.
func readHead(ctx context.Context, q querier) (uint64, error) {
	var v uint64
	if err := q.QueryRow(ctx, `SELECT version FROM head WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading head: %w", err)
	}
	return v, nil
}
