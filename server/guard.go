package server

import (
	"errors"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// A guardedListener keeps a server alive and fair under connection floods:
//
//   - Accept never fails for running out of file descriptors (EMFILE,
//     ENFILE) or kernel buffers: it backs off, 5 ms doubling to 1 s, and
//     tries again, where fasthttp would take the error as permanent and
//     stop serving;
//   - at most maxConns connections are open at once, and at most maxPerIP
//     from one client address; a connection over either cap is answered
//     "503 Service Unavailable" with Retry-After and closed at once;
//   - every connection it returns is a guardedConn.
type guardedListener struct {
	net.Listener
	maxConns, maxPerIP int
	bodyIdle           time.Duration
	minBodyRate        int
	writeIdle          time.Duration

	open     atomic.Int64
	mu       sync.Mutex
	perIP    map[string]int
	refused  atomic.Uint64
	backoffs atomic.Uint64
	closed   atomic.Bool
}

// overCapBody is the problem sent to a connection over a cap.
const overCapBody = `{"type":"` + problemBusy + `","title":"Service Unavailable","status":503,"detail":"too many connections"}`

// overCapResponse is the whole answer to a connection over a cap.
var overCapResponse = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n" +
	"Content-Type: application/problem+json\r\nContent-Length: " + strconv.Itoa(len(overCapBody)) + "\r\n\r\n" + overCapBody

// guardListener wraps ln with the connection limits of cfg.
func guardListener(ln net.Listener, cfg Config) *guardedListener {
	return &guardedListener{
		Listener: ln, maxConns: cfg.MaxConns, maxPerIP: cfg.MaxConnsPerIP,
		bodyIdle: cfg.BodyIdleTimeout, minBodyRate: cfg.MinBodyRate, writeIdle: cfg.WriteIdleTimeout,
		perIP: make(map[string]int),
	}
}

// Accept returns the next connection within the caps, waiting out
// descriptor exhaustion.
func (l *guardedListener) Accept() (net.Conn, error) {
	delay := 5 * time.Millisecond
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if l.closed.Load() || !isTemporaryAccept(err) {
				return nil, err
			}
			l.backoffs.Add(1)
			time.Sleep(delay)
			delay = min(2*delay, time.Second)
			continue
		}
		delay = 5 * time.Millisecond
		ip := remoteIP(c)
		if !l.admit(ip) {
			l.refused.Add(1)
			refuse(c)
			continue
		}
		return &guardedConn{Conn: c, l: l, ip: ip}, nil
	}
}

// Close stops Accept.
func (l *guardedListener) Close() error {
	l.closed.Store(true)
	return l.Listener.Close()
}

// isTemporaryAccept reports whether an Accept error passes with time: the
// process or the system is out of descriptors or buffers, or the client
// gave up before the accept.
func isTemporaryAccept(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.ECONNABORTED, syscall.ECONNRESET, syscall.EINTR, syscall.EAGAIN} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func remoteIP(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return string(a.IP.To16())
	}
	return c.RemoteAddr().String()
}

// admit counts a new connection from ip unless a cap is reached.
func (l *guardedListener) admit(ip string) bool {
	if l.open.Add(1) > int64(l.maxConns) {
		l.open.Add(-1)
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.perIP[ip] >= l.maxPerIP {
		l.open.Add(-1)
		return false
	}
	l.perIP[ip]++
	return true
}

// release uncounts a closed connection.
func (l *guardedListener) release(ip string) {
	l.open.Add(-1)
	l.mu.Lock()
	if n := l.perIP[ip]; n <= 1 {
		delete(l.perIP, ip)
	} else {
		l.perIP[ip] = n - 1
	}
	l.mu.Unlock()
}

// refuse answers a connection over a cap and closes it at once: lingering
// would hold the descriptor the cap is there to save.
func refuse(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(50 * time.Millisecond))
	_, _ = c.Write([]byte(overCapResponse))
	_ = c.Close()
}

// Lingering bounds: how long and how much a closing connection reads of
// what its client still sends.
const (
	lingerFor   = 2 * time.Second
	lingerBytes = 16 << 20
)

// lingerClose half-closes c, reads what the client is still sending for a
// moment, then closes it and calls done. Closing a socket with unread
// input sends a reset, which fails the client's write before it reads the
// answer (a 431 or 413 sent while the client still writes).
func lingerClose(c net.Conn, done func()) {
	tc, ok := c.(interface{ CloseWrite() error })
	if !ok {
		_ = c.Close()
		done()
		return
	}
	_ = tc.CloseWrite()
	go func() {
		defer done()
		_ = c.SetReadDeadline(time.Now().Add(lingerFor))
		buf := make([]byte, 32<<10)
		for n := 0; n < lingerBytes; {
			k, err := c.Read(buf)
			n += k
			if err != nil {
				break
			}
		}
		_ = c.Close()
	}()
}

