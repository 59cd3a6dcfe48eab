package server

import (
	"errors"
	"fmt"
	"time"
)

// ErrBadConfig is returned (wrapped) by Config.Validate.
var ErrBadConfig = errors.New("server: bad config")

// Config holds the server's settings. The zero value of a field means its
// default, so Config{} is a valid configuration; DefaultConfig returns the
// defaults spelled out.
type Config struct {
	// Addr is the TCP address Run listens on. Default ":8080".
	Addr string
	// ReadTimeout bounds reading one request, headers and body, except
	// POST requests, which get StreamTimeout. Default 10s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one response, except for POST requests,
	// which get StreamTimeout. Default 30s (layer exports can be large).
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection waits for its next
	// request. Default 60s.
	IdleTimeout time.Duration
	// StreamTimeout bounds reading and writing a POST request, the bulk
	// streams included. Default 10m.
	StreamTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown in Run. Default 15s:
	// longer than ReadTimeout, so that a connection a client opened but
	// never sent a request on (fasthttp counts it as open, not idle) times
	// out inside the shutdown window instead of failing it.
	ShutdownTimeout time.Duration
	// BodyLimit is the largest JSON request body in bytes; larger bodies get
	// 413. The streamed CSV and NDJSON forms are limited by MaxStreamPoints
	// instead. Default 64 MiB.
	BodyLimit int
	// MaxBatchPoints is the most points one JSON batch may hold; more get
	// 413. Default 100,000.
	MaxBatchPoints int
	// MaxStreamPoints is the most rows one streamed CSV or NDJSON request
	// may hold; the stream ends with an error row after that many. Default
	// 10,000,000.
	MaxStreamPoints int
	// MaxRecordBytes is the longest single CSV record or NDJSON line.
	// Default 1 MiB.
	MaxRecordBytes int
	// StreamChunkBytes is how much input a stream worker takes at a time.
	// Default 256 KiB.
	StreamChunkBytes int
	// StreamWorkers is how many goroutines look points up for one stream.
	// Default 0: GOMAXPROCS.
	StreamWorkers int
	// WriteBufferSize is the per-connection write buffer in bytes; larger
	// buffers mean fewer system calls for streamed responses. Default 32 KiB.
	WriteBufferSize int
	// AccessLogEvery logs one request in every AccessLogEvery at info level;
	// 0 (the default) logs only failed requests. Errors (5xx) are always
	// logged.
	AccessLogEvery int
	// TileCacheBytes bounds the memory of the rendered vector tiles kept
	// for reuse (MVT and gzip bytes). Default 128 MiB; a negative value
	// disables the cache, so that every request renders its tile.
	TileCacheBytes int64
	// ReadRequiresToken makes every /v1 and tile route require a bearer
	// token of any role (viewer, planner or admin). False, the default,
	// lets anyone read; editing always needs a planner's or an admin's
	// token. The health, metrics, OpenAPI and web-page routes stay open.
	ReadRequiresToken bool
	// MaxConns is the most connections open at once; a connection over it
	// is answered 503 with Retry-After: 1 and closed. Default 10,000
	// (gridmap serve lowers it to fit the process's descriptor limit).
	MaxConns int
	// MaxConnsPerIP is the most connections open at once from one client
	// address (same answer over it). Default half of MaxConns.
	MaxConnsPerIP int
	// BodyIdleTimeout bounds each read while a request is being received
	// (headers and body): a client that sends nothing for this long is cut
	// off. Default 10s.
	BodyIdleTimeout time.Duration
	// MinBodyRate is the slowest average rate, in bytes a second, at which
	// a request may arrive once it is BodyIdleTimeout old; a slower client
	// is cut off (408, or a closed connection). Default 1024.
	MinBodyRate int
	// WriteIdleTimeout bounds each write of a response: a client that
	// reads nothing for this long is cut off, which frees its stream's
	// buffers. Default 30s.
	WriteIdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers; larger get 431.
	// Default 8 KiB.
	MaxHeaderBytes int
	// MaxStreams is the most bulk CSV/NDJSON streams (lookup and geocode)
	// running at once; more get 429 with Retry-After. Each holds at most
	// about ten chunks of StreamChunkBytes in and out. Default 16.
	MaxStreams int
	// TokenCacheTTL is how long a verified bearer token is trusted without
	// asking the store again: a revoked token keeps working at most this
	// long on another instance (at once on the instance that revoked it).
	// Default 5s; negative turns the cache off.
	TokenCacheTTL time.Duration
	// TrustedProxies lists the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-Host and X-Forwarded-Proto are believed (for the
	// URLs in tiles.json and the OGC API's links). Default none: the
	// request's own Host is used.
	TrustedProxies []string
	// TileCacheControl is the Cache-Control header of vector tiles.
	// Default "public, max-age=60": a new snapshot changes tiles, so
	// clients keep them briefly, and revalidate cheaply with the ETag.
	TileCacheControl string
	// EditBudget bounds the time one edit (a preview or a commit, reverts
	// and OGC API edits included) may take to compute and validate; over
	// it the request gets a 503 problem and nothing changes. Re-coding a
	// community, which only renumbers, is not bounded. Default 30s.
	EditBudget time.Duration
	// MaxEditValidations is the most edits computed and validated at
	// once, previews and commits together; more get 429 with Retry-After.
	// Validation runs before the commit lock is taken, so a large edit
	// does not hold up the others. Default 4.
	MaxEditValidations int
}

