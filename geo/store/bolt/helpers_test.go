package bolt

import (
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
)

// seedCity is the suite's reference city.
var seedCity = storetest.Seed

// openTemp opens a new store in a temporary directory.
func openTemp(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	b, err := OpenOptions(dir, seedCity, opts)
	if err != nil {
		t.Fatalf("OpenOptions = %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b, dir
}
