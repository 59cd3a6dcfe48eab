package address

import (
	"slices"
)

// uncoveredCost is added to a fuzzy match for each rune of the query left
// before the part that matched, so that a name explaining the whole query
// wins over a shorter one explaining its end (云风中路: 云峰中路, not 中山路).
const uncoveredCost = 0.3

// A fuzzyName is one distinct road or estate name with the roads or
// estates (one per district) that carry it.
type fuzzyName struct {
	name     []rune
	sounds   []sound // readings of each rune
	distinct int     // distinct runes in name
	lvl      level   // levelRoad or levelEstate
	ids      []int32
}

// A fuzzyIndex finds names within a small edit distance of a misspelt one.
// A posting list per character narrows the names to those sharing most
// characters before distances are computed; homophones cost less than
// other edits (see soundTable).
type fuzzyIndex struct {
	names   []fuzzyName
	posting map[rune][]int32
	sounds  soundTable
}

// A fuzzyHit is a name near the query: its edit distance, and its rank
// (the distance plus the cost of the query left uncovered).
type fuzzyHit struct {
	name   int32
	dist   float64
	rank   float64
	window int // how many runes at the end of the query matched
}

func newFuzzyIndex(roads []road, estates []estate) *fuzzyIndex {
	f := &fuzzyIndex{posting: make(map[rune][]int32), sounds: soundTable{}}
	byName := make(map[string]int32)
	add := func(name string, lvl level, id int32) {
		n := Normalize(name)
		key := string(rune('0'+lvl)) + n
		fi, ok := byName[key]
		if !ok {
			fi = int32(len(f.names))
			byName[key] = fi
			rs := []rune(n)
			f.names = append(f.names, fuzzyName{name: rs, sounds: f.sounds.learn(rs), lvl: lvl})
			for i, c := range rs {
				if !slices.Contains(rs[:i], c) {
					f.posting[c] = append(f.posting[c], fi)
					f.names[fi].distinct++
				}
			}
		}
		f.names[fi].ids = append(f.names[fi].ids, id)
	}
	for i, rd := range roads {
		add(rd.name, levelRoad, int32(i))
	}
	for i, es := range estates {
		add(es.name, levelEstate, int32(i))
	}
	return f
}

// maxEdits returns the edit distance allowed for a name of n runes: none
// below three runes, one up to five, two from six.
func maxEdits(n int) float64 {
	switch {
	case n < 3:
		return 0
	case n < 6:
		return 1
	}
	return 2
}

// lookup returns the names of level lvl that end q within their allowed
// edit distance, best first. q is the text just before a door number (for
// roads) or a piece read as an estate, so names are compared with the end
// of q.
func (f *fuzzyIndex) lookup(q []rune, lvl level) []fuzzyHit {
	if len(q) < 2 {
		return nil
	}
	if len(q) > 24 {
		q = q[len(q)-24:]
	}
	counts := f.count(q, lvl)
	qr := make([]sound, len(q))
	for i, c := range q {
		qr[i] = f.sounds.readings(c)
	}
	var hits []fuzzyHit
	for fi, n := range counts {
		fn := &f.names[fi]
		allowed := maxEdits(len(fn.name))
		if allowed == 0 || float64(n) < float64(fn.distinct)-allowed {
			continue
		}
		if h, ok := f.match(q, qr, fi, allowed); ok {
			hits = append(hits, h)
		}
	}
	slices.SortFunc(hits, func(a, b fuzzyHit) int {
		switch {
		case a.rank < b.rank:
			return -1
		case a.rank > b.rank:
			return 1
		}
		return int(a.name - b.name)
	})
	return hits
}

// count returns, for each name of level lvl sharing a rune with q, how
// many distinct runes of q it has.
func (f *fuzzyIndex) count(q []rune, lvl level) map[int32]int {
	counts := make(map[int32]int, 64)
	for i, c := range q {
		if slices.Contains(q[:i], c) {
			continue
		}
		for _, fi := range f.posting[c] {
			if f.names[fi].lvl == lvl {
				counts[fi]++
			}
		}
	}
	return counts
}

// match compares name fi with the last len(name)-1 to len(name)+1 runes of
// q (whose readings are qr) and keeps the best window within the allowed
// distance.
func (f *fuzzyIndex) match(q []rune, qr []sound, fi int32, allowed float64) (fuzzyHit, bool) {
	fn := &f.names[fi]
	name := fn.name
	best, found := fuzzyHit{name: fi}, false
	for l := len(name) - 1; l <= len(name)+1; l++ {
		if l < 2 || l > len(q) {
			continue
		}
		d := distance(name, q[len(q)-l:], fn.sounds, qr[len(q)-l:])
		if d > allowed+1e-9 || d == 0 {
			continue
		}
		rank := d + uncoveredCost*float64(len(q)-l)
		if !found || rank < best.rank {
			best, found = fuzzyHit{name: fi, dist: d, rank: rank, window: l}, true
		}
	}
	return best, found
}
