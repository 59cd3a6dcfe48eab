package shapefile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A field is one column of a .dbf table.
type field struct {
	rawName []byte // as stored, NUL-trimmed, in the table's encoding
	typ     byte
	off     int // offset inside the record (after the deletion flag)
	width   int
}

// A table is a parsed .dbf header with its record bytes.
type table struct {
	ldid    byte
	fields  []field
	records int
	recLen  int
	data    []byte // the records, records*recLen bytes
}

// parseDBF reads a dBase III/IV header: record count, header and record
// lengths, the language driver id (byte 29) and the 32-byte field
// descriptors up to the 0x0D terminator. Every length is checked against
// the file's size before anything is allocated from it.
func parseDBF(b []byte) (*table, error) {
	if len(b) < 32 {
		return nil, fmt.Errorf("file is %d bytes, shorter than the 32-byte dBase header", len(b))
	}
	if b[0] == 0x04 || b[0] == 0x8C {
		return nil, fmt.Errorf("dBase 7 tables (version byte 0x%02X) are not supported: save as dBase III or IV", b[0])
	}
	t := &table{
		ldid:    b[29],
		records: int(binary.LittleEndian.Uint32(b[4:])),
	}
	hdrLen := int(binary.LittleEndian.Uint16(b[8:]))
	t.recLen = int(binary.LittleEndian.Uint16(b[10:]))
	if hdrLen < 33 || hdrLen > len(b) {
		return nil, fmt.Errorf("header length %d is outside the file (%d bytes)", hdrLen, len(b))
	}
	if err := t.parseFields(b[32:hdrLen]); err != nil {
		return nil, err
	}
	if t.records < 0 || int64(t.records)*int64(t.recLen) > int64(len(b)-hdrLen) {
		return nil, fmt.Errorf("header declares %d records of %d bytes, more than the file's %d bytes after its header hold: file is truncated or its record count is wrong",
			t.records, t.recLen, len(b)-hdrLen)
	}
	t.data = b[hdrLen : hdrLen+t.records*t.recLen]
	return t, nil
}

// parseFields reads the field descriptors in d (the header after its
// first 32 bytes).
func (t *table) parseFields(d []byte) error {
	off := 1 // the deletion flag
	for i := 0; ; i++ {
		if len(d) == 0 || d[0] == 0x0D {
			break
		}
		if len(d) < 32 {
			return fmt.Errorf("field descriptor %d is cut short by the end of the header", i+1)
		}
		raw := d[:11]
		if j := bytes.IndexByte(raw, 0); j >= 0 {
			raw = raw[:j]
		}
		f := field{rawName: bytes.TrimSpace(raw), typ: d[11], off: off, width: int(d[16])}
		if f.typ == 'C' {
			// dBase stores character widths above 255 in the decimals byte.
			f.width += int(d[17]) << 8
		}
		switch f.typ {
		case 'C', 'N', 'F', 'L', 'D', 'M':
		default:
			return fmt.Errorf("field %q has type %q, which this reader does not support (C, N, F, L, D, M)", raw, f.typ)
		}
		t.fields = append(t.fields, f)
		off += f.width
		d = d[32:]
	}
	if off > t.recLen {
		return fmt.Errorf("fields span %d bytes, more than the record length %d", off, t.recLen)
	}
	return nil
}

// record returns the bytes of record i (0-based) and whether it is
// marked deleted ('*').
func (t *table) record(i int) ([]byte, bool) {
	r := t.data[i*t.recLen : (i+1)*t.recLen]
	return r, r[0] == '*'
}

// value returns field f's raw bytes in record r, trimmed of spaces and
// NULs on both sides (GDAL's shapelib trims spaces the same way).
func (f *field) value(r []byte) []byte {
	return bytes.Trim(r[f.off:f.off+f.width], " \x00")
}

// formatValue turns the trimmed raw bytes of a non-text field into the
// text the Feature contract wants: numbers in their shortest decimal form,
// logicals as "true"/"false", dates as YYYY-MM-DD, memos and nulls as "".
// A value that does not fit its type (a number with a decimal comma, a
// date in another layout) is passed on as its trimmed text, for the
// pipeline to judge where the column matters, rather than dropped or
// failing an unrelated column.
func formatValue(typ byte, v []byte) string {
	switch typ {
	case 'N', 'F':
		return formatNumber(string(v))
	case 'L':
		if len(v) == 1 {
			switch v[0] {
			case 'T', 't', 'Y', 'y':
				return "true"
			case 'F', 'f', 'N', 'n':
				return "false"
			case '?':
				return ""
			}
		}
		return string(v)
	case 'D':
		return formatDate(string(v))
	}
	// M: the value is a block number in a .dbt file, which is not read.
	return ""
}

// formatNumber gives a numeric field's shortest form; blank or all-star
// (overflow) values are null, as in GDAL.
func formatNumber(s string) string {
	if s == "" || strings.Trim(s, "*") == "" {
		return ""
	}
	if !strings.ContainsAny(s, ".eE") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	if f == 0 {
		f = 0 // no "-0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// formatDate turns YYYYMMDD into YYYY-MM-DD; blank or zero dates are null.
func formatDate(s string) string {
	if s == "" || strings.Trim(s, "0") == "" {
		return ""
	}
	if len(s) != 8 {
		return s
	}
	for i := 0; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}
