package bolt

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/paulmach/orb"
)

// A colWriter appends raw little-endian columns, each a uint64 count
// followed by its values, to a byte slice.
type colWriter struct{ b []byte }

func (w *colWriter) count(n int) { w.b = binary.LittleEndian.AppendUint64(w.b, uint64(n)) }

func (w *colWriter) uint32s(v []uint32) {
	w.count(len(v))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint32(w.b, x)
	}
}

func (w *colWriter) uint64s(v []uint64) {
	w.count(len(v))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint64(w.b, x)
	}
}

func (w *colWriter) int64s(v []int64) {
	w.count(len(v))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint64(w.b, uint64(x))
	}
}

func (w *colWriter) float64s(v []float64) {
	w.count(len(v))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(x))
	}
}

// points writes lon, lat of each point as one float64 column.
func (w *colWriter) points(ps []orb.Point) {
	w.count(2 * len(ps))
	for _, p := range ps {
		w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(p[0]))
		w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(p[1]))
	}
}

// A colReader reads the columns a colWriter wrote, copying them out (the
// bytes may be bbolt memory). The first fault sticks in err and every
// later read returns nothing.
type colReader struct {
	b   []byte
	err error
}

// take returns the next column of n values of size bytes each, checking
// that it fits in what is left before anything is allocated.
func (r *colReader) take(size int, what string) ([]byte, int) {
	if r.err != nil {
		return nil, 0
	}
	if len(r.b) < 8 {
		r.err = fmt.Errorf("%w: checkpoint: the %s column is cut short", store.ErrCorrupt, what)
		return nil, 0
	}
	n := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	if n > uint64(len(r.b)/size) {
		r.err = fmt.Errorf("%w: checkpoint: the %s column claims %d values, %d bytes are left", store.ErrCorrupt, what, n, len(r.b))
		return nil, 0
	}
	col := r.b[:int(n)*size]
	r.b = r.b[int(n)*size:]
	return col, int(n)
}

func (r *colReader) uint32s(what string) []uint32 {
	col, n := r.take(4, what)
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(col[4*i:])
	}
	return out
}

// points reads a column points wrote into one block of points.
func (r *colReader) points(what string) []orb.Point {
	col, n := r.take(8, what)
	if n%2 != 0 {
		r.err = fmt.Errorf("%w: checkpoint: the %s column holds an odd number of coordinates", store.ErrCorrupt, what)
		return nil
	}
	out := make([]orb.Point, n/2)
	for i := range out {
		out[i][0] = math.Float64frombits(binary.LittleEndian.Uint64(col[16*i:]))
		out[i][1] = math.Float64frombits(binary.LittleEndian.Uint64(col[16*i+8:]))
	}
	return out
}

// done fails unless every byte was read.
func (r *colReader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%w: checkpoint: %d bytes after the last column", store.ErrCorrupt, len(r.b))
	}
	return r.err
}
