package bulk

import (
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// A Format is a bulk stream's format.
type Format uint8

// The formats of the bulk streams.
const (
	// CSV is a header row, then one record per row (the dialect of
	// wire.SplitCSVRecords).
	CSV Format = iota + 1
	// NDJSON is one JSON value per line.
	NDJSON
)

// A Codec reads and writes one stream: lookup or geocode, CSV or NDJSON
// (LookupCodec, GeocodeCodec). Its methods are called from several
// goroutines and must not modify the codec.
type Codec interface {
	// split returns the length of the longest prefix of buf made of whole
	// records; at EOF that is all of buf.
	split(buf []byte, atEOF bool) int
	// process turns c.in, whole records, into c.out, one row per record.
	process(c *chunk)
	// errorRow appends a row reporting a stream-level failure.
	errorRow(b []byte, msg string) []byte
	// summaryRow appends the stream's last row, its counts.
	summaryRow(b []byte, n counts) []byte
}

// A chunk is a run of whole input records and, once processed, their
// output rows.
type chunk struct {
	in      []byte
	out     []byte
	rowEnds []int32 // rowEnds[i] is the end of output row i in out
	recs    []rowRec
	pts     []orb.Point
	// fix holds re-encoded CSV records (rowRec.fixed).
	fix []byte
	// errRows counts the rows answered with an error.
	errRows int
	// skipped is a record the producer skipped (longer than the record
	// limit, with no line end in reach): it becomes one error row.
	skipped string
	// readErr aborts the response: the request body could not be read.
	readErr error
	done    chan struct{}
}

// A rowRec is one input record during processing.
type rowRec struct {
	start, end int32 // the record's bytes in chunk.in (CSV: the echoed part)
	extra      int32 // CSV: empty fields to pad; NDJSON: 1 if the object has members
	pt         int32 // index in chunk.pts, -1 if the row failed
	fixed      bool  // start and end are in chunk.fix, not chunk.in
	err        string
	place      *Fragments // the answer of a located row
}

// echo returns a record's echoed bytes: from the input, or re-encoded.
func (c *chunk) echo(start, end int32, fixed bool) []byte {
	if fixed {
		return c.fix[start:end]
	}
	return c.in[start:end]
}

var chunkPool = sync.Pool{New: func() any { return new(chunk) }}

func getChunk(size int) *chunk {
	c := chunkPool.Get().(*chunk)
	if cap(c.in) < size {
		c.in = make([]byte, 0, size)
	}
	c.in, c.out, c.rowEnds, c.fix = c.in[:0], c.out[:0], c.rowEnds[:0], c.fix[:0]
	c.readErr, c.skipped, c.errRows = nil, "", 0
	c.done = make(chan struct{})
	return c
}

func putChunk(c *chunk) {
	if cap(c.in) > 4<<20 || cap(c.out) > 16<<20 {
		return
	}
	for i := range c.recs {
		c.recs[i].place = nil
	}
	chunkPool.Put(c)
}

// locateChunk resolves every row's point, converted from cr to WGS-84.
func locateChunk(c *chunk, a *Answers, cr crs.CRS) {
	for i := range c.recs {
		r := &c.recs[i]
		if r.pt < 0 {
			continue
		}
		f := a.Locate(crs.ToWGS84(cr, c.pts[r.pt]))
		if f == nil {
			r.err = "no grid"
			continue
		}
		r.place = f
	}
}

// A Pipeline turns an input stream into a response body stream. The
// producer goroutine cuts the input into chunks of whole records, workers
// process chunks in parallel, and Read hands out their output in input
// order. At most a few chunks are in memory at once.
type Pipeline struct {
	src      io.Reader
	unblock  func()
	codec    Codec
	size     int // chunk size
	maxRec   int // longest record
	maxRows  int
	rowsSeen int
	points   Counter

	jobs  chan *chunk
	queue chan *chunk

	pending    []byte
	cur        *chunk
	finished   bool
	summarized bool
	eof        bool
	counts     counts
	trimBOM    bool

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// A Counter counts rows (a prometheus.Counter is one).
type Counter interface{ Add(float64) }

// Options are a pipeline's limits, where it counts rows, and how it
// unblocks its input.
type Options struct {
	Workers        int // goroutines processing chunks; GOMAXPROCS when <= 0
	ChunkBytes     int // input a worker takes at a time; DefaultChunkBytes when <= 0
	MaxRecordBytes int // the longest record; DefaultMaxRecordBytes when <= 0
	MaxRows        int // rows answered before the stream is cut; no limit when <= 0
	Rows           Counter
	// Unblock, when not nil, is called by Close when the output was cut
	// short, to unblock a read the producer may be waiting in (over HTTP:
	// a read deadline on the connection).
	Unblock func()
}

// Defaults of Options and GeocodeOptions.
const (
	DefaultChunkBytes     = 256 << 10
	DefaultMaxRecordBytes = 1 << 20
)

// Start starts a pipeline's producer and workers: it reads src (after
// initial, input already read from it) and hands out header and then one
// output row per record through Read, in input order.
func Start(o Options, src io.Reader, codec Codec, initial, header []byte) *Pipeline {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pipeline{
		src: src, unblock: o.Unblock, codec: codec,
		size: positive(o.ChunkBytes, DefaultChunkBytes), maxRec: positive(o.MaxRecordBytes, DefaultMaxRecordBytes),
		maxRows: positive(o.MaxRows, math.MaxInt),
		points:  o.Rows,
		jobs:    make(chan *chunk, workers),
		queue:   make(chan *chunk, min(2*workers+2, 10)),
		pending: header,
		stop:    make(chan struct{}),
		// Input with no header read before it (NDJSON) may start with a
		// UTF-8 byte order mark; the CSV header reader drops its own.
		trimBOM: header == nil,
	}
	p.wg.Add(1 + workers)
	go p.produce(initial)
	for range workers {
		go p.work()
	}
	return p
}

func (p *Pipeline) stopped() bool {
	select {
	case <-p.stop:
		return true
	default:
		return false
	}
}

// work processes chunks until the producer closes jobs.
func (p *Pipeline) work() {
	defer p.wg.Done()
	for c := range p.jobs {
		if !p.stopped() && c.readErr == nil {
			p.codec.process(c)
		}
		close(c.done)
	}
}

// produce reads src into chunks of whole records and queues them in order.
func (p *Pipeline) produce(initial []byte) {
	defer p.wg.Done()
	defer close(p.queue)
	defer close(p.jobs)
	c := getChunk(max(p.size, len(initial)))
	c.in = append(c.in, initial...)
	first := true
	for {
		atEOF, err := p.fill(c)
		if first && p.trimBOM && bytes.HasPrefix(c.in, utf8BOM) {
			c.in = c.in[:copy(c.in, c.in[len(utf8BOM):])]
		}
		first = false
		if err != nil {
			c.readErr = err
			p.send(c)
			return
		}
		cut := p.codec.split(c.in, atEOF)
		if cut == 0 && !atEOF {
			if len(c.in) >= p.maxRec {
				if !p.skipRecord(c) {
					return
				}
				continue
			}
			c.in = growCap(c.in, 2*cap(c.in))
			continue
		}
		next := getChunk(p.size)
		next.in = append(next.in, c.in[cut:]...)
		c.in = c.in[:cut]
		if !p.send(c) {
			p.drain()
			return
		}
		if atEOF {
			return
		}
		c = next
	}
}

// fill reads into c.in until it is full or src ends.
func (p *Pipeline) fill(c *chunk) (atEOF bool, err error) {
	for len(c.in) < cap(c.in) {
		n, err := p.src.Read(c.in[len(c.in):cap(c.in)])
		c.in = c.in[:len(c.in)+n]
		if errors.Is(err, io.EOF) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

// send queues c for a worker and for Read, unless the stream was stopped.
func (p *Pipeline) send(c *chunk) bool {
	select {
	case p.queue <- c:
	case <-p.stop:
		return false
	}
	select {
	case p.jobs <- c:
		return true
	case <-p.stop:
		close(c.done)
		return false
	}
}

// drain discards the rest of the request body, so that the connection can
// carry the next request.
func (p *Pipeline) drain() {
	if p.src != nil {
		_, _ = io.Copy(io.Discard, p.src)
	}
}

func growCap(b []byte, n int) []byte {
	nb := make([]byte, len(b), n)
	copy(nb, b)
	return nb
}

// Read hands out the header and then each chunk's rows in input order.
func (p *Pipeline) Read(b []byte) (int, error) {
	for len(p.pending) == 0 {
		if p.finished && !p.summarized {
			p.summarized = true
			p.pending = p.codec.summaryRow(p.pending[:0], p.counts)
			continue
		}
		if p.finished {
			p.eof = true
			return 0, io.EOF
		}
		if err := p.next(); err != nil {
			return 0, err
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// next makes the next chunk's output pending.
func (p *Pipeline) next() error {
	if p.cur != nil {
		putChunk(p.cur)
		p.cur = nil
	}
	c, ok := <-p.queue
	if !ok {
		p.finished = true
		return nil
	}
	<-c.done
	if c.readErr != nil {
		return c.readErr
	}
	p.cur = c
	if c.skipped != "" {
		c.out = p.codec.errorRow(c.out, c.skipped)
		c.rowEnds = append(c.rowEnds, int32(len(c.out)))
		c.errRows++
	}
	rows := len(c.rowEnds)
	if p.points != nil {
		p.points.Add(float64(rows))
	}
	p.counts.in += rows
	p.counts.errors += c.errRows
	p.counts.out += min(rows, max(0, p.maxRows-p.rowsSeen))
	if p.rowsSeen+rows > p.maxRows {
		keep := p.maxRows - p.rowsSeen
		end := 0
		if keep > 0 {
			end = int(c.rowEnds[keep-1])
		}
		msg := "more than " + strconv.Itoa(p.maxRows) + " rows; the rest of the input was not read"
		c.out = p.codec.errorRow(c.out[:end], msg)
		p.finish()
	}
	p.rowsSeen += rows
	p.pending = c.out
	return nil
}

// finish ends the output after the pending bytes and stops the producer,
// which then drains the input.
func (p *Pipeline) finish() {
	p.finished = true
	p.stopOnce.Do(func() { close(p.stop) })
}

// Close stops the pipeline and waits for its goroutines. If the output
// was cut short, Options.Unblock unblocks the producer's read so that it
// can exit.
func (p *Pipeline) Close() error {
	p.stopOnce.Do(func() { close(p.stop) })
	if !p.eof && p.unblock != nil {
		p.unblock()
	}
	p.wg.Wait()
	if p.cur != nil {
		putChunk(p.cur)
		p.cur = nil
	}
	return nil
}

// Rows returns the rows handed out so far, the summary row not counted.
func (p *Pipeline) Rows() int { return p.rowsSeen }

// positive returns n, or def when n <= 0.
func positive(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}
