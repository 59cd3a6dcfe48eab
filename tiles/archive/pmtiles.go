package archive

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/klauspost/compress/gzip"
)

// The PMTiles v3 layout constants.
const (
	pmHeaderLen = 127
	// pmRootMax is the most the header and root directory may take, so a
	// reader's first 16 KiB request holds both.
	pmRootMax   = 16384 - pmHeaderLen
	pmTileMVT   = 1
	pmFirstLeaf = 4096
)

// A dirEntry is one PMTiles directory entry: a run of RunLength tiles
// from TileID sharing the bytes at Offset, or (RunLength 0) a leaf
// directory.
type dirEntry struct {
	TileID    uint64
	Offset    uint64
	Length    uint32
	RunLength uint32
}

// WritePMTiles writes set as a PMTiles v3 archive to w: the header, a
// root directory (with leaf directories when the tiles do not fit in
// it), the metadata, then the tile data in tile id order (clustered),
// identical tiles stored once and runs of them addressed by one entry.
// Directories and metadata are gzip-compressed. It returns the bytes
// written.
func WritePMTiles(w io.Writer, set *Set, md Metadata) (int64, error) {
	entries, order := layoutTiles(set)
	root, leaves, err := buildDirectories(entries)
	if err != nil {
		return 0, err
	}
	mdJSON, err := md.json()
	if err != nil {
		return 0, err
	}
	meta, err := gzipBytes(mdJSON)
	if err != nil {
		return 0, err
	}
	var dataLen uint64
	for _, i := range order {
		dataLen += uint64(len(set.Contents[i]))
	}
	h := pmHeader{md: md, compression: set.Compression, entries: entries, contents: len(order)}
	h.rootOff, h.rootLen = pmHeaderLen, uint64(len(root))
	h.metaOff, h.metaLen = h.rootOff+h.rootLen, uint64(len(meta))
	h.leafOff, h.leafLen = h.metaOff+h.metaLen, uint64(len(leaves))
	h.dataOff, h.dataLen = h.leafOff+h.leafLen, dataLen
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := &countWriter{w: bw}
	for _, part := range [][]byte{h.bytes(), root, meta, leaves} {
		if _, err := cw.Write(part); err != nil {
			return cw.n, fmt.Errorf("writing pmtiles: %w", err)
		}
	}
	for _, i := range order {
		if _, err := cw.Write(set.Contents[i]); err != nil {
			return cw.n, fmt.Errorf("writing pmtiles: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("writing pmtiles: %w", err)
	}
	return cw.n, nil
}

// layoutTiles sorts the set's tiles by tile id, places each distinct
// content at the end of the data section the first time a tile uses it,
// and merges runs of consecutive ids with one content into one entry. It
// returns the entries and the contents in data order.
func layoutTiles(set *Set) ([]dirEntry, []int32) {
	type idTile struct {
		id      uint64
		content int32
	}
	ids := make([]idTile, len(set.Tiles))
	for i, t := range set.Tiles {
		ids[i] = idTile{TileID(uint8(t.Key.Z), t.Key.X, t.Key.Y), t.Content}
	}
	slices.SortFunc(ids, func(a, b idTile) int { return cmp.Compare(a.id, b.id) })
	offsets := make([]int64, len(set.Contents))
	for i := range offsets {
		offsets[i] = -1
	}
	var entries []dirEntry
	var order []int32
	var end uint64
	for _, t := range ids {
		if offsets[t.content] < 0 {
			offsets[t.content] = int64(end)
			end += uint64(len(set.Contents[t.content]))
			order = append(order, t.content)
		}
		off := uint64(offsets[t.content])
		if n := len(entries); n > 0 {
			last := &entries[n-1]
			if last.Offset == off && last.TileID+uint64(last.RunLength) == t.id {
				last.RunLength++
				continue
			}
		}
		entries = append(entries, dirEntry{TileID: t.id, Offset: off, Length: uint32(len(set.Contents[t.content])), RunLength: 1})
	}
	return entries, order
}

// buildDirectories returns the compressed root directory and leaf
// directories of entries: the root alone when it fits in pmRootMax,
// otherwise leaves of a size that grows until the root of leaf entries
// fits.
func buildDirectories(entries []dirEntry) (root, leaves []byte, err error) {
	if root, err = encodeDirectory(entries); err != nil || len(root) <= pmRootMax {
		return root, nil, err
	}
	for size := pmFirstLeaf; ; size += size / 5 {
		var rootEntries []dirEntry
		var buf bytes.Buffer
		for start := 0; start < len(entries); start += size {
			chunk := entries[start:min(start+size, len(entries))]
			leaf, err := encodeDirectory(chunk)
			if err != nil {
				return nil, nil, err
			}
			rootEntries = append(rootEntries, dirEntry{TileID: chunk[0].TileID, Offset: uint64(buf.Len()), Length: uint32(len(leaf))})
			buf.Write(leaf)
		}
		if root, err = encodeDirectory(rootEntries); err != nil {
			return nil, nil, err
		}
		if len(root) <= pmRootMax {
			return root, buf.Bytes(), nil
		}
	}
}

// encodeDirectory serializes entries as the v3 spec says (count, then
// delta-coded ids, run lengths, lengths and offsets as varints, an offset
// of 0 meaning "right after the previous entry") and gzips them.
func encodeDirectory(entries []dirEntry) ([]byte, error) {
	b := binary.AppendUvarint(nil, uint64(len(entries)))
	var last uint64
	for _, e := range entries {
		b = binary.AppendUvarint(b, e.TileID-last)
		last = e.TileID
	}
	for _, e := range entries {
		b = binary.AppendUvarint(b, uint64(e.RunLength))
	}
	for _, e := range entries {
		b = binary.AppendUvarint(b, uint64(e.Length))
	}
	for i, e := range entries {
		if i > 0 && e.Offset == entries[i-1].Offset+uint64(entries[i-1].Length) {
			b = binary.AppendUvarint(b, 0)
		} else {
			b = binary.AppendUvarint(b, e.Offset+1)
		}
	}
	return gzipBytes(b)
}

// gzipBytes compresses b with gzip.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err == nil {
		_, err = w.Write(b)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("compressing a pmtiles directory: %w", err)
	}
	return buf.Bytes(), nil
}

