package wire

import (
	"bytes"
	"slices"
	"testing"
)

// lines returns the trimmed non-blank lines of b, as Lines yields them.
func lines(b []byte) []string {
	var out []string
	for start, end := range Lines(b) {
		out = append(out, string(b[start:end]))
	}
	return out
}

// records returns the records of b, as Records yields them.
func records(b []byte) []string {
	var out []string
	for r := range Records(b) {
		out = append(out, string(b[r.Start:r.End]))
	}
	return out
}

func TestLines(t *testing.T) {
	in := []byte(" {\"a\":1} \r\n\n\t[1,2]\r\"x\"\r\n  \n{}")
	want := []string{`{"a":1}`, "[1,2]", `"x"`, "{}"}
	if got := lines(in); !slices.Equal(got, want) {
		t.Errorf("Lines(%q) = %q, want %q", in, got, want)
	}
}

func TestRecords(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"plain", "a,b\r\n1,2\n\n3,4\r5,6", []string{"a,b", "1,2", "3,4", "5,6"}},
		{"quoted line break", "a,\"x\ny\"\n1,2\n", []string{"a,\"x\ny\"", "1,2"}},
		{"stray quote", "5\" screen,1\n2,3\n", []string{"5\" screen,1", "2,3"}},
		{"unterminated", "a,\"open\n1,2\n", []string{"a,\"open", "1,2"}},
	}
	for _, c := range cases {
		if got := records([]byte(c.in)); !slices.Equal(got, c.want) {
			t.Errorf("%s: Records(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// FuzzSplitters checks the chunk splitters of the bulk streams: wherever
// the input is cut (at k bytes read), the whole lines or records before
// SplitLines' or SplitCSVRecords' cut and those after it are the lines
// or records of the whole input; and Lines agrees with splitting at
// every CR and LF.
func FuzzSplitters(f *testing.F) {
	for _, s := range []string{"lon,lat\n104.805,26.595\n", "id,\"lat\",lon\r\n1,26.5,104.8\r\n\r\n2,\"a\nb\",x\n",
		"lon,lat\n\"104.8\"\"\",1\n\"unterminated", "{\"a\":1}\r\n\r[1,2]\n \n", "a\r"} {
		f.Add([]byte(s), uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, b []byte, k uint16) {
		n := min(int(k), len(b))
		var want []string
		for _, l := range bytes.FieldsFunc(b, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if l = bytes.Trim(l, " \t"); len(l) > 0 {
				want = append(want, string(l))
			}
		}
		if got := lines(b); !slices.Equal(got, want) {
			t.Fatalf("Lines(%q) = %q, want %q", b, got, want)
		}
		cut := SplitLines(b[:n], false)
		if got := append(lines(b[:cut]), lines(b[cut:])...); cut > n || !slices.Equal(got, want) {
			t.Fatalf("SplitLines(%q) = %d: lines %q, want %q", b[:n], cut, got, want)
		}
		cut = SplitCSVRecords(b[:n], false, len(b)+1)
		whole := records(b)
		if got := append(records(b[:cut]), records(b[cut:])...); cut > n || !slices.Equal(got, whole) {
			t.Fatalf("SplitCSVRecords(%q) = %d: records %q, want %q", b[:n], cut, got, whole)
		}
	})
}
