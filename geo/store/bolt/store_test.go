package bolt

import (
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
	bbolt "go.etcd.io/bbolt"
)

// TestConformance runs the store suite on bbolt stores in temporary
// directories; a restart reopens the directory, and a corrupt changeset
// is written into the file directly.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, c storetest.Config) *storetest.Handle {
		opts := func(c storetest.Config) Options {
			return Options{NoSync: true, Now: c.Now, CheckpointEvery: c.CheckpointEvery}
		}
		s, dir := openTemp(t, opts(c))
		h := &storetest.Handle{Store: s}
		h.Reopen = func(c storetest.Config) storetest.Store {
			s.Close()
			var err error
			if s, err = OpenOptions(dir, storetest.NoSeed(t), opts(c)); err != nil {
				t.Fatalf("reopening = %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		h.Corrupt = func(v uint64) {
			db := openRaw(t, dir)
			defer db.Close()
			err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketChangesets).Put(key(v), []byte("{broken")) })
			if err != nil {
				t.Fatal(err)
			}
		}
		return h
	})
}
