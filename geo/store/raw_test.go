package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// boltTx names bbolt's transaction for tests that edit the file directly.
type boltTx = bolt.Tx

// openRaw opens a store's database file without the store.
func openRaw(t testing.TB, dir string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
