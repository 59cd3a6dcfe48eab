package archive

import (
	"errors"
	"testing"
)

func TestParseBound(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"city", "104.8,26.5,105,26.7", true},
		{"spaces", " 104.8, 26.5 ,105,26.7", true},
		{"point box", "105,26,105,26", true},
		{"three numbers", "104,26,105", false},
		{"not a number", "104,26,east,27", false},
		{"NaN", "NaN,26,105,27", false},
		{"infinite", "104,26,Inf,27", false},
		{"longitude out of range", "-181,26,105,27", false},
		{"latitude beyond mercator", "104,-86,105,27", false},
		{"inverted", "105,26,104,27", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseBound(c.in)
			if (err == nil) != c.ok {
				t.Errorf("ParseBound(%q) error %v, want ok %v", c.in, err, c.ok)
			}
			if err != nil && !errors.Is(err, ErrBadBound) {
				t.Errorf("ParseBound(%q) error %v is not ErrBadBound", c.in, err)
			}
		})
	}
}

// FuzzParseBound checks that any text parses to a valid box or fails
// with ErrBadBound, never panicking.
func FuzzParseBound(f *testing.F) {
	for _, s := range []string{"104.8,26.5,105,26.7", "1e308,0,0,0", ",,,", "-0,-0,0,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBound(s)
		if err != nil {
			if !errors.Is(err, ErrBadBound) {
				t.Fatalf("ParseBound(%q) error %v is not ErrBadBound", s, err)
			}
			return
		}
		if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] || b.Min[1] < -maxLat || b.Max[1] > maxLat {
			t.Fatalf("ParseBound(%q) = %v, not a valid box", s, b)
		}
	})
}
