package pg

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/store/pg/pgtest"
	"github.com/gridmap/gridmap/geo/store/storetest"
)

// cluster is the package's throw-away PostgreSQL, started by the first
// test that needs it.
var cluster pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	if err := cluster.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the test cluster:", err)
	}
	os.Exit(code)
}

// seedCity is the suite's reference city.
var seedCity = storetest.Seed

// openNew opens a store on a fresh database and returns it with the
// database's DSN; the store is closed when the test ends.
func openNew(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	dsn := cluster.Database(t)
	return openAt(t, dsn, opts), dsn
}

// openAt opens a store on an existing database, seeding it if new, and
// closes it when the test ends.
func openAt(t testing.TB, dsn string, opts Options) *Store {
	t.Helper()
	s, err := OpenOptions(context.Background(), dsn, seedCity, opts)
	if err != nil {
		t.Fatalf("OpenOptions = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testSeed returns SEED from the environment or the time, and logs it.
func testSeed(t testing.TB) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("SEED=%d", seed)
	return seed
}
