package wire

import (
	"bytes"
	"iter"
	"strings"
)

// The CSV dialect of the bulk streams (lookup and geocode, over HTTP and
// in gridmap geocode) is RFC 4180 with lazy quotes:
//
//   - a quote opens a quoted field only at the start of a field; anywhere
//     else it is an ordinary character (5" screen);
//   - a quoted field ends at a quote followed by a comma, a line end or the
//     end of the input; a doubled quote inside it is one quote, and any
//     other quote inside it is an ordinary character;
//   - a quoted field may hold commas and line breaks;
//   - a record ends at LF, CRLF or a bare CR;
//   - a quoted field still open after MaxRecordBytes, or at the end of the
//     input, is unterminated: its record ends at its first line end, is
//     answered with an error, and the next line is the next record.

// A FieldSpan is one CSV field's bytes in its record, quotes included.
type FieldSpan struct {
	Start, End int32 // the field's bytes in its record
	Quoted     bool  // it starts with a quote
	// dirty marks a field whose bytes are not canonical CSV: an ordinary
	// quote in it, or a quoted field left open. Such a record is echoed
	// re-encoded so the output stays valid CSV.
	Dirty bool
}

// Value returns the field's text with the surrounding quotes removed
// (doubled quotes are left doubled: numbers never hold them).
func (f FieldSpan) Value(rec []byte) []byte {
	b := rec[f.Start:f.End]
	if f.Quoted && len(b) >= 2 && b[len(b)-1] == '"' {
		return b[1 : len(b)-1]
	}
	if f.Quoted && len(b) >= 1 {
		return b[1:]
	}
	return b
}

// Text returns the field's text: without its surrounding quotes and with
// doubled quotes undoubled.
func (f FieldSpan) Text(rec []byte) []byte {
	b := f.Value(rec)
	if !f.Quoted || bytes.IndexByte(b, '"') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte(`""`), []byte(`"`))
}

// quotedEnd returns the index just past the quote closing the quoted field
// whose opening quote is at b[i]; closed is false if the field is still
// open at the end of b.
func quotedEnd(b []byte, i int) (end int, closed, dirty bool) {
	for j := i + 1; ; {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return len(b), false, true
		}
		j += k + 1
		if j == len(b) {
			return j, true, dirty
		}
		switch b[j] {
		case '"':
			j++
		case ',', '\n', '\r':
			return j, true, dirty
		default:
			dirty = true
		}
	}
}

// A recState says how a record scan ended.
type recState uint8

const (
	recDone    recState = iota // the record ends at a line end in the input
	recOpen                    // no line end yet
	recInQuote                 // a quoted field is open at the end of the input
)

// csvRecordEnd finds the end of the record starting at off: end excludes
// the line end, next is where the following record starts. A CR at the
// very end of b is not yet a line end: an LF may follow.
func csvRecordEnd(b []byte, off int) (end, next int, st recState) {
	fieldStart := true
	for i := off; i < len(b); i++ {
		switch b[i] {
		case '"':
			if !fieldStart {
				continue
			}
			j, closed, _ := quotedEnd(b, i)
			if !closed {
				return len(b), len(b), recInQuote
			}
			i, fieldStart = j-1, false
			continue
		case ',':
			fieldStart = true
			continue
		case '\n':
			return i, i + 1, recDone
		case '\r':
			switch {
			case i+1 == len(b):
				return len(b), len(b), recOpen
			case b[i+1] == '\n':
				return i, i + 2, recDone
			default:
				return i, i + 1, recDone
			}
		}
		fieldStart = false
	}
	return len(b), len(b), recOpen
}

// NextCSVRecord finds the record at off in a buffer of whole records (a
// chunk, or the input's end): end excludes the line end; unterminated
// reports a quoted field left open, whose record then ends at its first
// line end.
func NextCSVRecord(b []byte, off int) (end, next int, unterminated bool) {
	end, next, st := csvRecordEnd(b, off)
	if st == recInQuote {
		end, next, _ = LineEnd(b, off)
		return end, next, true
	}
	return end, next, false
}

