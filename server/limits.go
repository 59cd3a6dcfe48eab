package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/store"
)

// A LimitError refuses a request for a reason that passes: a limit on
// concurrent work is reached (429), the store is unavailable (503) or full
// (507). It is answered as a problem with Retry-After when RetryAfter > 0.
type LimitError struct {
	Status     int
	Reason     string
	RetryAfter int // seconds
}

func (e *LimitError) Error() string { return e.Reason }

const (
	problemBusy        = "urn:gridmap:problem:busy"
	problemUnavailable = "urn:gridmap:problem:store-unavailable"
	problemStoreFull   = "urn:gridmap:problem:store-full"
)

// limitProblem is the problem of a LimitError.
func limitProblem(e *LimitError) problem {
	typ := problemBusy
	switch e.Status {
	case http.StatusServiceUnavailable:
		typ = problemUnavailable
	case http.StatusInsufficientStorage:
		typ = problemStoreFull
	}
	return problem{typ: typ, title: titleOf(e.Status), status: e.Status, detail: e.Reason, retryAfter: e.RetryAfter}
}

// errStoreUnavailable marks an error as the store's unavailability.
var errStoreUnavailable = errors.New("server: the store is unavailable")

// storeFault classifies a store failure that is not the request's fault:
// a full disk (507) or an unreachable or closed store (503). It returns
// nil for other errors.
func storeFault(err error) *LimitError {
	if err == nil {
		return nil
	}
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return &LimitError{Status: http.StatusInsufficientStorage,
			Reason: "the store is out of disk space; nothing was written: " + err.Error()}
	case errors.Is(err, errStoreUnavailable), errors.Is(err, store.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne):
		return &LimitError{Status: http.StatusServiceUnavailable, RetryAfter: 5,
			Reason: "the store is unavailable; reads are served from the last snapshot, try writing again later"}
	}
	return nil
}

// A semaphore bounds concurrent work.
type semaphore chan struct{}

// tryAcquire takes a slot if one is free.
func (s semaphore) tryAcquire() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s semaphore) release() { <-s }

// acquireStream takes one of Config.MaxStreams bulk-stream slots, or
// answers 429.
func (s *Server) acquireStream() error {
	if s.streams.tryAcquire() {
		return nil
	}
	return &LimitError{Status: http.StatusTooManyRequests, RetryAfter: 2,
		Reason: "too many bulk streams are running; retry shortly"}
}

// A releasingReader calls done once when closed.
type releasingReader struct {
	*bulk.Pipeline
	once sync.Once
	done func()
}

// Close closes the pipeline and releases its stream slot.
func (r *releasingReader) Close() error {
	err := r.Pipeline.Close()
	r.once.Do(r.done)
	return err
}

// Background bounds the CPU that work off the request path (rebuilding
// derived per-snapshot state after an edit, warming) may take: at most
// GOMAXPROCS-1 such tasks run at once (at least one), so request handling
// always keeps a core. Callers wrap each task: Background.Do(func() {...}).
var Background = newWorkLimiter(max(1, runtime.GOMAXPROCS(0)-1))

// A tokenCache remembers verified tokens briefly, so that reads under
// --read-open=false need not ask the store on every request, and go on
// while the store is briefly unreachable. A revoked token stops working
// within the cache's lifetime.
type tokenCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[[32]byte]cachedToken // by the secret's SHA-256
}

type cachedToken struct {
	tok     access.Token
	expires time.Time
}

func (c *tokenCache) get(secret string) (access.Token, bool) {
	if c.ttl <= 0 {
		return access.Token{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := sha256.Sum256([]byte(secret))
	e, ok := c.m[k]
	if !ok || time.Now().After(e.expires) {
		delete(c.m, k)
		return access.Token{}, false
	}
	return e.tok, true
}

func (c *tokenCache) put(secret string, t access.Token) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10_000 {
		c.m = make(map[[32]byte]cachedToken)
	}
	c.m[sha256.Sum256([]byte(secret))] = cachedToken{tok: t, expires: time.Now().Add(c.ttl)}
}

// forget drops every cached token (after a revocation on this instance).
func (c *tokenCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
