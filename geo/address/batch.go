package address

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// A BatchResult is the answer to one address of a batch: a Result, or the
// error that rejected the address (see CheckInput).
type BatchResult struct {
	Result
	Err error
}

// batchChunk is how many addresses a worker takes at a time.
const batchChunk = 64

// GeocodeBatch geocodes addrs on up to workers goroutines (GOMAXPROCS when
// workers <= 0) and returns one BatchResult per address, in input order. A
// bad address fails alone, in its BatchResult. GeocodeBatch returns
// ctx.Err() if ctx ends first; the results are then incomplete. All its
// goroutines have ended when it returns.
func (x *Index) GeocodeBatch(ctx context.Context, addrs []string, workers int) ([]BatchResult, error) {
	out := make([]BatchResult, len(addrs))
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, (len(addrs)+batchChunk-1)/batchChunk)
	if workers <= 1 {
		return out, x.geocodeRange(ctx, addrs, out, 0, len(addrs))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(batchChunk)) - batchChunk
				if lo >= len(addrs) || ctx.Err() != nil {
					return
				}
				_ = x.geocodeRange(ctx, addrs, out, lo, min(lo+batchChunk, len(addrs)))
			}
		})
	}
	wg.Wait()
	return out, ctx.Err()
}

// geocodeRange fills out[lo:hi], checking ctx every chunk.
func (x *Index) geocodeRange(ctx context.Context, addrs []string, out []BatchResult, lo, hi int) error {
	for i := lo; i < hi; i++ {
		if (i-lo)%batchChunk == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		out[i].Result, out[i].Err = x.Geocode(addrs[i])
	}
	return nil
}
