package pg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A querier runs queries: the pool, a transaction or a connection.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// stateAt returns the state at version v, which must be committed. A
// state newer than the cached one becomes the cached one; catching up is
// done by one caller at a time.
func (s *Store) stateAt(ctx context.Context, q querier, v uint64) (*store.State, error) {
	cur, err := s.cached()
	if err != nil || cur.Version == v {
		return cur, err
	}
	if cur.Version < v {
		s.catchMu.Lock()
		defer s.catchMu.Unlock()
		if cur, err = s.cached(); err != nil || cur.Version == v {
			return cur, err
		}
	}
	return s.build(ctx, q, cur, v)
}

// build returns the state at version v. It starts from cur when that is
// at or below v and no older than the newest checkpoint at or below v,
// else from that checkpoint, and replays the changesets after it. A
// state newer than the cached one becomes the cached one.
func (s *Store) build(ctx context.Context, q querier, cur *store.State, v uint64) (*store.State, error) {
	if cur.Version == v {
		return cur, nil
	}
	var cpv uint64
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM checkpoints WHERE version <= $1`, v).Scan(&cpv); err != nil {
		return nil, fmt.Errorf("finding the checkpoint below %d: %w", v, err)
	}
	start := cur
	if cur.Version > v || cpv > cur.Version {
		var err error
		if start, err = s.checkpoint(ctx, q, cpv); err != nil {
			return nil, err
		}
	}
	css, err := readChangesets(ctx, q, start.Version, v)
	if err != nil {
		return nil, err
	}
	st, err := store.Replay(start, css...)
	if err != nil {
		return nil, err
	}
	if st.Version != v {
		return nil, fmt.Errorf("%w: replay reached version %d, not %d", store.ErrCorrupt, st.Version, v)
	}
	s.advance(st)
	return st, nil
}

// checkpoint reads the state stored at checkpoint v.
func (s *Store) checkpoint(ctx context.Context, q querier, v uint64) (*store.State, error) {
	if v == 0 {
		return s.zero, nil
	}
	var t time.Time
	var cityCol, histCol []byte
	err := q.QueryRow(ctx, `SELECT time, city, history FROM checkpoints WHERE version = $1`, v).Scan(&t, &cityCol, &histCol)
	if err != nil {
		return nil, fmt.Errorf("reading checkpoint %d: %w", v, err)
	}
	body, hist, err := decodeCheckpoint(v, cityCol, histCol)
	if err != nil {
		return nil, err
	}
	city, err := s.base.Rebuild(v, body.Grids, body.Moved)
	if err != nil {
		return nil, err
	}
	return &store.State{Version: v, Time: t.UTC(), City: city, History: hist}, nil
}

// changesetColumns are the columns scanChangeset reads, in order.
const changesetColumns = `version, id, base, author, reason, time, kind, unit, op, changes, moves, crosswalk`

// readChangesets reads the changesets after version from up to and
// including version to, in order.
func readChangesets(ctx context.Context, q querier, from, to uint64) ([]*store.Changeset, error) {
	if to <= from {
		return nil, nil
	}
	rows, err := q.Query(ctx, `SELECT `+changesetColumns+` FROM changesets WHERE version > $1 AND version <= $2 ORDER BY version`, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading changesets %d to %d: %w", from+1, to, err)
	}
	css, err := collectChangesets(rows)
	if err != nil {
		return nil, fmt.Errorf("reading changesets %d to %d: %w", from+1, to, err)
	}
	if uint64(len(css)) != to-from {
		return nil, fmt.Errorf("%w: %d changesets between %d and %d, want %d", store.ErrCorrupt, len(css), from+1, to, to-from)
	}
	return css, nil
}

// collectChangesets scans every row and closes rows.
func collectChangesets(rows pgx.Rows) ([]*store.Changeset, error) {
	defer rows.Close()
	var out []*store.Changeset
	for rows.Next() {
		cs, err := scanChangeset(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, rows.Err()
}

// scanChangeset decodes one row of changesetColumns.
func scanChangeset(row pgx.Row) (*store.Changeset, error) {
	var cs store.Changeset
	var unit uint64
	var op, changes, moves, crosswalk []byte
	err := row.Scan(&cs.Version, &cs.ID, &cs.Base, &cs.Author, &cs.Reason, &cs.Time, &cs.Kind, &unit, &op, &changes, &moves, &crosswalk)
	if err != nil {
		return nil, err
	}
	cs.Time, cs.Unit = cs.Time.UTC(), geo.DivisionCode(unit)
	if len(op) > 0 {
		cs.Op = json.RawMessage(op)
	}
	for _, f := range []struct {
		data []byte
		dst  any
		name string
	}{{changes, &cs.Changes, "changes"}, {moves, &cs.Moves, "moves"}, {crosswalk, &cs.Crosswalk, "crosswalk"}} {
		if len(f.data) == 0 {
			continue
		}
		if err := json.Unmarshal(f.data, f.dst); err != nil {
			return nil, fmt.Errorf("%w: changeset %d %s: %v", store.ErrCorrupt, cs.Version, f.name, err)
		}
	}
	return &cs, nil
}

// isNoRows reports whether err says a query found no row.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
