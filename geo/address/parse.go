package address

import (
	"strconv"
	"sync"
)

// defaultTrie is the gazetteer Parse uses: the province, the city and its
// county-level units. It is built once, on first use, and never changed.
var defaultTrie = sync.OnceValue(builtinTrie)

// Parse normalises s and splits it into parts. It knows the province, the
// city and its county-level units by name (full or short, 钟山 = 钟山区);
// everything else it places by suffix (街道, 社区, 路, 小区) and by order.
// The compact form 12-3-1001 after a door number is building-unit-room;
// 3F, 3楼 and 3层 are floors; 501室 and a bare 501 after the unit are
// rooms. What it cannot place is kept in Rest. Parse never fails; an Index
// parses with the names of its snapshot as well.
func Parse(s string) Parts {
	rs := []rune(Normalize(s))
	g := defaultTrie()
	return assemble(rs, tokenize(rs, g), g).parts
}

// A parsed address: its parts and the tokens the matcher needs.
type parsed struct {
	parts   Parts
	rs      []rune
	toks    []token
	levels  []level // per token: the level a name token was read as
	roadTok int     // the token holding the road, -1 if none
	doorTok int     // the token holding the door number, -1 if none
}

// An assembler places tokens into parts in address order.
type assembler struct {
	g   *trie
	rs  []rune
	out parsed
	cur level
	// skip is a token already placed with the one before it.
	skip int
	// roadAt is the token just before the first door number, which is the
	// road whatever else its name could mean; -1 if none.
	roadAt int
}

// assemble places the tokens of rs into parts.
func assemble(rs []rune, toks []token, g *trie) parsed {
	a := assembler{g: g, rs: rs, out: parsed{rs: rs, toks: toks, levels: make([]level, len(toks)), roadTok: -1, doorTok: -1},
		skip: -1, roadAt: roadBeforeDoor(rs, toks, g)}
	for k := range toks {
		if k != a.skip {
			a.place(k)
		}
	}
	return a.out
}

// roadBeforeDoor returns the token just before the first door number (12号,
// or a bare or compact number after a road name) when it is a road name or
// an unknown word that does not end like an estate (凉都花园3号 is building
// 3 of an estate); -1 otherwise. 康乐南路叶郎中路16号 has its road
// second: the first name is the community 康乐南路社区 written bare.
func roadBeforeDoor(rs []rune, toks []token, g *trie) int {
	for k := 1; k < len(toks); k++ {
		p := toks[k-1]
		roadName := p.kind == tokName && g.entry(p.entry).has(levelRoad)
		switch toks[k].kind {
		case tokDoor:
			if p.kind == tokWord && !isEstateEnding(rs[p.end-1]) || roadName {
				return k - 1
			}
			return -1
		case tokNumber, tokCompact:
			if roadName {
				return k - 1
			}
		}
	}
	return -1
}

// beforeNumber reports whether the token after k is a number.
func (a *assembler) beforeNumber(k int) bool {
	if k+1 >= len(a.out.toks) {
		return false
	}
	switch a.out.toks[k+1].kind {
	case tokDoor, tokNumber, tokCompact:
		return true
	}
	return false
}

// place puts token k into its part.
func (a *assembler) place(k int) {
	t := a.out.toks[k]
	p := &a.out.parts
	switch t.kind {
	case tokName:
		e := a.g.entry(t.entry)
		l := chooseLevel(e, a.cur, a.beforeNumber(k), k < a.roadAt)
		if l != levelNone && l <= a.cur && a.mergeWord(k) {
			return
		}
		if k == a.roadAt && e.has(levelRoad) {
			l = levelRoad
			a.freeRoad()
		}
		a.out.levels[k] = l
		a.setLevel(k, l, e.nameAt(l))
	case tokWord:
		w := a.rs[t.start:t.end]
		if k == a.roadAt {
			a.freeRoad()
		}
		for _, pc := range segmentWord(w, a.cur, a.out.parts.Road == "", a.beforeNumber(k)) {
			a.setLevel(k, pc.lvl, string(w[pc.start:pc.end]))
		}
	case tokDoor:
		if !a.mergeName(k) {
			a.placeDoor(k, t.num)
		}
	case tokNumber:
		if !a.mergeName(k) {
			a.placeBare(k, t.num)
		}
	case tokBuilding:
		a.setLevel(k, levelBuilding, t.text)
	case tokUnit:
		a.setNumber(&p.Unit, t.num, levelUnit)
	case tokFloor:
		a.setNumber(&p.Floor, t.num, levelFloor)
	case tokRoom:
		a.setLevel(k, levelRoom, strconv.Itoa(t.num))
	case tokCompact:
		a.placeCompact(k, t.nums)
	}
}

// mergeWord reads name token k, whose levels are all behind the address
// already, together with the unknown word right after it as one word:
// 钟山尚城 after 人民中路12号 is an estate, not the district 钟山 again
// and an estate 尚城. It reports whether it did.
func (a *assembler) mergeWord(k int) bool {
	t := a.out.toks[k]
	if k+1 >= len(a.out.toks) {
		return false
	}
	next := a.out.toks[k+1]
	if next.kind != tokWord || next.start != t.end {
		return false
	}
	w := a.rs[t.start:next.end]
	for _, pc := range segmentWord(w, a.cur, a.out.parts.Road == "", a.beforeNumber(k+1)) {
		a.setLevel(k, pc.lvl, string(w[pc.start:pc.end]))
	}
	a.skip = k + 1
	return true
}

