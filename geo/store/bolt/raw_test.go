package bolt

import (
	"path/filepath"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// openRaw opens a store's database file without the store.
func openRaw(t testing.TB, dir string) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
