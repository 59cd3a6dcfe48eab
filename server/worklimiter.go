package server

import (
	"runtime"
	"sync"
)

// A WorkLimiter runs tasks with bounded concurrency. Tasks waiting for a
// slot get it in turn, those started with DoFirst before those started
// with Do.
type WorkLimiter struct {
	limit int

	mu      sync.Mutex
	running int
	// first and rest are the waiting tasks, each woken by closing its
	// channel when a slot passes to it.
	first, rest []chan struct{}
}

func newWorkLimiter(n int) *WorkLimiter { return &WorkLimiter{limit: n} }

// Do runs f when a slot is free, waiting for one, and yields the processor
// first so that waiting requests run before a long task.
func (l *WorkLimiter) Do(f func()) { l.run(false, f) }

// DoFirst is Do for a short task: it takes the next free slot ahead of
// every task waiting in Do (after the DoFirst tasks already waiting).
func (l *WorkLimiter) DoFirst(f func()) { l.run(true, f) }

func (l *WorkLimiter) run(first bool, f func()) {
	l.acquire(first)
	defer l.release()
	runtime.Gosched()
	f()
}

// acquire takes a slot, waiting in the first or the rest queue for one.
func (l *WorkLimiter) acquire(first bool) {
	l.mu.Lock()
	if l.running < l.limit {
		l.running++
		l.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	if first {
		l.first = append(l.first, ch)
	} else {
		l.rest = append(l.rest, ch)
	}
	l.mu.Unlock()
	<-ch
}

// release passes the slot to the next waiting task, or frees it.
func (l *WorkLimiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	var next chan struct{}
	switch {
	case len(l.first) > 0:
		next, l.first[0], l.first = l.first[0], nil, l.first[1:]
	case len(l.rest) > 0:
		next, l.rest[0], l.rest = l.rest[0], nil, l.rest[1:]
	default:
		l.running--
		return
	}
	close(next)
}