// freeRoad empties the road part for the road before the door, sending a
// road read earlier to Rest.
func (a *assembler) freeRoad() {
	p := &a.out.parts
	if p.Road != "" {
		p.Rest = append(p.Rest, p.Road)
		p.Road, a.out.roadTok = "", -1
	}
}

// setLevel stores text at level l (Rest for levelNone) and moves on.
func (a *assembler) setLevel(k int, l level, text string) {
	if l == levelNone {
		a.out.parts.Rest = append(a.out.parts.Rest, text)
		return
	}
	if a.out.parts.set(l, text) {
		if l == levelRoad {
			a.out.roadTok = k
		}
		a.cur = max(a.cur, l)
	}
}

func (a *assembler) setNumber(f *int, v int, l level) {
	if *f != 0 || v == 0 {
		a.out.parts.Rest = append(a.out.parts.Rest, strconv.Itoa(v))
		return
	}
	*f = v
	a.cur = max(a.cur, l)
}

// mergeName reads number token k and the unknown word right after it as
// one name when the word ends a subdistrict, community or road there:
// 7号点社区 is a community, not door 7 and 点社区.
func (a *assembler) mergeName(k int) bool {
	t := a.out.toks[k]
	if k+1 >= len(a.out.toks) {
		return false
	}
	next := a.out.toks[k+1]
	if next.kind != tokWord || next.start != t.end {
		return false
	}
	w := a.rs[t.start:next.end]
	pcs := segmentWord(w, a.cur, a.out.parts.Road == "", a.beforeNumber(k+1))
	switch pcs[0].lvl {
	case levelSubdistrict, levelCommunity, levelRoad:
	default:
		return false
	}
	tail := pcs[0].end - (t.end - t.start)
	if pcs[0].lvl <= a.cur || tail < 1 || tail > 4 {
		return false
	}
	for _, pc := range pcs {
		a.setLevel(k, pc.lvl, string(w[pc.start:pc.end]))
	}
	a.skip = k + 1
	return true
}

// placeDoor places N号: the door number, or after one, a building
// (凉都花园3号).
func (a *assembler) placeDoor(k, v int) {
	p := &a.out.parts
	switch {
	case p.Number == 0 && (a.cur <= levelDoor || a.out.roadTok == k-1 && k > 0):
		p.Number, a.out.doorTok, a.cur = v, k, max(a.cur, levelDoor)
	case p.Building == "" && a.cur <= levelEstate:
		a.setLevel(k, levelBuilding, strconv.Itoa(v))
	default:
		p.Rest = append(p.Rest, strconv.Itoa(v)+"号")
	}
}

// placeBare places a number with no word: the door after a road, the
// building after an estate, otherwise the room.
func (a *assembler) placeBare(k, v int) {
	p := &a.out.parts
	switch {
	case p.Number == 0 && (a.cur == levelRoad || a.out.roadTok == k-1 && k > 0):
		p.Number, a.out.doorTok, a.cur = v, k, max(a.cur, levelDoor)
	case p.Building == "" && a.cur == levelEstate && v < 1000:
		a.setLevel(k, levelBuilding, strconv.Itoa(v))
	case p.Room == "" && a.cur >= levelDoor:
		a.setLevel(k, levelRoom, strconv.Itoa(v))
	default:
		p.Rest = append(p.Rest, strconv.Itoa(v))
	}
}

// placeCompact places 12-3-501: building-unit-room, or after a road with
// no door number yet, door-building-unit-room.
func (a *assembler) placeCompact(k int, nums []int) {
	p := &a.out.parts
	if p.Number == 0 && (a.cur == levelRoad || a.out.roadTok == k-1 && k > 0) {
		p.Number, a.out.doorTok, a.cur = nums[0], k, max(a.cur, levelDoor)
		nums = nums[1:]
	}
	if p.Building == "" && len(nums) > 0 {
		a.setLevel(k, levelBuilding, strconv.Itoa(nums[0]))
		nums = nums[1:]
	}
	switch {
	case len(nums) == 2:
		a.setNumber(&p.Unit, nums[0], levelUnit)
		a.setLevel(k, levelRoom, strconv.Itoa(nums[1]))
	case len(nums) == 1 && nums[0] >= 100:
		a.setLevel(k, levelRoom, strconv.Itoa(nums[0]))
	case len(nums) == 1:
		a.setNumber(&p.Unit, nums[0], levelUnit)
	}
}

// nameLevels are the levels a gazetteer name may take, in address order.
var nameLevels = [...]level{levelProvince, levelCity, levelDistrict, levelSubdistrict, levelCommunity, levelRoad, levelEstate}

// chooseLevel picks the meaning of a name in context: a road before a
// number; otherwise the first full meaning below cur, then the first short
// one, then the first of all. notRoad says the road comes later, so the
// name is read as something else if it can be.
func chooseLevel(e *entry, cur level, beforeNumber, notRoad bool) level {
	if beforeNumber && e.has(levelRoad) {
		return levelRoad
	}
	for _, l := range nameLevels {
		if l > cur && e.strongAt(l) && !(notRoad && l == levelRoad) {
			return l
		}
	}
	for _, l := range nameLevels {
		if l > cur && e.has(l) && !(notRoad && l == levelRoad) {
			return l
		}
	}
	for _, l := range nameLevels {
		if e.has(l) {
			return l
		}
	}
	return levelNone
}