// pmHeader holds what the 127-byte header records.
type pmHeader struct {
	md               Metadata
	compression      Compression
	entries          []dirEntry
	contents         int
	rootOff, rootLen uint64
	metaOff, metaLen uint64
	leafOff, leafLen uint64
	dataOff, dataLen uint64
}

// bytes encodes the header (little-endian, as the spec lays it out).
func (h pmHeader) bytes() []byte {
	b := make([]byte, 0, pmHeaderLen)
	b = append(b, "PMTiles"...)
	b = append(b, 3)
	for _, v := range []uint64{h.rootOff, h.rootLen, h.metaOff, h.metaLen, h.leafOff, h.leafLen, h.dataOff, h.dataLen} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	var addressed uint64
	for _, e := range h.entries {
		addressed += uint64(e.RunLength)
	}
	b = binary.LittleEndian.AppendUint64(b, addressed)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(h.entries)))
	b = binary.LittleEndian.AppendUint64(b, uint64(h.contents))
	b = append(b, 1, byte(Gzip), byte(h.compression), pmTileMVT, uint8(h.md.MinZoom), uint8(h.md.MaxZoom))
	for _, v := range []float64{h.md.Bounds[0], h.md.Bounds[1], h.md.Bounds[2], h.md.Bounds[3]} {
		b = binary.LittleEndian.AppendUint32(b, uint32(e7(v)))
	}
	b = append(b, uint8(math.Round(h.md.Center[2])))
	b = binary.LittleEndian.AppendUint32(b, uint32(e7(h.md.Center[0])))
	b = binary.LittleEndian.AppendUint32(b, uint32(e7(h.md.Center[1])))
	return b
}

// e7 returns degrees times 10^7 as the header stores them.
func e7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
