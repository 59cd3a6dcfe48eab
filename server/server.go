package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/valyala/fasthttp"
)

// A Server serves one geo.Snapshot at a time over HTTP. Create it with New;
// it is safe for concurrent use.
type Server struct {
	cfg     Config
	log     *slog.Logger
	app     *fiber.App
	metrics *metrics
	view    atomic.Pointer[view]
	routes  []routeInfo
	mounts  []Mount
	// quickWarmers and then warmers build each new view's derived values
	// in the background, one view at a time each (quickMu, warmMu); warming
	// counts the views being warmed (derived.go).
	quickWarmers []warmer
	quickMu      sync.Mutex
	warmers      []warmer
	warmMu       sync.Mutex
	warming      sync.WaitGroup
	// warmed is called when a view's warming completes (WithWarmed).
	warmed func(version uint64)
	// lineage keeps the newest derived values for the next version's to be
	// rebased on.
	lineage lineage
	// walkCfg says how each view's walking network is built.
	walkCfg WalkConfig
	// accessSeq counts requests for the sampled access log.
	accessSeq atomic.Uint64
	// store keeps the city's history and takes its edits; tokens verifies
	// bearer tokens. Without a store the city is served read-only.
	store  store.Store
	tokens TokenStore
	// editor serializes commits and caches as-of views (editing.go).
	editor editor
	// streams bounds concurrent bulk streams (Config.MaxStreams).
	streams semaphore
	// scoped caches the views of scoped viewers' reads (readscope.go).
	scoped scopedViews
	// tokenCache remembers verified tokens (Config.TokenCacheTTL).
	tokenCache tokenCache
	// csp is the web page's Content-Security-Policy.
	csp string
	// tileSrv renders the views' tiles (tiles.go); archives holds the
	// built tile archives (archive.go).
	tileSrv  *tileServer
	archives archiveCache
	// importRepairs reads the last import's repairs (importrepairs.go).
	importRepairs ImportRepairs
	// feed publishes committed changesets to streams and webhooks
	// (feed.go).
	feed feedHub
	// hooks delivers the changesets to webhooks (webhooks_deliver.go).
	hooks hookDispatcher
}

// A Mount registers extra routes (tiles, the web map) on the server. It
// should register handlers through Server.Handle so they get metrics,
// panic recovery and problem+json errors.
type Mount func(s *Server) error

// An Option changes how New builds the server.
type Option func(*Server)

// WithMount adds routes registered by m after the built-in ones. The
// built-in routes claim neither "/" nor "/tiles".
func WithMount(m Mount) Option {
	return func(s *Server) { s.mounts = append(s.mounts, m) }
}

// WithStore makes the city editable: edits are committed to st, and the
// history, as-of lookups and crosswalks read from it. The snapshot served
// must be st's latest state: pass nil to New and call Reload, or pass a
// snapshot built from st.Load with its version.
func WithStore(st store.Store) Option {
	return func(s *Server) { s.store = st }
}

// WithTokens sets the registry that verifies bearer tokens (and, for
// admins, manages them over HTTP). Editing needs one; so does
// Config.ReadRequiresToken.
func WithTokens(ts TokenStore) Option {
	return func(s *Server) { s.tokens = ts }
}

// New builds a server for cfg (zero fields take DefaultConfig's values)
// serving snap, which may be nil until the first Swap. log receives errors
// and lifecycle events; nil discards them.
func New(cfg Config, snap *geo.Snapshot, log *slog.Logger, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg.withDefaults(), log: log, metrics: newMetrics()}
	s.scoped.size = scopedViewCacheSize
	s.streams = make(semaphore, s.cfg.MaxStreams)
	s.tokenCache.ttl = s.cfg.TokenCacheTTL
	s.csp = pageCSP(nil)
	for _, o := range opts {
		o(s)
	}
	if s.cfg.ReadRequiresToken && s.tokens == nil {
		return nil, fmt.Errorf("%w: ReadRequiresToken needs a token registry (WithTokens)", ErrBadConfig)
	}
	s.app = s.newApp()
	if err := s.registerRoutes(); err != nil {
		return nil, err
	}
	for _, m := range s.mounts {
		if err := m(s); err != nil {
			return nil, fmt.Errorf("mounting extra routes: %w", err)
		}
	}
	if snap != nil {
		s.Swap(snap)
	}
	return s, nil
}

