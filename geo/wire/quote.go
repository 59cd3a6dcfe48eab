package wire

import (
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string literal: quotes, backslashes
// and control characters escaped, U+2028 and U+2029 escaped (for
// JavaScript), and each byte that is not UTF-8 written as U+FFFD, as
// encoding/json writes it (but <, > and & as they are).
func AppendString(b []byte, s string) []byte {
	if utf8.ValidString(s) && strings.IndexByte(s, 0xE2) < 0 {
		return appendPlainString(b, s)
	}
	return appendEscapedString(b, s)
}

// appendPlainString writes s, valid UTF-8 without U+2028 or U+2029 (no
// 0xE2 byte): only ASCII needs escaping, and runs of other bytes are
// copied whole.
func appendPlainString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			b = appendASCII(append(b, s[start:i]...), c)
			start = i + 1
		}
	}
	return append(append(b, s[start:]...), '"')
}

// appendEscapedString writes any s, rune by rune.
func appendEscapedString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendASCII(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// appendASCII writes one ASCII byte of a JSON string, escaped as needed.
func appendASCII(b []byte, c byte) []byte {
	switch {
	case c == '"' || c == '\\':
		return append(b, '\\', c)
	case c == '\n':
		return append(b, '\\', 'n')
	case c == '\r':
		return append(b, '\\', 'r')
	case c == '\t':
		return append(b, '\\', 't')
	case c < 0x20:
		return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, c)
}