// A guardedConn is a connection with per-operation deadlines within the
// ones fasthttp sets for a whole request: each write must progress within
// writeIdle, so a client that stops reading frees its connection and its
// stream's buffers; and while a request is active (from its first byte
// until its response is written), each read must progress within bodyIdle
// and the request must arrive at minBodyRate bytes a second or faster on
// average once it is bodyIdle old, so a client dribbling a body is cut
// off. Waiting for the next request on a kept-alive connection is bounded
// by the server's IdleTimeout only.
type guardedConn struct {
	net.Conn
	l  *guardedListener
	ip string

	mu          sync.Mutex
	readLimit   time.Time // fasthttp's read deadline
	writeLimit  time.Time // fasthttp's write deadline
	activeSince time.Time // zero while idle
	activeBytes int64
	linger      bool
	closeOnce   sync.Once
}

// errBodyTooSlow is the read error of a request below the minimum rate.
var errBodyTooSlow = &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}

// connState follows fasthttp's connection states: a request is active from
// StateActive to StateIdle.
func connState(c net.Conn, st fasthttp.ConnState) {
	gc, ok := c.(*guardedConn)
	if !ok {
		return
	}
	gc.mu.Lock()
	defer gc.mu.Unlock()
	switch st {
	case fasthttp.StateActive:
		gc.activeSince, gc.activeBytes = time.Now(), 0
	case fasthttp.StateIdle:
		gc.activeSince = time.Time{}
	}
}

// SetReadDeadline records fasthttp's read deadline.
func (c *guardedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readLimit = t
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

// SetWriteDeadline records fasthttp's write deadline.
func (c *guardedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeLimit = t
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

// SetDeadline sets both deadlines.
func (c *guardedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.readLimit, c.writeLimit = t, t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

// Read reads, enforcing the idle deadline and the minimum rate while a
// request is active.
func (c *guardedConn) Read(b []byte) (int, error) {
	c.mu.Lock()
	start, limit, got := c.activeSince, c.readLimit, c.activeBytes
	c.mu.Unlock()
	if start.IsZero() || c.l.bodyIdle <= 0 {
		return c.Conn.Read(b)
	}
	now := time.Now()
	if c.l.minBodyRate > 0 {
		if el := now.Sub(start); el > c.l.bodyIdle && float64(got) < float64(c.l.minBodyRate)*el.Seconds() {
			return 0, errBodyTooSlow
		}
	}
	d := now.Add(c.l.bodyIdle)
	if !limit.IsZero() && limit.Before(d) {
		d = limit
	}
	_ = c.Conn.SetReadDeadline(d)
	n, err := c.Conn.Read(b)
	c.mu.Lock()
	c.activeBytes += int64(n)
	c.mu.Unlock()
	return n, err
}

// Write writes with a deadline of writeIdle from now, or fasthttp's
// deadline for the whole response if that comes first.
func (c *guardedConn) Write(b []byte) (int, error) {
	if c.l.writeIdle > 0 {
		c.mu.Lock()
		limit := c.writeLimit
		c.mu.Unlock()
		d := time.Now().Add(c.l.writeIdle)
		if !limit.IsZero() && limit.Before(d) {
			d = limit
		}
		_ = c.Conn.SetWriteDeadline(d)
	}
	return c.Conn.Write(b)
}

// lingerOnClose marks the connection of ctx, if it is a guardedConn.
func lingerOnClose(ctx *fasthttp.RequestCtx) {
	if gc, ok := ctx.Conn().(*guardedConn); ok {
		gc.lingerOnClose()
	}
}

// lingerOnClose makes Close wait briefly for the client's unread input
// (see lingerClose).
func (c *guardedConn) lingerOnClose() {
	c.mu.Lock()
	c.linger = true
	c.mu.Unlock()
}

// Close closes the connection once and uncounts it.
func (c *guardedConn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		c.mu.Lock()
		linger := c.linger
		c.mu.Unlock()
		if linger {
			lingerClose(c.Conn, func() { c.l.release(c.ip) })
			return
		}
		err = c.Conn.Close()
		c.l.release(c.ip)
	})
	return err
}
