package address

// evidence is what an address says, in the index's terms: the units it
// names, the roads and estates it may mean, the door and building numbers.
type evidence struct {
	pr       *parsed
	admin    []mention // unit names: their district, subdistrict and community meanings
	roads    []hit     // road meanings: exact first, then misspelt
	estates  []hit     // estate meanings
	number   int
	building string
	unknown  int  // unplaced pieces of two or more runes
	fuzzy    bool // roads were looked up by edit distance
}

// A mention is a unit name of the address: its meanings and the rune
// offset where it starts.
type mention struct {
	refs  []ref
	start int
}

// A hit is a road or estate the address may mean, dist edits away from
// what it says (0 for an exact name). A misspelt name read from the text
// before a door number starts at rune offset from; -1 for others.
type hit struct {
	id   int32
	dist float64
	from int
}

// gather collects the evidence of a parsed address.
func (x *Index) gather(pr *parsed) evidence {
	ev := evidence{pr: pr, number: pr.parts.Number, building: pr.parts.Building}
	for k, t := range pr.toks {
		if t.kind != tokName {
			continue
		}
		e := x.names.entry(t.entry)
		l := pr.levels[k]
		var units []ref
		for _, rf := range e.refs {
			switch {
			case rf.lvl >= levelDistrict && rf.lvl <= levelCommunity && l != levelRoad:
				units = append(units, rf)
			case rf.lvl == levelRoad && l == levelRoad:
				ev.roads = appendHit(ev.roads, hit{id: rf.id, from: -1})
			case rf.lvl == levelEstate && l != levelRoad:
				ev.estates = appendHit(ev.estates, hit{id: rf.id, from: -1})
			}
		}
		if len(units) > 0 {
			ev.admin = append(ev.admin, mention{refs: units, start: t.start})
		}
	}
	for _, r := range pr.parts.Rest {
		if len([]rune(r)) >= 2 {
			ev.unknown++
		}
	}
	return ev
}

// appendHit adds h unless its id is already there.
func appendHit(hs []hit, h hit) []hit {
	for _, o := range hs {
		if o.id == h.id {
			return hs
		}
	}
	return append(hs, h)
}

// addFuzzyRoads looks the road up by edit distance: the text just before
// the door number, or the unknown word read as the road.
func (x *Index) addFuzzyRoads(ev *evidence) {
	ev.fuzzy = true
	q, start := x.roadQuery(ev.pr)
	if len(q) < 2 {
		return
	}
	for _, h := range x.fuzzy.lookup(q, levelRoad) {
		from := start + len(q) - h.window
		for _, id := range x.fuzzy.names[h.name].ids {
			ev.roads = appendHit(ev.roads, hit{id: id, dist: h.rank, from: from})
		}
	}
}

// addFuzzyEstates looks up an estate the parser placed but the gazetteer
// did not know.
func (x *Index) addFuzzyEstates(ev *evidence) {
	q := []rune(ev.pr.parts.Estate)
	if len(q) < 3 || len(ev.estates) > 0 {
		return
	}
	for _, h := range x.fuzzy.lookup(q, levelEstate) {
		for _, id := range x.fuzzy.names[h.name].ids {
			ev.estates = appendHit(ev.estates, hit{id: id, dist: h.rank, from: -1})
		}
	}
}

// roadQuery returns the text that should be the road and its rune offset:
// from the door number back over unknown words and names that are not full
// unit names, or the unknown word the parser read as the road.
func (x *Index) roadQuery(pr *parsed) ([]rune, int) {
	end := pr.doorTok
	if end < 0 {
		if pr.roadTok >= 0 && pr.toks[pr.roadTok].kind == tokWord {
			t := pr.toks[pr.roadTok]
			return pr.rs[t.start:t.end], t.start
		}
		return nil, 0
	}
	start := end
	for k := end - 1; k >= 0; k-- {
		t := pr.toks[k]
		if t.kind != tokWord && !(t.kind == tokName && x.softName(pr, k)) {
			break
		}
		if pr.toks[start].start != t.end && start != end {
			break
		}
		start = k
	}
	if start == end {
		return nil, 0
	}
	from := pr.toks[start].start
	return pr.rs[from:pr.toks[end-1].end], from
}

// softName reports whether name token k may be part of a misspelt road: it
// was read as a road or estate, or only as a short unit name.
func (x *Index) softName(pr *parsed, k int) bool {
	l := pr.levels[k]
	if l >= levelRoad {
		return true
	}
	return !x.names.entry(pr.toks[k].entry).strongAt(l)
}
