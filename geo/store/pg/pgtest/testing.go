package pgtest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// Require returns the PostgreSQL binary directory (see Find, with
// GRIDMAP_PG_BIN). When PostgreSQL or PostGIS is missing it skips the
// test if GRIDMAP_SKIP_PG=1 and fails it otherwise, saying what to
// install.
func Require(t testing.TB) string {
	t.Helper()
	if os.Getenv(SkipEnv) == "1" {
		t.Skipf("%s=1: skipping a test that needs PostgreSQL", SkipEnv)
	}
	bin, err := Find(os.Getenv(BinEnv))
	if err != nil {
		t.Fatalf("%v (or set %s=1 to skip the tests that need PostgreSQL)", err, SkipEnv)
	}
	return bin
}

// New starts a cluster for one test and stops it when the test ends.
func New(t testing.TB) *Cluster {
	t.Helper()
	bin := Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Start(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping the cluster: %v", err)
		}
	})
	return c
}

// A Shared starts one cluster on first use and lends it to every test of
// a package; TestMain calls Stop after m.Run. The zero value is ready.
type Shared struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Cluster returns the shared cluster, starting it on the first call. It
// skips or fails t as Require does.
func (s *Shared) Cluster(t testing.TB) *Cluster {
	t.Helper()
	bin := Require(t)
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		s.c, s.err = Start(ctx, bin)
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.c
}

// Database creates a fresh database with PostGIS on the shared cluster
// and returns its connection string.
func (s *Shared) Database(t testing.TB) string {
	t.Helper()
	c := s.Cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dsn, err := c.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Stop stops the shared cluster if it was started.
func (s *Shared) Stop() error {
	if s.c == nil {
		return nil
	}
	return s.c.Stop()
}
