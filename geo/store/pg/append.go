package pg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb/encoding/ewkb"
)

// srid is WGS-84 longitude/latitude.
const srid = 4326

// Append commits cs on top of version cs.Base: AppendNext with no city.
func (s *Store) Append(ctx context.Context, cs *store.Changeset) error {
	return s.AppendNext(ctx, cs, nil)
}

// AppendNext commits cs on top of version cs.Base in one transaction that
// holds the head row's lock, so writers on every instance are serialised;
// see the package documentation. It sets cs.Version, cs.Time and cs.ID
// (when empty). A stale base gives a *store.ConflictError; a changeset
// without an author or changes, one that does not fit the state at its
// base, or one whose ID is taken gives store.ErrInvalid. The state of
// the new version is store.Advance's: the city next when given (the
// caller's, computed on cs.Base), else cs replayed.
func (s *Store) AppendNext(ctx context.Context, cs *store.Changeset, city *geo.City) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := store.CheckAppend(cs); err != nil {
		return err
	}
	if _, err := s.cached(); err != nil {
		return err
	}
	s.wmu.Lock() // one transaction, one connection per instance
	defer s.wmu.Unlock()
	var stored store.Changeset
	var next *store.State
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		stored, next, err = s.appendTx(ctx, tx, cs, city)
		return err
	})
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "changesets_id_key":
		return fmt.Errorf("appending changeset on %d: %w: id %q is taken", cs.Base, store.ErrInvalid, cs.ID)
	case err != nil:
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			return ce
		}
		return fmt.Errorf("appending changeset on %d: %w", cs.Base, s.closedOr(err))
	}
	s.advance(next)
	*cs = stored
	if stored.Version%uint64(s.opts.CheckpointEvery) == 0 {
		s.checkpointLater(next)
	}
	return nil
}

// checkpointLater stores the checkpoint of st, a committed state, in the
// background (store.Later); Close waits for it and reports a failure.
func (s *Store) checkpointLater(st *store.State) {
	s.later.Go(func() error { return s.writeCheckpoint(context.Background(), st) })
}

// appendTx checks cs against the locked head, advances the state by it
// (to city, when given) and writes it.
func (s *Store) appendTx(ctx context.Context, tx pgx.Tx, cs *store.Changeset, city *geo.City) (store.Changeset, *store.State, error) {
	var head uint64
	var headTime time.Time
	if err := tx.QueryRow(ctx, `SELECT version, time FROM head WHERE id = 1 FOR UPDATE`).Scan(&head, &headTime); err != nil {
		return store.Changeset{}, nil, fmt.Errorf("locking head: %w", err)
	}
	stored, err := store.Commit(cs, head, headTime, s.opts.Now().Truncate(time.Microsecond))
	if err != nil {
		return store.Changeset{}, nil, err
	}
	// Not stateAt: waiting for a reader's catch-up while holding the
	// head lock and a connection could exhaust the pool.
	cur, err := s.cached()
	if err != nil {
		return store.Changeset{}, nil, err
	}
	st, err := s.build(ctx, tx, cur, head)
	if err != nil {
		return store.Changeset{}, nil, err
	}
	next, err := store.Advance(st, stored, city)
	if err != nil {
		return store.Changeset{}, nil, err
	}
	var b pgx.Batch
	if err := s.queueChangeset(&b, stored); err != nil {
		return store.Changeset{}, nil, err
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return store.Changeset{}, nil, fmt.Errorf("writing changeset %d: %w", stored.Version, err)
	}
	return *stored, next, nil
}

