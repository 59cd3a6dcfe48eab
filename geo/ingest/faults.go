package ingest

import (
	"fmt"
	"strings"
)

// MaxListed is how many faults the message of an error that refuses data
// for all its faults spells out (ListFaults); the rest are counted.
const MaxListed = 20

// ListFaults returns the message of an error that refuses data whole for
// n faults, text(i) being fault i: "head: n noun(s); fault; ...; and k
// more", the first MaxListed spelled out. cityio's ValidationError and
// importer's FaultError read this way.
func ListFaults(head error, noun string, n int, text func(i int) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s(s)", head, n, noun)
	for i := range min(n, MaxListed) {
		b.WriteString("; ")
		b.WriteString(text(i))
	}
	if n > MaxListed {
		fmt.Fprintf(&b, "; and %d more", n-MaxListed)
	}
	return b.String()
}
