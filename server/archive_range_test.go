package server

import "testing"

// TestParseRange checks the byte ranges the archive route answers.
func TestParseRange(t *testing.T) {
	cases := []struct {
		h               string
		first, last     int64
		ok, satisfiable bool
	}{
		{"bytes=0-9", 0, 9, true, true},
		{"bytes=5-", 5, 99, true, true},
		{"bytes=-10", 90, 99, true, true},
		{"bytes=-1000", 0, 99, true, true},
		{"bytes=90-500", 90, 99, true, true},
		{"bytes=100-", 0, 0, true, false},
		{"bytes=-0", 0, 0, true, false},
		{"bytes=9-5", 0, 0, false, false},
		{"bytes=0-1,3-4", 0, 0, false, false},
		{"items=0-9", 0, 0, false, false},
		{"bytes=x-9", 0, 0, false, false},
		{"", 0, 0, false, false},
	}
	for _, c := range cases {
		first, last, ok, sat := parseRange(c.h, 100)
		if ok != c.ok || sat != c.satisfiable || (sat && (first != c.first || last != c.last)) {
			t.Errorf("parseRange(%q, 100) = %d, %d, %v, %v; want %d, %d, %v, %v", c.h, first, last, ok, sat, c.first, c.last, c.ok, c.satisfiable)
		}
	}
}

// FuzzParseRange checks that any Range header gives a range inside the
// body or none, never a panic.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-9", "bytes=-5", "bytes=7-", "bytes=--1", "bytes=9223372036854775807-"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
		}
		first, last, _, sat := parseRange(h, size)
		if sat && (first < 0 || last < first || last >= size) {
			t.Fatalf("parseRange(%q, %d) = %d-%d, outside the body", h, size, first, last)
		}
	})
}
