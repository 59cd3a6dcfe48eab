package shapefile

import (
	"encoding/binary"
	"fmt"

	"github.com/gridmap/gridmap/geo/ingest"
)

// A span locates one record's content (after its 8-byte header) in the
// .shp file.
type span struct {
	off, n int64
}

// spans finds the records of shp: through the .shx index when there is one
// and every entry agrees with the .shp (inside the file, same content
// length as the record header there), else by walking the .shp from its
// header. A malformed .shx is an error; a well-formed one that disagrees
// with the .shp (as after an edit by a tool that left the index stale) is
// ignored in favour of the walk. shpName and shxName are for messages.
func spans(shp, shx []byte, shpName, shxName string) ([]span, error) {
	h, err := parseHeader(shp)
	if err != nil {
		return nil, ingest.Errorf(shpName, 0, "%v", err)
	}
	if h.length > int64(len(shp)) {
		return nil, ingest.Errorf(shpName, 0, "file is truncated: its header declares %d bytes, the file has %d", h.length, len(shp))
	}
	shp = shp[:h.length]
	if shx != nil {
		idx, err := fromIndex(shp, shx)
		if err != nil {
			return nil, ingest.Errorf(shxName, 0, "%v", err)
		}
		if idx != nil {
			return idx, nil
		}
	}
	s, err := walk(shp)
	if err != nil {
		return nil, ingest.Errorf(shpName, 0, "%v", err)
	}
	return s, nil
}

// fromIndex reads the .shx entries; nil, nil when they disagree with shp.
func fromIndex(shp, shx []byte) ([]span, error) {
	if _, err := parseHeader(shx); err != nil {
		return nil, err
	}
	body := int64(len(shx) - headerLen)
	if body%shxEntry != 0 {
		return nil, fmt.Errorf("index is truncated: %d bytes after the header is not a whole number of 8-byte entries", body)
	}
	n := body / shxEntry
	out := make([]span, n)
	for i := range out {
		e := shx[headerLen+shxEntry*i:]
		off := int64(binary.BigEndian.Uint32(e)) * 2
		cl := int64(binary.BigEndian.Uint32(e[4:])) * 2
		if off < headerLen || off+recordHdr+cl > int64(len(shp)) {
			return nil, nil
		}
		if int64(binary.BigEndian.Uint32(shp[off+4:]))*2 != cl {
			return nil, nil
		}
		out[i] = span{off: off + recordHdr, n: cl}
	}
	return out, nil
}

// walk reads the record headers of shp one after another.
func walk(shp []byte) ([]span, error) {
	var out []span
	size := int64(len(shp))
	for off := int64(headerLen); off < size; {
		if off+recordHdr > size {
			return nil, fmt.Errorf("record %d at byte %d: file is truncated inside the record header", len(out)+1, off)
		}
		cl := int64(binary.BigEndian.Uint32(shp[off+4:])) * 2
		if off+recordHdr+cl > size {
			return nil, fmt.Errorf("record %d at byte %d declares %d bytes of content, beyond the end of the file (%d bytes): file is truncated or corrupt", len(out)+1, off, cl, size)
		}
		out = append(out, span{off: off + recordHdr, n: cl})
		off += recordHdr + cl
	}
	return out, nil
}
