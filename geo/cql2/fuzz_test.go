package cql2

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that every failure is an
// *Error inside the text, and that what parses prints as text that parses
// to the same expression and compiles or fails cleanly.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"households > 450", "code = '5202' AND NOT (name LIKE '%x_')", "a IN (1, 2, 3)",
		"a BETWEEN 1 AND 2", "a IS NOT NULL", "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))",
		"S_WITHIN(geometry, BBOX(1, 2, 3, 4))", "S_CONTAINS(MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))), geometry)",
		"S_DISJOINT(geometry, MULTILINESTRING((0 0, 1 1)))", `"x y" <> -1.5e3`, "TRUE OR ((FALSE))",
		"name = 'it''s'", "S_INTERSECTS(geometry, MULTIPOINT((1 2), (3 4)))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			pe, ok := err.(*Error)
			if !ok {
				t.Fatalf("Parse(%q) error %T %v, want *Error", src, err, err)
			}
			if pe.Pos < 0 || pe.Pos > len(src) || pe.Char < 1 || pe.Char > utf8.RuneCountInString(src)+1 {
				t.Fatalf("Parse(%q) error position %d (char %d) outside the text", src, pe.Pos, pe.Char)
			}
			return
		}
		text := e.String()
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", src, text, err)
		}
		if again.String() != text {
			t.Fatalf("Parse(%q): %q reprints as %q", src, text, again.String())
		}
		if err := Check(src, e, testQueryables); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Check(%q) error %T", src, err)
			}
			return
		}
		m, err := Compile(src, e)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Compile(%q) error %T", src, err)
			}
			return
		}
		m.Match(grid)
		m.Match(feat{})
	})
}
