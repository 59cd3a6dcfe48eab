package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A table is a set of entries sorted by code, so that the codes starting
// with a prefix are one run, with (for a large table) an index of the
// characters and character pairs of their folded names.
type table struct {
	entries []Entry
	// grams maps each character and each pair of adjacent characters of
	// an entry's name or official name to the entries holding it, in
	// ascending order; nil for a table that is scanned instead.
	grams map[gram][]int32
}

// A gram is one character (unigram) or two adjacent characters (bigram)
// of a folded name.
type gram uint64

func unigram(r rune) gram          { return gram(1<<63 | uint64(uint32(r))) }
func bigram(a, b rune) gram        { return gram(uint64(uint32(a))<<32 | uint64(uint32(b))) }
func byCode(a, b Entry) int        { return strings.Compare(a.Code, b.Code) }
func codeOf(e Entry, q string) int { return strings.Compare(e.Code, q) }

// newTable sorts entries by code and, when indexed, indexes their names.
func newTable(entries []Entry, indexed bool) *table {
	slices.SortFunc(entries, byCode)
	t := &table{entries: entries}
	if indexed {
		t.grams = indexGrams(entries)
	}
	return t
}

// indexGrams returns the posting list of every gram of the entries'
// names, all cut from one array.
func indexGrams(entries []Entry) map[gram][]int32 {
	counts := make(map[gram]int32)
	var buf []gram
	total := 0
	for i := range entries {
		buf = entryGrams(buf[:0], &entries[i])
		for _, g := range buf {
			counts[g]++
		}
		total += len(buf)
	}
	flat := make([]int32, total)
	grams := make(map[gram][]int32, len(counts))
	off := int32(0)
	for g, n := range counts {
		grams[g] = flat[off : off : off+n]
		off += n
	}
	for i := range entries {
		buf = entryGrams(buf[:0], &entries[i])
		for _, g := range buf {
			grams[g] = append(grams[g], int32(i))
		}
	}
	return grams
}

// entryGrams appends the distinct grams of e's name and official name.
func entryGrams(buf []gram, e *Entry) []gram {
	buf = appendGrams(buf, e.name)
	if e.full != e.name {
		buf = appendGrams(buf, e.full)
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// appendGrams appends the characters and adjacent pairs of s.
func appendGrams(buf []gram, s string) []gram {
	prev := rune(-1)
	for _, r := range s {
		buf = append(buf, unigram(r))
		if prev >= 0 {
			buf = append(buf, bigram(prev, r))
		}
		prev = r
	}
	return buf
}

// candidates returns the entries that can match q by name: those holding
// q's character (for one character) or q's rarest pair. It reports false
// when every entry must be tried instead (no index, or q empty or not
// valid UTF-8, which could match inside a character).
func (t *table) candidates(q string) ([]int32, bool) {
	if t.grams == nil || q == "" || !utf8.ValidString(q) {
		return nil, false
	}
	first, size := utf8.DecodeRuneInString(q)
	if size == len(q) {
		return t.grams[unigram(first)], true
	}
	var best []int32
	prev, found := first, false
	for _, r := range q[size:] {
		p := t.grams[bigram(prev, r)]
		if len(p) == 0 {
			return nil, true
		}
		if !found || len(p) < len(best) {
			best, found = p, true
		}
		prev = r
	}
	return best, true
}

// search appends to hits the entries matching q whose codes are not in
// dead, each once with its best class, in no particular order.
func (t *table) search(q string, dead map[string]struct{}, hits []Hit) []Hit {
	live := func(i int32) bool {
		_, gone := dead[t.entries[i].Code]
		return !gone
	}
	codes := t.codeMatches(q)
	name := func(i int32) {
		e := &t.entries[i]
		m := min(matchName(e.name, q), matchName(e.full, q))
		if c, ok := codes[i]; ok {
			codes[i] = min(c, m)
		} else if m != none && live(i) {
			hits = append(hits, Hit{Entry: e, Class: m})
		}
	}
	if cand, ok := t.candidates(q); ok {
		for _, i := range cand {
			name(i)
		}
	} else {
		for i := range t.entries {
			name(int32(i))
		}
	}
	for i, c := range codes {
		if live(i) {
			hits = append(hits, Hit{Entry: &t.entries[i], Class: c})
		}
	}
	return hits
}

// codeMatches returns the entries whose code starts with q (exact when
// equal) and the unit whose significant digits are q, or nil when q is
// not all digits.
func (t *table) codeMatches(q string) map[int32]Class {
	if !isDigits(q) {
		return nil
	}
	codes := make(map[int32]Class)
	start, _ := slices.BinarySearchFunc(t.entries, q, codeOf)
	for i := start; i < len(t.entries) && strings.HasPrefix(t.entries[i].Code, q); i++ {
		if t.entries[i].Code == q {
			codes[int32(i)] = Exact
		} else {
			codes[int32(i)] = Prefix
		}
	}
	if i, ok := t.byShort(q); ok {
		codes[int32(i)] = Exact
	}
	return codes
}

// byShort finds the unit whose significant digits are q ("520201" for
// 520201000000).
func (t *table) byShort(q string) (int, bool) {
	switch len(q) {
	case 4, 6, 9:
	default:
		return 0, false
	}
	full := q + strings.Repeat("0", 12-len(q))
	i, ok := slices.BinarySearchFunc(t.entries, full, codeOf)
	return i, ok && t.entries[i].short == q
}

// find returns the entry with code, or nil.
func (t *table) find(code string) *Entry {
	if i, ok := slices.BinarySearchFunc(t.entries, code, codeOf); ok {
		return &t.entries[i]
	}
	return nil
}