// queueChangeset queues every write of a changeset: its row, head, the
// changed grids and the notification (the checkpoint, when due, follows:
// checkpointLater).
func (s *Store) queueChangeset(b *pgx.Batch, cs *store.Changeset) error {
	rec, err := newRecord(cs)
	if err != nil {
		return err
	}
	if s.forceSync {
		b.Queue(`SET LOCAL synchronous_commit TO on`)
	}
	b.Queue(`INSERT INTO changesets (`+changesetColumns+`, units, grid_ids, codes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		cs.Version, cs.ID, cs.Base, cs.Author, cs.Reason, cs.Time, cs.Kind, uint64(cs.Unit),
		rec.op, rec.changes, rec.moves, rec.crosswalk, rec.units, rec.gridIDs, rec.codes)
	b.Queue(`UPDATE head SET version = $1, time = $2 WHERE id = 1`, cs.Version, cs.Time)
	if err := queueGrids(b, rec.gridIDs, rec.after, cs.Version); err != nil {
		return err
	}
	b.Queue(`SELECT pg_notify($1, $2)`, channel, strconv.FormatUint(cs.Version, 10))
	return nil
}

// A record is a changeset's columns besides its scalars.
type record struct {
	op, changes, moves, crosswalk []byte // nil is NULL
	units                         []string
	gridIDs, codes                []int64
	after                         []*geo.Grid // grids as the changeset leaves them
}

// newRecord encodes cs's JSON columns and the fields Changes filters on.
func newRecord(cs *store.Changeset) (*record, error) {
	d, err := cs.Delta()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	r := &record{units: unitsOf(cs.Unit)}
	if len(cs.Op) > 0 {
		r.op = cs.Op
	}
	if r.changes, err = json.Marshal(cs.Changes); err != nil {
		return nil, fmt.Errorf("encoding changeset %d: %w", cs.Version, err)
	}
	if len(cs.Moves) > 0 {
		r.moves, _ = json.Marshal(cs.Moves)
	}
	if len(cs.Crosswalk) > 0 {
		r.crosswalk, _ = json.Marshal(cs.Crosswalk)
	}
	for _, c := range d.Changes {
		r.gridIDs = append(r.gridIDs, int64(c.ID))
		for _, g := range []*geo.Grid{c.Before, c.After} {
			if g != nil && !slices.Contains(r.codes, int64(g.Code)) {
				r.codes = append(r.codes, int64(g.Code))
			}
		}
		if c.After != nil {
			r.after = append(r.after, c.After)
		}
	}
	return r, nil
}

// unitsOf returns the 12-digit codes of u and every unit above it, the
// values Filter.Unit matches.
func unitsOf(u geo.DivisionCode) []string {
	out := []string{}
	for d := u; d != 0; d = d.Parent() {
		out = append(out, d.String())
	}
	return out
}

// queueGrids queues the removal of the grids with ids del and the
// insertion of grids, written at version v.
func queueGrids(b *pgx.Batch, del []int64, grids []*geo.Grid, v uint64) error {
	if len(del) > 0 {
		b.Queue(`DELETE FROM grids WHERE id = ANY($1)`, del)
	}
	if len(grids) == 0 {
		return nil
	}
	n := len(grids)
	ids, codes, comms := make([]int64, n), make([]int64, n), make([]int64, n)
	names, hh, bs, geoms := make([]string, n), make([]int32, n), make([]int32, n), make([][]byte, n)
	for i, g := range grids {
		ids[i], codes[i], comms[i] = int64(g.ID), int64(g.Code), int64(g.Community())
		names[i], hh[i], bs[i] = g.Name, int32(g.Households), int32(g.Buildings)
		var err error
		if geoms[i], err = ewkb.Marshal(g.Geometry, srid); err != nil {
			return fmt.Errorf("encoding grid %s as EWKB: %w", g.Code, err)
		}
	}
	b.Queue(`INSERT INTO grids (id, code, name, community, households, buildings, version, geom)
SELECT u.id, u.code, u.name, u.community, u.households, u.buildings, $7, ST_Multi(ST_GeomFromEWKB(u.geom))
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::int[], $6::int[], $8::bytea[])
	AS u(id, code, name, community, households, buildings, geom)`,
		ids, codes, names, comms, hh, bs, v, geoms)
	return nil
}

// Checkpoint stores st, a state of this store between version 1 and the
// current one, so that loads at or after its version start from it. A
// checkpoint already stored at that version is kept.
func (s *Store) Checkpoint(ctx context.Context, st *store.State) error {
	head, err := s.Version(ctx)
	if err != nil {
		return err
	}
	if st == nil || st.City == nil || st.History == nil || st.Version == 0 || st.Version > head {
		return fmt.Errorf("checkpointing: %w: a state between 1 and version %d", store.ErrInvalid, head)
	}
	return s.writeCheckpoint(ctx, st)
}

// writeCheckpoint encodes and stores the checkpoint of st, unless one is
// stored at its version.
func (s *Store) writeCheckpoint(ctx context.Context, st *store.State) error {
	city, hist, err := encodeCheckpoint(st, s.base)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO checkpoints (version, time, city, history) VALUES ($1, $2, $3, $4)
ON CONFLICT (version) DO NOTHING`, st.Version, st.Time, city, hist)
	if err != nil {
		return fmt.Errorf("checkpointing version %d: %w", st.Version, s.closedOr(err))
	}
	return nil
}