func (s *Server) newApp() *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage:        true,
		Prefork:                      false,
		ErrorHandler:                 s.fiberErrorHandler,
		ReadTimeout:                  s.cfg.ReadTimeout,
		WriteTimeout:                 s.cfg.WriteTimeout,
		IdleTimeout:                  s.cfg.IdleTimeout,
		BodyLimit:                    s.cfg.BodyLimit,
		StreamRequestBody:            true,
		WriteBufferSize:              s.cfg.WriteBufferSize,
		ReadBufferSize:               s.cfg.MaxHeaderBytes,
		DisablePreParseMultipartForm: true,
		// X-Forwarded-Host and -Proto are believed only from these
		// (none by default), so a client cannot choose the URLs in
		// tiles.json and the OGC API's links.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          s.cfg.TrustedProxies,
	})
	app.Server().ConnState = connState
	// A request fasthttp refuses before routing (headers too large, a
	// malformed request) is answered and its connection closed: linger so
	// the client, maybe still sending, reads the answer.
	refused := app.Server().ErrorHandler
	app.Server().ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		lingerOnClose(ctx)
		refused(ctx, err)
	}
	app.Server().HeaderReceived = s.receiveHeaders
	return app
}

// App returns the underlying Fiber app, for app.Test in tests and for
// mounts.
func (s *Server) App() *fiber.App { return s.app }

// Config returns the server's configuration with defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// Snapshot returns the snapshot being served, nil before the first.
func (s *Server) Snapshot() *geo.Snapshot {
	if v := s.view.Load(); v != nil {
		return v.snap
	}
	return nil
}

// Swap starts serving snap. Requests already running finish on the
// snapshot they loaded. A nil snap is ignored.
func (s *Server) Swap(snap *geo.Snapshot) {
	if snap == nil {
		return
	}
	v := nextView(s.view.Load(), snap)
	v.walkCfg = &s.walkCfg
	v.base = &s.lineage
	v.warmCtx, v.warmCancel = context.WithCancel(context.Background())
	if old := s.view.Swap(v); old != nil && old.warmCancel != nil {
		old.warmCancel()
	}
	s.metrics.setSnapshot(snap)
	s.warm(v)
}

// Serve serves HTTP on ln until Shutdown is called or ln fails. Running
// out of file descriptors does not make ln fail: accepting backs off and
// resumes (see Config.MaxConns).
func (s *Server) Serve(ln net.Listener) error {
	return s.app.Listener(guardListener(ln, s.cfg))
}

// Shutdown stops accepting connections and waits, until ctx is done, for
// the requests in flight to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	s.feed.close() // change streams never end on their own
	if err := s.app.ShutdownWithContext(ctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// Run listens on Config.Addr and serves until ctx is cancelled, then shuts
// down gracefully within Config.ShutdownTimeout. It returns nil after a
// clean shutdown.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.cfg.Addr, err)
	}
	return s.RunListener(ctx, ln)
}

// RunListener is Run on a listener the caller opened. When the store is
// a Watcher (several instances sharing one database), it also follows the
// store (see Follow) until it shuts down.
func (s *Server) RunListener(ctx context.Context, ln net.Listener) error {
	s.log.Info("listening", "addr", ln.Addr().String())
	stopFollow := s.startFollow(ctx)
	defer stopFollow()
	stopHooks := s.startWebhooks(ctx)
	defer stopHooks()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	select {
	case err := <-served:
		if err != nil {
			return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
		}
		return nil
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	start := time.Now()
	err := s.Shutdown(sctx)
	// Shutdown only stops a Serve that has registered its listener; closing
	// the listener also stops one that had not started yet.
	_ = ln.Close()
	if serr := <-served; serr != nil && !errors.Is(serr, net.ErrClosed) {
		err = errors.Join(err, fmt.Errorf("serving on %s: %w", ln.Addr(), serr))
	}
	s.log.Info("stopped", "shutdown_ms", time.Since(start).Milliseconds(), "err", err)
	return err
}
