package bolt

import (
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
	bbolt "go.etcd.io/bbolt"
)

// TestCheckpointsInBackground checks that the checkpoints due every
// CheckpointEvery versions, written after the commits in the background,
// are all in the file once Close returns, and load.
func TestCheckpointsInBackground(t *testing.T) {
	b, dir := openTemp(t, Options{NoSync: true, CheckpointEvery: 2})
	storetest.AppendRenames(t, b, 7, "a")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(dir+"/"+FileName, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCheckpoints).ForEach(func(k, v []byte) error {
			cp, err := decodeCheckpoint(v)
			if err == nil && cp.Version != version(k) {
				t.Errorf("checkpoint under %d holds version %d", version(k), cp.Version)
			}
			got = append(got, version(k))
			return err
		})
	})
	db.Close()
	if err != nil || !slices.Equal(got, []uint64{0, 2, 4, 6}) {
		t.Errorf("checkpoints %v, %v; want 0, 2, 4, 6", got, err)
	}
}
