package server

import (
	"runtime"
	"sync"
)

// A WorkLimiter runs tasks with bounded concurrency. Tasks waiting for a
// slot get it in turn, those started with DoFirst before those started
// with Do, and none started with Do while a HoldBack is in force. Beside
// the slots, one lane runs the tasks started with DoQuick, one at a time.
type WorkLimiter struct {
	limit int

	// quick is the lane of DoQuick: a buffered channel of one, held by
	// the running quick task (waiters queue on the send).
	quick chan struct{}

	mu      sync.Mutex
	running int
	// held counts the HoldBacks in force.
	held int
	// first and rest are the waiting tasks, each woken by closing its
	// channel when a slot passes to it.
	first, rest []chan struct{}
}

func newWorkLimiter(n int) *WorkLimiter { return &WorkLimiter{limit: n, quick: make(chan struct{}, 1)} }

// DoQuick runs f in the quick lane, after the quick task running there
// (if any) and never waiting for a slot: for tasks of milliseconds (a
// derived index rebased on the previous version's) that a request for
// the newest version waits on and that must not queue behind a long task
// holding every slot. So at most limit+1 tasks run, one of them quick.
func (l *WorkLimiter) DoQuick(f func()) {
	l.quick <- struct{}{}
	defer func() { <-l.quick }()
	f()
}

// Do runs f when a slot is free, waiting for one, and yields the processor
// first so that waiting requests run before a long task.
func (l *WorkLimiter) Do(f func()) { l.run(false, f) }

// DoFirst is Do for a short task: it takes the next free slot ahead of
// every task waiting in Do (after the DoFirst tasks already waiting).
func (l *WorkLimiter) DoFirst(f func()) { l.run(true, f) }

// HoldBack keeps tasks started with Do from taking a free slot until the
// returned function is called (once): a series of short DoFirst tasks run
// one after another then gets every slot that frees, instead of a long
// task slipping in between two of them. Tasks already running go on.
func (l *WorkLimiter) HoldBack() (release func()) {
	l.mu.Lock()
	l.held++
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.held--
			for l.held == 0 && l.running < l.limit && len(l.rest) > 0 {
				l.running++
				l.wake(&l.rest)
			}
		})
	}
}

func (l *WorkLimiter) run(first bool, f func()) {
	l.acquire(first)
	defer l.release()
	runtime.Gosched()
	f()
}

// acquire takes a slot, waiting in the first or the rest queue for one.
func (l *WorkLimiter) acquire(first bool) {
	l.mu.Lock()
	if l.running < l.limit && (first || l.held == 0) {
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

// release passes the slot to the next waiting task that may take it, or
// frees it.
func (l *WorkLimiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case len(l.first) > 0:
		l.wake(&l.first)
	case len(l.rest) > 0 && l.held == 0:
		l.wake(&l.rest)
	default:
		l.running--
	}
}

// wake hands a slot to the first task of queue.
func (l *WorkLimiter) wake(queue *[]chan struct{}) {
	q := *queue
	close(q[0])
	q[0] = nil
	*queue = q[1:]
}
