package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// asOfCacheSize is how many past versions' views are kept for as-of
// lookups. Building one costs tens of milliseconds (the store replays to
// the version and the snapshot is indexed); a view of the whole city
// holds a few megabytes of shared and derived data.
const asOfCacheSize = 8

// An asOfCache keeps the views of recently asked past versions, least
// recently used first out. A version's data never changes, so entries
// never go stale. Concurrent requests for one version share one build.
type asOfCache = lazyLRU[uint64, *view]

// asOfView returns the view a lookup with asof=raw answers from: cur
// itself for its own version, otherwise the view of the version asked
// (a number) or current at the time asked (a date or RFC 3339 time).
func (s *Server) asOfView(ctx context.Context, cur *view, raw []byte) (*view, error) {
	w, err := parseWhen("asof", string(raw))
	if err != nil {
		return nil, err
	}
	ver := w.version
	if w.isTime {
		if s.store == nil {
			return nil, ErrNoStore
		}
		if ver, err = s.store.VersionAt(ctx, w.at); err != nil {
			return nil, err
		}
		ver = min(ver, cur.snap.Version)
	}
	return s.viewAt(ctx, cur, ver, "asof")
}

// viewAt returns the view of version ver: cur itself for its own version,
// else a past one rebuilt from the store (cached), cut down to cur's read
// scopes when cur has them. A version after cur's
// is a 404 naming field.
func (s *Server) viewAt(ctx context.Context, cur *view, ver uint64, field string) (*view, error) {
	switch {
	case ver == cur.snap.Version:
		return cur, nil
	case ver > cur.snap.Version:
		return nil, fieldErr(http.StatusNotFound, field, "version %d does not exist yet: the current version is %d", ver, cur.snap.Version)
	case s.store == nil:
		return nil, ErrNoStore
	}
	past, err := s.editor.asof.get(ver, func() (*view, error) {
		st, err := s.store.CityAt(ctx, ver)
		if err != nil {
			return nil, fmt.Errorf("rebuilding version %d: %w", ver, err)
		}
		snap, err := geo.NewSnapshot(st.City, ver)
		if err != nil {
			return nil, fmt.Errorf("indexing version %d: %w", ver, err)
		}
		v := newView(snap)
		v.walkCfg = &s.walkCfg
		return v, nil
	})
	if err != nil || cur.scopes == nil {
		return past, err
	}
	return s.cutView(past, cur.scopes)
}

// A when is a point in the history: a version, or a time.
type when struct {
	version uint64
	at      time.Time
	isTime  bool
}

// parseWhen parses a version number, a date (2024-06-01, midnight UTC) or
// an RFC 3339 time; a fault is a 400 naming field.
func parseWhen(field, s string) (when, error) {
	if s != "" && len(s) <= 20 && strings.Trim(s, "0123456789") == "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err == nil {
			return when{version: v}, nil
		}
	}
	t, err := parseTime(field, s)
	if err != nil {
		return when{}, fieldErr(http.StatusBadRequest, field, "%s is neither a version number, a date (2024-06-01) nor an RFC 3339 time", quoteClip([]byte(s)))
	}
	return when{at: t, isTime: true}, nil
}

// parseTime parses a date (midnight UTC) or an RFC 3339 time.
func parseTime(field, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fieldErr(http.StatusBadRequest, field, "%s is neither a date (2024-06-01) nor an RFC 3339 time", quoteClip([]byte(s)))
	}
	return t, nil
}
