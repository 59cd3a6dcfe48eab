package pg

import (
	"context"
	"errors"
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
)

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	s, dsn := openNew(t, Options{})
	storetest.AppendRenames(t, s, 2, "a")
	// Take the database back to schema version 1, as an older release
	// left it: opening migrates it forward and keeps the data.
	if _, err := s.pool.Exec(ctx, `DROP TABLE tokens; DELETE FROM schema_migrations WHERE version > 1`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openAt(t, dsn, Options{})
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&have); err != nil || have != SchemaVersion() {
		t.Fatalf("schema version after reopening = %d, %v; want %d", have, err, SchemaVersion())
	}
	if v, err := s.Version(ctx); err != nil || v != 2 {
		t.Errorf("Version after migrating = %d, %v; want 2", v, err)
	}
	if _, err := s.Tokens(ctx); err != nil {
		t.Errorf("Tokens after migrating = %v", err)
	}
	// A database migrated by a newer release is refused.
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES (99)`); err != nil {
		t.Fatal(err)
	}
	if o, err := Open(ctx, dsn, nil); !errors.Is(err, ErrSchema) {
		if o != nil {
			o.Close()
		}
		t.Errorf("Open on schema 99 = %v, want ErrSchema", err)
	}
}

func TestOpenRefusals(t *testing.T) {
	ctx := context.Background()
	dsn := cluster.Database(t)
	cases := []struct {
		name string
		dsn  string
		opts Options
	}{
		{"bad dsn", "postgres://%zz", Options{}},
		{"no seed for a new database", dsn, Options{}},
		{"negative checkpoint interval", dsn, Options{CheckpointEvery: -1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := OpenOptions(ctx, tc.dsn, nil, tc.opts); err == nil {
				s.Close()
				t.Errorf("OpenOptions = nil error, want a failure")
			}
		})
	}
}

func TestAppendForcesSynchronousCommit(t *testing.T) {
	ctx := context.Background()
	dsn := cluster.Database(t)
	s := openAt(t, dsn+"&synchronous_commit=off", Options{})
	if !s.forceSync {
		t.Fatal("a store whose sessions commit asynchronously does not force synchronous commits")
	}
	storetest.AppendRenames(t, s, 2, "a")
	if v, err := s.Version(ctx); err != nil || v != 2 {
		t.Errorf("Version = %d, %v; want 2", v, err)
	}
	if openAt(t, dsn, Options{}).forceSync {
		t.Error("a store with PostgreSQL's default synchronous_commit forces it")
	}
}