// SplitCSVRecords returns the length of buf's complete CSV records: all of
// buf at EOF, otherwise up to the last line end outside quotes. A record
// whose quoted field is still open more than maxRec bytes after its start
// is complete at its first line end (it is unterminated).
func SplitCSVRecords(buf []byte, atEOF bool, maxRec int) int {
	if atEOF {
		return len(buf)
	}
	if bytes.IndexByte(buf, '"') < 0 {
		return SplitLines(buf, false)
	}
	cut := 0
	for off := 0; off < len(buf); {
		_, next, st := csvRecordEnd(buf, off)
		if st == recInQuote && len(buf)-off > maxRec {
			var ok bool
			if _, next, ok = LineEnd(buf, off); !ok {
				break
			}
			if next == off {
				break
			}
			st = recDone
		}
		if st != recDone {
			break
		}
		cut, off = next, next
	}
	return cut
}

// SplitCSVFields appends the fields of a record; ok is false for an
// unterminated quoted field.
func SplitCSVFields(rec []byte, spans []FieldSpan) ([]FieldSpan, bool) {
	ok := true
	i := 0
	for {
		start := i
		quoted := i < len(rec) && rec[i] == '"'
		dirty := false
		if quoted {
			var closed bool
			i, closed, dirty = quotedEnd(rec, i)
			ok = ok && closed
		}
		j := bytes.IndexByte(rec[i:], ',')
		end := len(rec)
		if j >= 0 {
			end = i + j
		}
		if !quoted && bytes.IndexByte(rec[start:end], '"') >= 0 {
			dirty = true
		}
		spans = append(spans, FieldSpan{int32(start), int32(end), quoted, dirty})
		if j < 0 {
			return spans, ok
		}
		i = end + 1
	}
}

// AnyDirty reports whether a field must be re-encoded to echo rec.
func AnyDirty(spans []FieldSpan) bool {
	for _, f := range spans {
		if f.Dirty {
			return true
		}
	}
	return false
}

// AppendCanonicalCSV appends the first n fields of rec (all if n < 0)
// re-encoded as canonical CSV: each field's text, quoted where needed.
func AppendCanonicalCSV(b, rec []byte, spans []FieldSpan, n int) []byte {
	if n < 0 || n > len(spans) {
		n = len(spans)
	}
	for i, f := range spans[:n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendCSVField(b, string(f.Text(rec)))
	}
	return b
}

// AppendCSVField appends s as one CSV field, quoted if it holds a comma,
// quote or line break.
func AppendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// A Record is one CSV record's place in a buffer of whole records: its
// bytes are b[Start:End], without the line end.
type Record struct {
	Start, End int
	// Unterminated marks a quoted field left open: the record then ends
	// at its first line end.
	Unterminated bool
}

// Records yields the non-empty records of b, a buffer of whole records
// (SplitCSVRecords' cut, or the input's end).
func Records(b []byte) iter.Seq[Record] {
	quoted := bytes.IndexByte(b, '"') >= 0
	return func(yield func(Record) bool) {
		for off := 0; off < len(b); {
			var r Record
			var next int
			if quoted {
				r.End, next, r.Unterminated = NextCSVRecord(b, off)
			} else {
				r.End, next, _ = LineEnd(b, off)
			}
			if r.End > off && b[r.End-1] == '\r' {
				r.End--
			}
			r.Start = off
			if r.End > off && !yield(r) {
				return
			}
			off = next
		}
	}
}

// RecordEnd finds the end of the record starting at off: end excludes
// the line end, next is where the following record starts. done is false
// while the record may go on past the end of b (no line end outside
// quotes yet, or only a CR at the very end, which an LF may follow).
func RecordEnd(b []byte, off int) (end, next int, done bool) {
	end, next, st := csvRecordEnd(b, off)
	return end, next, st == recDone
}
