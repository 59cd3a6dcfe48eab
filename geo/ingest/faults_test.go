package ingest

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestListFaults(t *testing.T) {
	head := errors.New("x: refused")
	text := func(i int) string { return "f" + strconv.Itoa(i) }
	cases := []struct {
		name string
		n    int
		want string
	}{
		{name: "none", n: 0, want: "x: refused: 0 fault(s)"},
		{name: "two", n: 2, want: "x: refused: 2 fault(s); f0; f1"},
		{name: "all listed", n: MaxListed, want: "x: refused: 20 fault(s); f0; f1; f2; f3; f4; f5; f6; f7; f8; f9; f10; f11; f12; f13; f14; f15; f16; f17; f18; f19"},
		{name: "more counted", n: MaxListed + 3, want: "x: refused: 23 fault(s); f0; f1; f2; f3; f4; f5; f6; f7; f8; f9; f10; f11; f12; f13; f14; f15; f16; f17; f18; f19; and 3 more"},
	}
	for _, c := range cases {
		if got := ListFaults(head, "fault", c.n, text); got != c.want {
			t.Errorf("%s: ListFaults(%d) = %q, want %q", c.name, c.n, got, c.want)
		}
		if strings.Count(ListFaults(head, "fault", c.n, text), "; f") > MaxListed {
			t.Errorf("%s: more than MaxListed faults spelled out", c.name)
		}
	}
}
