package address

import "github.com/gridmap/gridmap/geo"

// A ref is one meaning of a gazetteer name: a unit (by code) or a road or
// estate (by index in the Index's tables).
type ref struct {
	lvl  level
	weak bool   // a short form (钟山 for 钟山区, 钟环 for 钟环社区)
	name string // the canonical name shown in Parts (钟山区 for 钟山)
	code geo.DivisionCode
	id   int32
}

// An entry is a name of the gazetteer with all its meanings.
type entry struct {
	refs []ref
}

// nameAt returns the canonical name of the entry's first meaning at l.
func (e *entry) nameAt(l level) string {
	for _, r := range e.refs {
		if r.lvl == l {
			return r.name
		}
	}
	return ""
}

// has reports whether the entry has a meaning at level l.
func (e *entry) has(l level) bool {
	for _, r := range e.refs {
		if r.lvl == l {
			return true
		}
	}
	return false
}

// strongAt reports whether the entry has a full (not short) meaning at l.
func (e *entry) strongAt(l level) bool {
	for _, r := range e.refs {
		if r.lvl == l && !r.weak {
			return true
		}
	}
	return false
}

// A trie finds the longest known name at a position of a normalised
// address. Edges live in one map keyed by (node, rune).
type trie struct {
	edges   map[uint64]int32
	entries []int32 // per node: the entry index, or -1
	names   []entry
}

func newTrie() *trie {
	return &trie{edges: make(map[uint64]int32), entries: []int32{-1}}
}

func edgeKey(node int32, c rune) uint64 { return uint64(node)<<32 | uint64(uint32(c)) }

// add records name (already normalised) with one of its meanings.
func (t *trie) add(name []rune, rf ref) {
	if len(name) < 2 {
		return
	}
	node := int32(0)
	for _, c := range name {
		next, ok := t.edges[edgeKey(node, c)]
		if !ok {
			next = int32(len(t.entries))
			t.entries = append(t.entries, -1)
			t.edges[edgeKey(node, c)] = next
		}
		node = next
	}
	ei := t.entries[node]
	if ei < 0 {
		ei = int32(len(t.names))
		t.names = append(t.names, entry{})
		t.entries[node] = ei
	}
	e := &t.names[ei]
	for _, old := range e.refs {
		if old == rf {
			return
		}
	}
	e.refs = append(e.refs, rf)
}

// A nameMatch is a known name found at a position: where it ends and its
// entry.
type nameMatch struct {
	end int
	ei  int32
}

// matches appends to buf every name starting at rs[i], shortest first.
func (t *trie) matches(rs []rune, i int, buf []nameMatch) []nameMatch {
	node := int32(0)
	for j := i; j < len(rs); j++ {
		next, found := t.edges[edgeKey(node, rs[j])]
		if !found {
			break
		}
		node = next
		if t.entries[node] >= 0 {
			buf = append(buf, nameMatch{end: j + 1, ei: t.entries[node]})
		}
	}
	return buf
}

// entry returns the entry with index ei.
func (t *trie) entry(ei int32) *entry { return &t.names[ei] }

// builtinTrie holds the names every Liupanshui address may start with: the
// province, the city and its four county-level units, full and short. Parse
// uses it when there is no Index.
func builtinTrie() *trie {
	t := newTrie()
	add := func(name, canonical string, l level, weak bool, code geo.DivisionCode) {
		t.add([]rune(Normalize(name)), ref{lvl: l, weak: weak, name: canonical, code: code})
	}
	add("贵州省", "贵州省", levelProvince, false, 520000000000)
	add("贵州", "贵州省", levelProvince, true, 520000000000)
	add("六盘水市", "六盘水市", levelCity, false, 520200000000)
	add("六盘水", "六盘水市", levelCity, true, 520200000000)
	for _, d := range []struct {
		full, short string
		code        geo.DivisionCode
	}{
		{"钟山区", "钟山", 520201000000},
		{"六枝特区", "六枝", 520203000000},
		{"水城区", "水城", 520204000000},
		{"盘州市", "盘州", 520281000000},
	} {
		add(d.full, d.full, levelDistrict, false, d.code)
		add(d.short, d.full, levelDistrict, true, d.code)
	}
	return t
}
