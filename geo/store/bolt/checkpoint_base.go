package bolt

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/paulmach/orb"
)

// baseMagic starts a base checkpoint of format 3. Those written before
// are gzip streams (starting 0x1f 0x8b), so the two never meet.
var baseMagic = []byte("gridmap base 3\n")

// A format-3 base checkpoint is baseMagic, the length of its head (uint64,
// little-endian), the head: gob messages of the checkpoint with
// the bulk taken out (every geometry, the building columns but their
// words; see encodeHead),
// and then that bulk as raw columns (see colWriter): the grids', units'
// and streets' geometry and the buildings' ID, Point, Address, Ints and
// Grid. Gob reads a value of one message only after buffering all of it,
// growing the buffer as it goes; at scale 50 that and decoding each point
// as a gob array were most of a restart. The raw columns decode at memory
// speed, every geometry's points in one block.

// encodeBase encodes cp, a base checkpoint, with its city (format 3).
func encodeBase(cp *checkpoint, city *geo.City) ([]byte, error) {
	c := *city
	c.Buildings = nil
	c.Grids = stripGrids(city.Grids)
	c.Units = stripUnits(city.Units)
	c.Streets = stripStreets(city.Streets)
	cols := newBuildingColumns(city.Buildings)
	head := *cp
	head.City, head.Buildings = &c, &buildingColumns{Words: cols.Words}
	hb, err := encodeHead(&head)
	if err != nil {
		return nil, fmt.Errorf("encoding checkpoint %d: %w", cp.Version, err)
	}
	w := colWriter{b: make([]byte, 0, len(baseMagic)+8+hb.Len()+96*len(city.Buildings))}
	w.b = append(w.b, baseMagic...)
	w.count(hb.Len())
	w.b = append(w.b, hb.Bytes()...)
	writeMultiPolygons(&w, gridGeometry(city.Grids))
	writeMultiPolygons(&w, unitGeometry(city.Units))
	writeLineStrings(&w, streetLines(city.Streets))
	w.uint64s(cols.ID)
	w.float64s(cols.Point)
	w.uint32s(cols.Address)
	w.int64s(cols.Ints)
	w.uint64s(cols.Grid)
	return w.b, nil
}

// decodeBase reverses encodeBase. data may be bbolt memory: nothing
// decoded refers to it.
func decodeBase(data []byte) (*checkpoint, error) {
	r := colReader{b: data[len(baseMagic):]}
	head, _ := r.take(1, "head")
	if r.err != nil {
		return nil, r.err
	}
	cp, err := decodeHead(head)
	if err != nil {
		return nil, err
	}
	c := cp.City
	if c == nil || cp.Buildings == nil {
		return nil, fmt.Errorf("%w: checkpoint: a base checkpoint without its city", store.ErrCorrupt)
	}
	if err := readGeometry(&r, c); err != nil {
		return nil, err
	}
	if c.Buildings, err = readBuildings(&r, cp.Buildings.Words); err != nil {
		return nil, err
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	cp.Buildings = nil
	return cp, nil
}

// readBuildings reads the building columns encodeBase wrote straight into
// buildings held in one block (no column is copied out first).
func readBuildings(r *colReader, words []string) ([]*geo.Building, error) {
	ids, n := r.take(8, "building id")
	pts, np := r.take(8, "building point")
	addr, na := r.take(4, "building address")
	ints, ni := r.take(8, "building numbers")
	grid, ng := r.take(8, "building grid")
	if r.err != nil {
		return nil, r.err
	}
	if np != 2*n || na != addressParts*n || ni != 4*n || ng != n {
		return nil, fmt.Errorf("%w: checkpoint: building columns of unequal length", store.ErrCorrupt)
	}
	le := binary.LittleEndian
	block := make([]geo.Building, n)
	out := make([]*geo.Building, n)
	for i := range block {
		b := &block[i]
		b.ID, b.Grid = geo.BuildingID(le.Uint64(ids[8*i:])), geo.GridCode(le.Uint64(grid[8*i:]))
		b.Point[0], b.Point[1] = math.Float64frombits(le.Uint64(pts[16*i:])), math.Float64frombits(le.Uint64(pts[16*i+8:]))
		in := ints[32*i:]
		b.Address.Number, b.Households = int(int64(le.Uint64(in))), int(int64(le.Uint64(in[8:])))
		b.Floors, b.Units = int(int64(le.Uint64(in[16:]))), int(int64(le.Uint64(in[24:])))
		for k, p := range parts(&b.Address) {
			w := le.Uint32(addr[4*(addressParts*i+k):])
			if int(w) >= len(words) {
				return nil, fmt.Errorf("%w: checkpoint: building %d names word %d of %d", store.ErrCorrupt, b.ID, w, len(words))
			}
			*p = words[w]
		}
		out[i] = b
	}
	return out, nil
}

// headChunk is how many grids one gob message of the head holds: gob
// buffers a whole message before decoding it, growing the buffer as it
// reads, so the grids go in messages of a few megabytes.
const headChunk = 4096

// encodeHead writes the gob messages of a base checkpoint's head: cp
// with its city's grids taken out, the number of grids, then the grids in
// chunks of headChunk. The head is not compressed: gunzipping it was a
// tenth of a scale-50 restart's CPU.
func encodeHead(cp *checkpoint) (*bytes.Buffer, error) {
	c := *cp.City
	c.Grids = nil
	head := *cp
	head.City = &c
	var hb bytes.Buffer
	enc := gob.NewEncoder(&hb)
	if err := enc.Encode(&head); err != nil {
		return nil, err
	}
	grids := cp.City.Grids
	if err := enc.Encode(len(grids)); err != nil {
		return nil, err
	}
	for len(grids) > 0 {
		n := min(len(grids), headChunk)
		if err := enc.Encode(grids[:n]); err != nil {
			return nil, err
		}
		grids = grids[n:]
	}
	return &hb, nil
}

// gzipMagic starts a gzip stream: the heads of the first format-3
// checkpoints were gzipped (a gob stream never starts so).
var gzipMagic = []byte{0x1f, 0x8b}

// decodeHead decodes the head encodeHead wrote, or a gzipped one.
func decodeHead(head []byte) (*checkpoint, error) {
	br := bytes.NewReader(head)
	if !bytes.HasPrefix(head, gzipMagic) {
		cp, err := decodeHeadGob(br, len(head))
		if err == nil && br.Len() != 0 {
			err = fmt.Errorf("%w: checkpoint: %d bytes after the head's messages", store.ErrCorrupt, br.Len())
		}
		return cp, err
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", store.ErrCorrupt, err)
	}
	cp, err := decodeHeadGob(zr, len(head))
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", store.ErrCorrupt, err)
	}
	return cp, nil
}

