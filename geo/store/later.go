package store

import (
	"errors"
	"sync"
)

// A Later writes a backend's checkpoints in the background, one at a
// time, after the commit that made the state has been acknowledged:
// encoding a checkpoint holds every grid and the code history, which
// that commit need not wait for. Its changeset is durable already; a
// checkpoint lost to a crash only makes the next load replay more
// changesets. Both backends use one; the zero value is ready.
type Later struct {
	wg  sync.WaitGroup
	mu  sync.Mutex // serializes the writes and guards err
	err error
}

// Go runs write in the background after the writes already started.
func (l *Later) Go(write func() error) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.mu.Lock()
		defer l.mu.Unlock()
		if err := write(); err != nil {
			l.err = errors.Join(l.err, err)
		}
	}()
}

// Wait waits for every write started and returns their failures joined
// (nil when all succeeded).
func (l *Later) Wait() error {
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
