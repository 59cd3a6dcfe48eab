package pg

import (
	"context"
	"os"
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
	"github.com/jackc/pgx/v5"
)

// TestOpensOlderStore loads testdata/store-b1e8461.sql, a pg_dump of a
// database (schema and rows) written by gridmap at commit b1e8461 with
// testdata/gendump.go.txt, into a fresh database, checks everything in it
// (storetest.CheckOlder), commits on it and opens it again.
func TestOpensOlderStore(t *testing.T) {
	ctx := context.Background()
	dump, err := os.ReadFile("testdata/store-b1e8461.sql")
	if err != nil {
		t.Fatal(err)
	}
	dsn := cluster.Database(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.PgConn().Exec(ctx, string(dump)).ReadAll()
	conn.Close(ctx)
	if err != nil {
		t.Fatalf("loading the dump = %v", err)
	}
	s, err := OpenOptions(ctx, dsn, storetest.NoSeed(t), Options{})
	if err != nil {
		t.Fatalf("opening the older store = %v", err)
	}
	defer s.Close()
	after := storetest.CheckOlder(t, s, "gm_XlKmJirP-mvBr1B0qavHUdY17EfZra1u1KuZq68kuYU")
	s.Close()
	s2 := openAt(t, dsn, Options{})
	got, err := s2.Load(ctx)
	if err != nil || got.Version != after.Version || storetest.StateHash(t, got) != storetest.StateHash(t, after) {
		t.Errorf("reopened after a commit: version %v, %v; want %d and the same state", got, err, after.Version)
	}
	checkGridsTable(t, s2, got)
}