// DefaultConfig returns the configuration used for zero fields.
func DefaultConfig() Config {
	return Config{
		Addr:             ":8080",
		ReadTimeout:      10 * time.Second,
		WriteTimeout:     30 * time.Second,
		IdleTimeout:      60 * time.Second,
		StreamTimeout:    10 * time.Minute,
		ShutdownTimeout:  15 * time.Second,
		BodyLimit:        64 << 20,
		MaxBatchPoints:   100_000,
		MaxStreamPoints:  10_000_000,
		MaxRecordBytes:   1 << 20,
		StreamChunkBytes: 256 << 10,
		WriteBufferSize:  32 << 10,
		TileCacheBytes:   DefaultTileCacheBytes,
		TileCacheControl: DefaultTileCacheControl,
		MaxConns:         10_000,
		MaxConnsPerIP:    5_000,
		BodyIdleTimeout:  10 * time.Second,
		MinBodyRate:      1024,
		WriteIdleTimeout: 30 * time.Second,
		MaxHeaderBytes:   8 << 10,
		MaxStreams:       16,
		TokenCacheTTL:    5 * time.Second,

		EditBudget:         30 * time.Second,
		MaxEditValidations: 4,
	}
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	setStr(&c.Addr, d.Addr)
	setDur(&c.ReadTimeout, d.ReadTimeout)
	setDur(&c.WriteTimeout, d.WriteTimeout)
	setDur(&c.IdleTimeout, d.IdleTimeout)
	setDur(&c.StreamTimeout, d.StreamTimeout)
	setDur(&c.ShutdownTimeout, d.ShutdownTimeout)
	setInt(&c.BodyLimit, d.BodyLimit)
	setInt(&c.MaxBatchPoints, d.MaxBatchPoints)
	setInt(&c.MaxStreamPoints, d.MaxStreamPoints)
	setInt(&c.MaxRecordBytes, d.MaxRecordBytes)
	setInt(&c.StreamChunkBytes, d.StreamChunkBytes)
	setInt(&c.WriteBufferSize, d.WriteBufferSize)
	setStr(&c.TileCacheControl, d.TileCacheControl)
	setInt(&c.MaxConns, d.MaxConns)
	setInt(&c.MaxConnsPerIP, max(1, c.MaxConns/2))
	setDur(&c.BodyIdleTimeout, d.BodyIdleTimeout)
	setInt(&c.MinBodyRate, d.MinBodyRate)
	setDur(&c.WriteIdleTimeout, d.WriteIdleTimeout)
	setInt(&c.MaxHeaderBytes, d.MaxHeaderBytes)
	setInt(&c.MaxStreams, d.MaxStreams)
	setDur(&c.TokenCacheTTL, d.TokenCacheTTL)
	setDur(&c.EditBudget, d.EditBudget)
	setInt(&c.MaxEditValidations, d.MaxEditValidations)
	if c.TileCacheBytes == 0 {
		c.TileCacheBytes = d.TileCacheBytes
	}
	return c
}

func setStr(p *string, d string) {
	if *p == "" {
		*p = d
	}
}

func setDur(p *time.Duration, d time.Duration) {
	if *p == 0 {
		*p = d
	}
}

func setInt(p *int, d int) {
	if *p == 0 {
		*p = d
	}
}

// Validate reports the first setting that cannot work: a negative duration
// or size, or a record limit above the chunk size's reach.
func (c Config) Validate() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"ReadTimeout", c.ReadTimeout}, {"WriteTimeout", c.WriteTimeout},
		{"IdleTimeout", c.IdleTimeout}, {"StreamTimeout", c.StreamTimeout},
		{"ShutdownTimeout", c.ShutdownTimeout}, {"BodyIdleTimeout", c.BodyIdleTimeout},
		{"WriteIdleTimeout", c.WriteIdleTimeout}, {"EditBudget", c.EditBudget},
	} {
		if d.v < 0 {
			return fmt.Errorf("%w: %s %v is negative", ErrBadConfig, d.name, d.v)
		}
	}
	for _, n := range []struct {
		name string
		v    int
	}{
		{"BodyLimit", c.BodyLimit}, {"MaxBatchPoints", c.MaxBatchPoints},
		{"MaxStreamPoints", c.MaxStreamPoints}, {"MaxRecordBytes", c.MaxRecordBytes},
		{"StreamChunkBytes", c.StreamChunkBytes}, {"StreamWorkers", c.StreamWorkers},
		{"WriteBufferSize", c.WriteBufferSize}, {"AccessLogEvery", c.AccessLogEvery},
		{"MaxConns", c.MaxConns}, {"MaxConnsPerIP", c.MaxConnsPerIP}, {"MinBodyRate", c.MinBodyRate},
		{"MaxHeaderBytes", c.MaxHeaderBytes}, {"MaxStreams", c.MaxStreams},
		{"MaxEditValidations", c.MaxEditValidations},
	} {
		if n.v < 0 {
			return fmt.Errorf("%w: %s %d is negative", ErrBadConfig, n.name, n.v)
		}
	}
	if c.StreamChunkBytes != 0 && c.StreamChunkBytes < 4096 {
		return fmt.Errorf("%w: StreamChunkBytes %d is below 4096", ErrBadConfig, c.StreamChunkBytes)
	}
	if c.MaxRecordBytes != 0 && c.MaxRecordBytes < 64 {
		return fmt.Errorf("%w: MaxRecordBytes %d is below 64", ErrBadConfig, c.MaxRecordBytes)
	}
	return c.validateTiles()
}
