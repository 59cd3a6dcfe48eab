package wire

import (
	"bytes"
	"iter"
)

// LineEnd finds the first line end (LF, CRLF or CR) at or after off,
// ignoring quotes: where an unterminated record or an NDJSON line ends. ok
// is false if there is none, or only a CR at the very end of b (an LF may
// follow); end is then len(b) or that CR.
func LineEnd(b []byte, off int) (end, next int, ok bool) {
	seg := b[off:]
	n := bytes.IndexByte(seg, '\n')
	if n >= 0 {
		seg = seg[:n]
	}
	r := bytes.IndexByte(seg, '\r')
	switch {
	case r >= 0 && n >= 0 && r == n-1:
		return off + r, off + n + 1, true
	case r >= 0 && off+r+1 == len(b):
		return off + r, len(b), false
	case r >= 0:
		return off + r, off + r + 1, true
	case n >= 0:
		return off + n, off + n + 1, true
	}
	return len(b), len(b), false
}

// SplitLines returns the length of buf's complete lines: all of buf at
// EOF, otherwise up to the last LF, or the last CR not at the very end.
func SplitLines(buf []byte, atEOF bool) int {
	if atEOF {
		return len(buf)
	}
	nl := bytes.LastIndexByte(buf, '\n')
	cr := bytes.LastIndexByte(buf, '\r')
	if cr >= 0 && cr == len(buf)-1 {
		cr = bytes.LastIndexByte(buf[:cr], '\r')
	}
	return max(nl, cr) + 1
}

// Lines yields the non-blank lines of b, a buffer of whole lines
// (SplitLines' cut, or the input's end), as [start, end) offsets with JSON
// white space trimmed from both ends: the lines of an NDJSON stream.
func Lines(b []byte) iter.Seq2[int, int] {
	return func(yield func(start, end int) bool) {
		for off := 0; off < len(b); {
			end, next, _ := LineEnd(b, off)
			start := off
			for start < end && isSpace(b[start]) {
				start++
			}
			for end > start && isSpace(b[end-1]) {
				end--
			}
			if end > start && !yield(start, end) {
				return
			}
			off = next
		}
	}
}

// isSpace reports whether c is JSON white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// BOM is the UTF-8 byte order mark some tools write before a CSV or JSON
// text; the readers drop it and the CSV exports write it (spreadsheets
// then read the text as UTF-8).
const BOM = "\xef\xbb\xbf"
