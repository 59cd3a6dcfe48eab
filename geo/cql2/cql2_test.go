package cql2

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// feat is a test feature.
type feat struct {
	props map[string]Value
	geom  orb.Geometry
}

func (f feat) Property(name string) Value { return f.props[name] }
func (f feat) Geometry() orb.Geometry     { return f.geom }

var testQueryables = map[string]Kind{
	"households": KindNumber, "code": KindString, "name": KindString, "community": KindString,
	"geometry": KindGeometry, "estate": KindString,
}

// grid is a 0.01-degree square grid with 450 households.
var grid = feat{
	props: map[string]Value{
		"households": Number(450), "code": String("520201011001003"), "name": String("钟环社区第3网格"),
		"community": String("520201011001"),
	},
	geom: orb.MultiPolygon{{{{104.80, 26.59}, {104.81, 26.59}, {104.81, 26.60}, {104.80, 26.60}, {104.80, 26.59}}}},
}

func compile(t *testing.T, src string) *Matcher {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	if err := Check(src, e, testQueryables); err != nil {
		t.Fatalf("Check(%q): %v", src, err)
	}
	m, err := Compile(src, e)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return m
}

func TestMatch(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{"households > 450", false},
		{"households >= 450", true},
		{"households = 450 AND code = '520201011001003'", true},
		{"households <> 450 OR name LIKE '钟环%'", true},
		{"NOT (households < 300)", true},
		{"households BETWEEN 300 AND 500", true},
		{"households NOT BETWEEN 300 AND 500", false},
		{"code IN ('1', '520201011001003')", true},
		{"code NOT IN ('1', '2')", true},
		{"estate IS NULL", true},
		{"estate IS NOT NULL", false},
		{"NOT (estate = 'x')", false}, // unknown stays unknown under NOT
		{"name LIKE '%第_网格'", true},
		{"name LIKE '%第__网格'", false},
		{`"households" > 1e2`, true},
		{"TRUE", true},
		{"false OR households=450", true},
		{"S_INTERSECTS(geometry, POINT(104.805 26.595))", true},
		{"S_INTERSECTS(geometry, POINT(104.905 26.595))", false},
		{"S_DISJOINT(geometry, POINT(104.905 26.595))", true},
		{"S_WITHIN(geometry, BBOX(104.7, 26.5, 104.9, 26.7))", true},
		{"S_CONTAINS(geometry, LINESTRING(104.801 26.591, 104.802 26.592))", true},
		{"S_INTERSECTS(geometry, POLYGON((104.809 26.599, 104.82 26.599, 104.82 26.61, 104.809 26.599)))", true},
		{"S_INTERSECTS(geometry, MULTIPOINT((1 2), (104.8 26.59)))", true},
		{"S_INTERSECTS(geometry, MULTIPOINT(1 2, 3 4))", false},
		{"S_INTERSECTS(geometry, MULTILINESTRING((0 0, 1 1), (104.7 26.595, 104.9 26.595)))", true},
		{"S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))))", false},
		{"s_intersects(geometry, bbox(104.81, 26.60, 105, 27))", true}, // a shared corner intersects
	}
	for _, c := range cases {
		if got := compile(t, c.src).Match(grid); got != c.want {
			t.Errorf("Match(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		src  string
		char int
		msg  string
	}{
		{"", 1, "empty"},
		{"households >", 13, "expected a property or a value"},
		{"households > 450 AND", 21, "expected a property or a value"},
		{"(households > 450", 18, "expected ')'"},
		{"households >> 450", 13, "expected a property or a value"},
		{"name = 'abc", 8, "unterminated string"},
		{"households 450", 12, "expected a comparison"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))", 32, "at least 4 positions"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))", 32, "must end where it starts"},
		{"S_INTERSECTS(geometry, POINT(1 2 3))", 34, "2D"},
		{"S_INTERSECTS(geometry, BBOX(1, 2, 3))", 28, "4 numbers"},
		{"S_CROSSES(geometry, POINT(1 2))", 1, "unknown function"},
		{"name = NULL", 8, "IS NULL"},
		{"households > 1.2.3", 14, "malformed number"},
		{"households ~ 3", 12, "unexpected character"},
		{"households > 450 households", 18, "expected AND, OR"},
		{strings.Repeat("(", 200) + "TRUE" + strings.Repeat(")", 200), 101, "nests deeper"},
	}
	for _, c := range cases {
		_, err := Parse(c.src)
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("Parse(%q) = %v, want an *Error", c.src, err)
			continue
		}
		if e.Char != c.char || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("Parse(%q) = %q at %d, want %q at %d", c.src, e.Msg, e.Char, c.msg, c.char)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	cases := []struct {
		src  string
		char int
		msg  string
	}{
		{"nope = 1", 1, "unknown property nope"},
		{"households = '450'", 14, "is a string but households is a number"},
		{"code = 520201011001003", 8, "is a number but code is a string"},
		{"households LIKE '4%'", 1, "LIKE needs strings"},
		{"geometry = 1", 1, "is a geometry"},
		{"S_INTERSECTS(code, POINT(1 2))", 14, "not a geometry queryable"},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.src, err)
		}
		err = Check(c.src, e, testQueryables)
		ce, ok := err.(*Error)
		if !ok {
			t.Errorf("Check(%q) = %v, want an *Error", c.src, err)
			continue
		}
		if ce.Char != c.char || !strings.Contains(ce.Msg, c.msg) {
			t.Errorf("Check(%q) = %q at %d, want %q at %d", c.src, ce.Msg, ce.Char, c.msg, c.char)
		}
	}
}

