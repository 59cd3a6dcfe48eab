package crs

import (
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want CRS
		err  bool
	}{
		{"empty is WGS84", "", WGS84, false},
		{"wgs84", "wgs84", WGS84, false},
		{"upper case", "WGS84", WGS84, false},
		{"hyphen", "WGS-84", WGS84, false},
		{"spaces", "  wgs84 ", WGS84, false},
		{"epsg 4326", "EPSG:4326", WGS84, false},
		{"cgcs2000", "cgcs2000", CGCS2000, false},
		{"epsg 4490", "epsg:4490", CGCS2000, false},
		{"gcj02", "gcj02", GCJ02, false},
		{"gcj-02", "GCJ-02", GCJ02, false},
		{"bd09", "bd09", BD09, false},
		{"bd09ll", "BD09LL", BD09, false},
		{"bd-09", "bd-09", BD09, false},
		{"unknown", "mercator", WGS84, true},
		{"epsg 3857", "epsg:3857", WGS84, true},
		{"inner space", "gcj 02", WGS84, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if tc.err {
				if !errors.Is(err, ErrUnknownCRS) {
					t.Fatalf("Parse(%q) error = %v, want ErrUnknownCRS", tc.in, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Parse(%q) = %v, %v, want %v, nil", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseErrorClipsLongInput(t *testing.T) {
	long := strings.Repeat("坐标", 100)
	_, err := Parse(long)
	if err == nil || len(err.Error()) > 120 {
		t.Fatalf("Parse(long) error = %q (len %d), want a short error", err, len(err.Error()))
	}
}

func TestStringRoundTrip(t *testing.T) {
	for c := WGS84; c <= BD09; c++ {
		got, err := Parse(c.String())
		if err != nil || got != c {
			t.Errorf("Parse(%q) = %v, %v, want %v", c.String(), got, err, c)
		}
		if !c.Valid() {
			t.Errorf("%v.Valid() = false, want true", c)
		}
	}
	if got, want := CRS(9).String(), "crs(9)"; got != want {
		t.Errorf("CRS(9).String() = %q, want %q", got, want)
	}
	if CRS(9).Valid() {
		t.Errorf("CRS(9).Valid() = true, want false")
	}
}

func TestIdentitySystems(t *testing.T) {
	p := orb.Point{104.8304, 26.5925}
	for _, c := range []CRS{WGS84, CGCS2000, CRS(200)} {
		if got := ToWGS84(c, p); got != p {
			t.Errorf("ToWGS84(%v, %v) = %v, want unchanged", c, p, got)
		}
		if got := FromWGS84(c, p); got != p {
			t.Errorf("FromWGS84(%v, %v) = %v, want unchanged", c, p, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "wgs84", "GCJ-02", "bd09ll", "epsg:4490", "\xff", "  x  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownCRS) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrUnknownCRS", s, err)
			}
			return
		}
		if !c.Valid() {
			t.Fatalf("Parse(%q) = %v, not a valid CRS", s, c)
		}
		if again, err := Parse(c.String()); err != nil || again != c {
			t.Fatalf("Parse(%q) = %v, %v, want %v", c.String(), again, err, c)
		}
	})
}