// decodeHeadGob reads the head's gob messages from r (size bytes at most).
func decodeHeadGob(r io.Reader, size int) (*checkpoint, error) {
	dec := gob.NewDecoder(r)
	var cp checkpoint
	var n int
	if err := dec.Decode(&cp); err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %v", store.ErrCorrupt, err)
	}
	if err := dec.Decode(&n); err != nil || cp.City == nil || n < 0 {
		return nil, fmt.Errorf("%w: checkpoint: the head's grid count %d: %v", store.ErrCorrupt, n, err)
	}
	grids := make([]*geo.Grid, 0, min(n, size))
	for len(grids) < n {
		var chunk []*geo.Grid
		if err := dec.Decode(&chunk); err != nil || len(chunk) == 0 || len(chunk) > n-len(grids) {
			return nil, fmt.Errorf("%w: checkpoint: grids %d of %d: %v", store.ErrCorrupt, len(grids), n, err)
		}
		grids = append(grids, chunk...)
	}
	cp.City.Grids = grids
	return &cp, nil
}

// readGeometry reads the grids', units' and streets' geometry columns
// into c, whose features the head holds without it.
func readGeometry(r *colReader, c *geo.City) error {
	for _, g := range c.Grids {
		if g == nil {
			return fmt.Errorf("%w: checkpoint: a nil grid", store.ErrCorrupt)
		}
	}
	for _, u := range c.Units {
		if u == nil {
			return fmt.Errorf("%w: checkpoint: a nil unit", store.ErrCorrupt)
		}
	}
	for _, s := range c.Streets {
		if s == nil {
			return fmt.Errorf("%w: checkpoint: a nil street", store.ErrCorrupt)
		}
	}
	grids, err := readMultiPolygons(r, len(c.Grids), "grid geometry")
	if err != nil {
		return err
	}
	units, err := readMultiPolygons(r, len(c.Units), "unit geometry")
	if err != nil {
		return err
	}
	lines, err := readLineStrings(r, len(c.Streets), "street")
	if err != nil {
		return err
	}
	for i, g := range c.Grids {
		g.Geometry = grids[i]
	}
	for i, u := range c.Units {
		u.Geometry = units[i]
	}
	for i, s := range c.Streets {
		s.Line = lines[i]
	}
	return nil
}

// stripGrids returns shallow copies of gs without their geometry.
func stripGrids(gs []*geo.Grid) []*geo.Grid {
	out := make([]*geo.Grid, len(gs))
	block := make([]geo.Grid, len(gs))
	for i, g := range gs {
		block[i] = *g
		block[i].Geometry = nil
		out[i] = &block[i]
	}
	return out
}

// stripUnits returns shallow copies of us without their geometry.
func stripUnits(us []*geo.Unit) []*geo.Unit {
	out := make([]*geo.Unit, len(us))
	for i, u := range us {
		c := *u
		c.Geometry = nil
		out[i] = &c
	}
	return out
}

// stripStreets returns shallow copies of ss without their lines.
func stripStreets(ss []*geo.Street) []*geo.Street {
	out := make([]*geo.Street, len(ss))
	for i, s := range ss {
		c := *s
		c.Line = nil
		out[i] = &c
	}
	return out
}

func gridGeometry(gs []*geo.Grid) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(gs))
	for i, g := range gs {
		out[i] = g.Geometry
	}
	return out
}

func unitGeometry(us []*geo.Unit) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(us))
	for i, u := range us {
		out[i] = u.Geometry
	}
	return out
}

func streetLines(ss []*geo.Street) []orb.LineString {
	out := make([]orb.LineString, len(ss))
	for i, s := range ss {
		out[i] = s.Line
	}
	return out
}

// isBase reports whether data is a format-3 base checkpoint.
func isBase(data []byte) bool { return bytes.HasPrefix(data, baseMagic) }