func TestCompileInvalidLiteral(t *testing.T) {
	src := "S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))"
	e, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(src, e)
	if ce, ok := err.(*Error); !ok || ce.Char != 24 || !strings.Contains(ce.Msg, "invalid geometry") {
		t.Errorf("Compile(bow-tie) = %v, want an invalid geometry at character 24", err)
	}
}

// TestStringRoundTrip checks that String gives text that parses to the
// same expression.
func TestStringRoundTrip(t *testing.T) {
	for _, src := range []string{
		"households > 450 AND NOT (code = 'a''b' OR name LIKE '%x')",
		"households NOT BETWEEN -1 AND 2.5e3 OR code NOT IN ('a', 'b') OR estate IS NOT NULL",
		"S_WITHIN(geometry, BBOX(1, 2, 3, 4)) AND S_DISJOINT(MULTIPOINT(1 2, 3 4), geometry)",
		`"and" = TRUE`,
	} {
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		again, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(String(%q) = %q): %v", src, e.String(), err)
		}
		if again.String() != e.String() {
			t.Errorf("round trip of %q: %q then %q", src, e.String(), again.String())
		}
	}
}

func TestSearchBound(t *testing.T) {
	e, _ := Parse("households > 1 AND S_INTERSECTS(geometry, BBOX(1, 2, 3, 4))")
	if b, ok := SearchBound(e); !ok || b != (orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}) {
		t.Errorf("SearchBound = %v %v, want [1 2]-[3 4]", b, ok)
	}
	e, _ = Parse("households > 1 OR S_INTERSECTS(geometry, BBOX(1, 2, 3, 4))")
	if _, ok := SearchBound(e); ok {
		t.Errorf("SearchBound of an OR with a non-spatial side gave a bound")
	}
}

func TestLike(t *testing.T) {
	cases := []struct {
		s, pat string
		want   bool
	}{
		{"abc", "abc", true}, {"abc", "a%", true}, {"abc", "%c", true}, {"abc", "%b%", true},
		{"abc", "a_c", true}, {"abc", "a_", false}, {"a%c", `a\%c`, true}, {"abc", `a\%c`, false},
		{"", "%", true}, {"", "_", false}, {"aXbXc", "a%b%c", true}, {"钟环社区", "钟_社区", true},
	}
	for _, c := range cases {
		if got := like(c.s, c.pat); got != c.want {
			t.Errorf("like(%q, %q) = %v, want %v", c.s, c.pat, got, c.want)
		}
	}
}
