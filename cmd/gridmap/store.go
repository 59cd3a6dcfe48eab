package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store/bolt"
	berrors "go.etcd.io/bbolt/errors"
)

// storeLockWait is how long a command waits for another process to
// release the store before it gives up.
const storeLockWait = time.Second

// defaultStoreDir returns the store directory used without --store:
// $XDG_STATE_HOME/gridmap, else $HOME/.local/state/gridmap. It returns ""
// when the environment names neither, and the city is then served from
// memory, read-only.
func defaultStoreDir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "gridmap")
	}
	if h := getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Join(h, ".local", "state", "gridmap")
	}
	return ""
}

// storeExists reports whether dir holds a store.
func storeExists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, bolt.FileName))
	return err == nil
}

// openStore opens the store in dir, creating it from seed when it does
// not exist yet (seed nil refuses to create one). A store held by
// another process (a running gridmap serve) fails with a message saying
// so.
func openStore(dir string, seed func() (*geo.City, error)) (*bolt.Store, error) {
	if seed == nil && !storeExists(dir) {
		return nil, fmt.Errorf("no store in %s: gridmap serve creates it on its first run (or pass --store)", dir)
	}
	st, err := bolt.OpenOptions(dir, seed, bolt.Options{LockTimeout: storeLockWait})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("the store in %s is in use by another process, most likely a running gridmap serve: "+
			"stop it first, or manage tokens over HTTP with an admin token (POST /v1/tokens)", dir)
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}
