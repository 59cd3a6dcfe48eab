package cql2

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An Error says where a filter goes wrong and why.
type Error struct {
	// Pos is the byte offset in the text where the problem starts.
	Pos int
	// Char is Pos counted in characters, from 1.
	Char int
	// Msg says what is wrong.
	Msg string
}

// Error returns "at character N: msg".
func (e *Error) Error() string { return fmt.Sprintf("at character %d: %s", e.Char, e.Msg) }

// errAt builds an *Error at byte offset pos of src.
func errAt(src string, pos int, format string, args ...any) *Error {
	pos = min(max(pos, 0), len(src))
	return &Error{Pos: pos, Char: utf8.RuneCountInString(src[:pos]) + 1, Msg: fmt.Sprintf(format, args...)}
}

// A tokKind classifies tokens.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokIdent
	tokQuoted // a double-quoted identifier
	tokString
	tokNumber
	tokLParen
	tokRParen
	tokComma
	tokOp // = <> < <= > >=
)

// A token is one lexeme with its byte offset.
type token struct {
	kind tokKind
	text string // identifier, string contents, number text or operator
	pos  int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the filter"
	case tokString:
		return "string '" + clip(t.text, 30) + "'"
	case tokNumber:
		return "number " + clip(t.text, 30)
	case tokQuoted:
		return `"` + clip(t.text, 30) + `"`
	}
	return "'" + clip(t.text, 30) + "'"
}

// clip shortens s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// lex splits src into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return nil, errAt(src, i, "invalid UTF-8")
		case unicode.IsSpace(r):
			i += size
		case r == '(' || r == ')' || r == ',':
			toks = append(toks, token{kind: punctKind(r), text: string(r), pos: i})
			i++
		case r == '=' || r == '<' || r == '>':
			op := lexOp(src[i:])
			toks = append(toks, token{kind: tokOp, text: op, pos: i})
			i += len(op)
		case r == '\'':
			s, n, err := lexQuoted(src, i, '\'')
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokString, text: s, pos: i})
			i += n
		case r == '"':
			s, n, err := lexQuoted(src, i, '"')
			if err != nil {
				return nil, err
			}
			if s == "" {
				return nil, errAt(src, i, "empty quoted property name")
			}
			toks = append(toks, token{kind: tokQuoted, text: s, pos: i})
			i += n
		case isDigit(r) || r == '.' || r == '-' || r == '+':
			n, err := lexNumber(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokNumber, text: src[i : i+n], pos: i})
			i += n
		case isIdentStart(r):
			n := size
			for i+n < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[i+n:])
				if !isIdentPart(r2) {
					break
				}
				n += s2
			}
			toks = append(toks, token{kind: tokIdent, text: src[i : i+n], pos: i})
			i += n
		default:
			return nil, errAt(src, i, "unexpected character %q", r)
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(src)}), nil
}

// punctKind returns the kind of '(', ')' or ','.
func punctKind(r rune) tokKind {
	switch r {
	case '(':
		return tokLParen
	case ')':
		return tokRParen
	}
	return tokComma
}

// lexOp returns the comparison operator at the start of s.
func lexOp(s string) string {
	for _, op := range []string{"<>", "<=", ">="} {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	return s[:1]
}

// lexQuoted reads a string quoted with q starting at src[i], where a
// doubled quote stands for one; it returns the contents and the length.
func lexQuoted(src string, i int, q byte) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			b.WriteByte(src[j])
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			b.WriteByte(q)
			j++
			continue
		}
		return b.String(), j + 1 - i, nil
	}
	what := "string"
	if q == '"' {
		what = "quoted property name"
	}
	return "", 0, errAt(src, i, "unterminated %s: a closing %c is missing", what, q)
}

// lexNumber returns the length of the number at src[i]: an optional sign,
// digits with an optional fraction, an optional exponent.
func lexNumber(src string, i int) (int, error) {
	j := i
	if src[j] == '-' || src[j] == '+' {
		j++
	}
	digits := 0
	for j < len(src) && isDigit(rune(src[j])) {
		j, digits = j+1, digits+1
	}
	if j < len(src) && src[j] == '.' {
		j++
		for j < len(src) && isDigit(rune(src[j])) {
			j, digits = j+1, digits+1
		}
	}
	if digits == 0 {
		return 0, errAt(src, i, "a number needs digits")
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '-' || src[k] == '+') {
			k++
		}
		exp := 0
		for k < len(src) && isDigit(rune(src[k])) {
			k, exp = k+1, exp+1
		}
		if exp == 0 {
			return 0, errAt(src, j, "an exponent needs digits")
		}
		j = k
	}
	if j < len(src) {
		if r, _ := utf8.DecodeRuneInString(src[j:]); isIdentPart(r) || r == '.' {
			return 0, errAt(src, i, "malformed number %s", clip(src[i:min(len(src), j+1)], 30))
		}
	}
	return j - i, nil
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool {
	return r == '_' || r == '.' || r == ':' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// keywords are the reserved words, upper case.
var keywords = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "LIKE": true, "IN": true, "BETWEEN": true, "IS": true,
	"NULL": true, "TRUE": true, "FALSE": true,
}

func isKeyword(s string) bool { return keywords[strings.ToUpper(s)] }
