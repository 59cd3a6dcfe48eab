package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/bolt"
	"github.com/gridmap/gridmap/geo/store/pg"
	"github.com/gridmap/gridmap/server"
)

// A cityStore keeps a city's data, its changesets and the access tokens:
// a *bolt.Store in a directory, or a *pg.Store in PostgreSQL.
type cityStore interface {
	store.Store
	server.TokenStore
}

var (
	_ cityStore = (*bolt.Store)(nil)
	_ cityStore = (*pg.Store)(nil)
)

// isPostgres reports whether a --store value is a PostgreSQL connection
// URL (postgres:// or postgresql://) rather than a directory.
func isPostgres(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

// storeName returns a --store value fit for logs and messages: a
// PostgreSQL URL loses its password.
func storeName(s string) string {
	if !isPostgres(s) {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// openCityStore opens the store a --store value names: a PostgreSQL
// database for a postgres:// URL, else a directory (see openStore). A
// new store is created from seed; seed nil refuses to create one.
func openCityStore(ctx context.Context, where string, seed func() (*geo.City, error)) (cityStore, error) {
	if !isPostgres(where) {
		st, err := openStore(where, seed)
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	st, err := openPGStore(ctx, where, seed)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// errNoCity is what the seed of a command that must not create a store
// returns, so that opening an empty database fails with a clear message.
var errNoCity = errors.New("no city")

// openPGStore opens the PostgreSQL store at dsn, creating its schema and
// storing the seed city when the database holds none (seed nil refuses).
// Several instances may open one database at once; its own locks keep
// them apart.
func openPGStore(ctx context.Context, dsn string, seed func() (*geo.City, error)) (*pg.Store, error) {
	if seed == nil {
		seed = func() (*geo.City, error) { return nil, errNoCity }
	}
	st, err := pg.Open(ctx, dsn, seed)
	if errors.Is(err, errNoCity) {
		return nil, fmt.Errorf("no city in %s: gridmap serve --store creates it on its first run", storeName(dsn))
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", storeName(dsn), err)
	}
	return st, nil
}
