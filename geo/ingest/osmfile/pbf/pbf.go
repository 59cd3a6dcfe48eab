// Package pbf decodes OpenStreetMap .osm.pbf files synchronously, with
// every length and index checked, for files from outside.
//
// It replaces the decoder of github.com/paulmach/osm/osmpbf, which decodes
// in worker goroutines and panics on some malformed blocks (plain nodes,
// string indexes out of range) where no caller can recover. It reads
// dense and plain nodes, ways and relations (metadata is skipped) from raw
// or zlib blobs; lzma, lz4 and zstd blobs and required features other than
// OsmSchema-V0.6 and DenseNodes are refused with an error.
package pbf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/osm"
	"google.golang.org/protobuf/encoding/protowire"
)

// Limits of the .osm.pbf format (OSM wiki, PBF Format): a BlobHeader is
// under 64 KiB, a Blob and its uncompressed content under 32 MiB.
const (
	maxBlobHeader = 64 << 10
	maxBlob       = 32 << 20
)

// Read decodes an .osm.pbf stream, calling emit for every node, way and
// relation in file order; an error from emit stops it and is returned.
// The *osm.Node passed to emit is reused for the next dense node: emit
// copies what it keeps. A fault in the file is an error giving the byte
// offset of its block.
func Read(r io.Reader, emit func(osm.Object) error) error {
	var offset int64
	var lenBuf [4]byte
	for {
		if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("block at byte %d: reading its header length: %w", offset, err)
		}
		n := binary.BigEndian.Uint32(lenBuf[:])
		if n > maxBlobHeader {
			return fmt.Errorf("block at byte %d: header of %d bytes is over the format's 64 KiB limit: not an .osm.pbf file or corrupt", offset, n)
		}
		kind, size, err := readBlobHeader(r, int(n))
		if err != nil {
			return fmt.Errorf("block at byte %d: %w", offset, err)
		}
		data, err := readBlob(r, size)
		if err != nil {
			return fmt.Errorf("block at byte %d: %w", offset, err)
		}
		switch kind {
		case "OSMHeader":
			err = checkHeader(data)
		case "OSMData":
			err = decodeBlock(data, emit)
		}
		if err != nil {
			return fmt.Errorf("block at byte %d: %w", offset, err)
		}
		offset += 4 + int64(n) + int64(size)
	}
}

func readBlobHeader(r io.Reader, n int) (kind string, size int, err error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", 0, fmt.Errorf("file is truncated in a block header: %w", err)
	}
	size = -1
	err = eachField(b, func(num protowire.Number, v []byte, x uint64) error {
		switch num {
		case 1:
			kind = string(v)
		case 3:
			size = int(x)
		}
		return nil
	})
	if err != nil {
		return "", 0, err
	}
	if size < 0 || size > maxBlob {
		return "", 0, fmt.Errorf("block header declares a blob of %d bytes (at most 32 MiB)", size)
	}
	return kind, size, nil
}

// readBlob reads a Blob of size bytes and returns its uncompressed
// content (raw or zlib; other compressions are refused).
func readBlob(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("file is truncated in a blob: %w", err)
	}
	var raw, zdata []byte
	rawSize := -1
	var other protowire.Number
	err := eachField(b, func(num protowire.Number, v []byte, x uint64) error {
		switch num {
		case 1:
			raw = v
		case 2:
			rawSize = int(x)
		case 3:
			zdata = v
		case 4, 5, 6, 7:
			other = num
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case raw != nil:
		return raw, nil
	case zdata != nil:
		return inflate(zdata, rawSize)
	case other != 0:
		return nil, fmt.Errorf("blob uses compression %s, which this reader does not support (raw and zlib only)", map[protowire.Number]string{4: "lzma", 5: "bzip2", 6: "lz4", 7: "zstd"}[other])
	}
	return nil, errors.New("blob has no data")
}

func inflate(z []byte, rawSize int) ([]byte, error) {
	if rawSize < 0 || rawSize > maxBlob {
		return nil, fmt.Errorf("blob declares %d uncompressed bytes (at most 32 MiB)", rawSize)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("blob's zlib data: %w", err)
	}
	out := make([]byte, rawSize)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, fmt.Errorf("blob's zlib data is shorter than its declared %d bytes: %w", rawSize, err)
	}
	return out, nil
}

// checkHeader refuses files that require features this reader lacks.
func checkHeader(b []byte) error {
	return eachField(b, func(num protowire.Number, v []byte, _ uint64) error {
		if num != 4 {
			return nil
		}
		switch f := string(v); f {
		case "OsmSchema-V0.6", "DenseNodes":
			return nil
		default:
			return fmt.Errorf("file requires the feature %q, which this reader does not support", f)
		}
	})
}

// eachField calls f for each field of a protobuf message: v is the payload
// of a length-delimited field, x the value of a varint or fixed field.
func eachField(b []byte, f func(num protowire.Number, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		case protowire.Fixed32Type:
			var y uint32
			y, n = protowire.ConsumeFixed32(b)
			x = uint64(y)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
		}
		b = b[n:]
		if err := f(num, v, x); err != nil {
			return err
		}
	}
	return nil
}

// packed decodes a packed repeated varint field.
func packed(v []byte) ([]uint64, error) {
	out := make([]uint64, 0, len(v)/2)
	for len(v) > 0 {
		x, n := protowire.ConsumeVarint(v)
		if n < 0 {
			return nil, fmt.Errorf("malformed packed field: %w", protowire.ParseError(n))
		}
		out = append(out, x)
		v = v[n:]
	}
	return out, nil
}

// deltas decodes a packed, delta-coded sint64 field.
func deltas(v []byte) ([]int64, error) {
	xs, err := packed(v)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(xs))
	var acc int64
	for i, x := range xs {
		acc += protowire.DecodeZigZag(x)
		out[i] = acc
	}
	return out, nil
}
