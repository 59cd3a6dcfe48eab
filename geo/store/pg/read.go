package pg

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/geo/store"
)

// Changes lists the changesets matching f, oldest first (newest first
// with f.Desc), at most f's limit. Every filter is evaluated by
// PostgreSQL on indexed columns.
func (s *Store) Changes(ctx context.Context, f store.Filter) ([]*store.Changeset, error) {
	if _, err := s.cached(); err != nil {
		return nil, err
	}
	where, args := filterSQL(f)
	order := "ASC"
	if f.Desc {
		order = "DESC"
	}
	args = append(args, f.PageSize())
	sql := `SELECT ` + changesetColumns + ` FROM changesets WHERE ` + where +
		` ORDER BY version ` + order + ` LIMIT $` + strconv.Itoa(len(args))
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("listing changes: %w", s.closedOr(err))
	}
	css, err := collectChangesets(rows)
	if err != nil {
		return nil, fmt.Errorf("listing changes: %w", s.closedOr(err))
	}
	return css, nil
}

// filterSQL returns the WHERE clause of f and its arguments.
func filterSQL(f store.Filter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	add("version > $?", f.After)
	if f.Before != 0 {
		add("version < $?", f.Before)
	}
	if f.Unit != 0 {
		add("units @> ARRAY[$?::text]", f.Unit.String())
	}
	if f.Author != "" {
		add("author = $?", f.Author)
	}
	if !f.Since.IsZero() {
		add("time >= $?", f.Since)
	}
	if !f.Until.IsZero() {
		add("time < $?", f.Until)
	}
	if f.Grid != 0 {
		add("grid_ids @> ARRAY[$?::bigint]", int64(f.Grid))
	}
	if f.Code != 0 {
		add("codes @> ARRAY[$?::bigint]", int64(f.Code))
	}
	return strings.Join(conds, " AND "), args
}

// Changeset returns the changeset that made version v.
func (s *Store) Changeset(ctx context.Context, v uint64) (*store.Changeset, error) {
	if _, err := s.cached(); err != nil {
		return nil, err
	}
	row := s.pool.QueryRow(ctx, `SELECT `+changesetColumns+` FROM changesets WHERE version = $1`, v)
	cs, err := scanChangeset(row)
	if isNoRows(err) {
		return nil, fmt.Errorf("reading changeset %d: %w", v, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading changeset %d: %w", v, s.closedOr(err))
	}
	return cs, nil
}

// CityAt returns the state at version v: the cached one, or one rebuilt
// from the checkpoint at or below v and the changesets after it.
func (s *Store) CityAt(ctx context.Context, v uint64) (*store.State, error) {
	head, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	if v > head {
		return nil, fmt.Errorf("reading version %d: %w: the current version is %d", v, store.ErrNotFound, head)
	}
	st, err := s.stateAt(ctx, s.pool, v)
	if err != nil {
		return nil, fmt.Errorf("reading version %d: %w", v, s.closedOr(err))
	}
	return st, nil
}

// VersionAt returns the last version committed at or before t, 0 when t
// is before every changeset. Commit times never decrease, so the newest
// changeset at or before t by the time index is that version.
func (s *Store) VersionAt(ctx context.Context, t time.Time) (uint64, error) {
	if _, err := s.cached(); err != nil {
		return 0, err
	}
	var v uint64
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT version FROM changesets WHERE time <= $1
ORDER BY time DESC, version DESC LIMIT 1), 0)`, t).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("finding the version at %v: %w", t, s.closedOr(err))
	}
	return v, nil
}
