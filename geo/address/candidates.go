package address

import (
	"slices"
	"strconv"

	"github.com/gridmap/gridmap/geo"
)

// maxNearNumbers bounds the doors tried on each side of a door number that
// a road does not have.
const maxNearNumbers = 1

// A cand is a candidate building with how it agrees with the evidence.
type cand struct {
	b        int32
	roadDist float64 // -1: road not matched; 0 exact; >0 edit cost
	roadFrom int     // where a misspelt road starts in the text; -1 if exact
	numDelta int     // |door - given|; -1 when no number was given
	estate   int8    // 1 matched, -1 another estate given, 0 none given
	estDist  float64
	bld      int8 // 1 matched, -1 another building given, -2 given but b has none, 0 none given
	agree    float64
	clash    float64
	strong   int   // strong unit names that clash
	weak     int   // short unit names that clash
	units    uint8 // bit l set: a unit name of level l agrees
	odd      int   // unit or floor numbers the building does not have
	score    float64
}

// candidates collects and scores the buildings the evidence may mean.
func (x *Index) candidates(ev *evidence) []cand {
	seen := make(map[int32]bool)
	var ids []int32
	add := func(bs []int32) {
		for _, b := range bs {
			if !seen[b] {
				seen[b] = true
				ids = append(ids, b)
			}
		}
	}
	if ev.pr.roadTok >= 0 && len(ev.roads) == 0 {
		x.addFuzzyRoads(ev)
	}
	x.addDoors(ev, add)
	if len(ids) == 0 && ev.number > 0 && !ev.fuzzy || x.wordBeforeRoad(ev.pr) {
		x.addFuzzyRoads(ev)
		x.addDoors(ev, add)
	}
	x.addFuzzyEstates(ev)
	for _, h := range ev.estates {
		add(x.estates[h.id].buildings)
	}
	if len(ids) == 0 && ev.number > 0 {
		x.addNearDoors(ev, add)
	}
	if len(ids) == 0 && ev.number == 0 {
		for _, h := range ev.roads {
			add(x.roads[h.id].buildings)
		}
	}
	cs := make([]cand, len(ids))
	for i, b := range ids {
		cs[i] = x.score(ev, b)
	}
	slices.SortFunc(cs, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.b - b.b)
	})
	return cs
}

// wordBeforeRoad reports whether unknown text runs straight into a road
// name: 想水西街 may be a misspelt 响水西街 rather than 水西街.
func (x *Index) wordBeforeRoad(pr *parsed) bool {
	k := pr.roadTok
	if k < 1 || pr.toks[k].kind != tokName {
		return false
	}
	prev := pr.toks[k-1]
	return prev.kind == tokWord && prev.end == pr.toks[k].start
}

// addDoors adds the buildings at the given door of every road hit.
func (x *Index) addDoors(ev *evidence, add func([]int32)) {
	if ev.number <= 0 {
		return
	}
	for _, h := range ev.roads {
		add(x.door(h.id, ev.number))
	}
}

// addNearDoors adds, for a door number an exactly named road lacks, the
// buildings at the nearest numbers on either side.
func (x *Index) addNearDoors(ev *evidence, add func([]int32)) {
	for _, h := range ev.roads {
		nums := x.roads[h.id].numbers
		i, _ := slices.BinarySearch(nums, ev.number)
		for k := max(0, i-maxNearNumbers); k < min(len(nums), i+maxNearNumbers); k++ {
			add(x.door(h.id, nums[k]))
		}
	}
}

// score compares building b with the evidence.
func (x *Index) score(ev *evidence, b int32) cand {
	in := &x.info[b]
	c := cand{b: b, roadDist: -1, roadFrom: -1, numDelta: -1}
	for _, h := range ev.roads {
		if h.id == in.road && (c.roadDist < 0 || h.dist < c.roadDist) {
			c.roadDist, c.roadFrom = h.dist, h.from
		}
	}
	if ev.number > 0 {
		c.numDelta = abs(x.buildings[b].Address.Number - ev.number)
	}
	if len(ev.estates) > 0 {
		c.estate = -1
		for _, h := range ev.estates {
			if h.id == in.estate {
				c.estate, c.estDist = 1, h.dist
			}
		}
	}
	switch {
	case ev.building == "":
	case ev.building == in.building:
		c.bld = 1
	case in.building == "":
		c.bld = -2
	default:
		c.bld = -1
	}
	x.scoreUnits(ev, in, &c)
	c.odd = oddNumbers(&ev.pr.parts, x.buildings[b])
	c.score = c.partsScore() + c.agree - c.clash - float64(c.odd)
	return c
}

// scoreUnits weighs the unit names of the address against b's units. A
// name agrees when one of its meanings is b's unit at that level (a short
// name like 两河 may mean 两河街道 or 两河社区), and clashes when none is.
func (x *Index) scoreUnits(ev *evidence, in *buildingInfo, c *cand) {
	for _, m := range ev.admin {
		if c.roadFrom >= 0 && m.start >= c.roadFrom {
			continue // the name is part of the misspelt road
		}
		match, matchStrong, anyStrong := level(0), false, false
		for _, rf := range m.refs {
			anyStrong = anyStrong || !rf.weak
			if rf.code == in.unitAt(rf.lvl) {
				match = max(match, rf.lvl)
				matchStrong = matchStrong || !rf.weak
			}
		}
		switch {
		case match != 0 && matchStrong:
			c.agree++
			c.units |= 1 << match
		case match != 0:
			c.agree += 0.5
			c.units |= 1 << match
		case anyStrong:
			c.clash += 2
			c.strong++
		default:
			c.clash += 0.7
			c.weak++
		}
	}
}

// unitAt returns the building's unit at level l.
func (in *buildingInfo) unitAt(l level) geo.DivisionCode {
	switch l {
	case levelDistrict:
		return in.community.Parent().Parent()
	case levelSubdistrict:
		return in.community.Parent()
	}
	return in.community
}

// partsScore weighs road, number, estate and building.
func (c *cand) partsScore() float64 {
	s := 0.0
	switch {
	case c.roadDist == 0:
		s += 4
	case c.roadDist > 0:
		s += 3 - 0.5*c.roadDist
	}
	switch {
	case c.numDelta == 0:
		s += 3
	case c.numDelta > 0 && c.roadDist >= 0:
		s += 1.5 - 0.1*float64(min(c.numDelta, 10))
	case c.numDelta > 0:
		s--
	}
	switch c.estate {
	case 1:
		s += 3 - 0.5*c.estDist
	case -1:
		s -= 1.5
	}
	switch c.bld {
	case 1:
		s += 3
	case -1:
		s -= 3
	case -2:
		s -= 1
	}
	return s
}

// oddNumbers counts the unit and floor numbers of the address that building
// b cannot have: a 3单元 in a two-stairwell building, a room 1501 (floor 15)
// in a six-storey one. Counts of zero (unknown) are no evidence.
func oddNumbers(p *Parts, b *geo.Building) int {
	n := 0
	if p.Unit > 0 && b.Units > 0 && p.Unit > b.Units {
		n++
	}
	floor := p.Floor
	if floor == 0 {
		if r, err := strconv.Atoi(p.Room); err == nil && r >= 100 {
			floor = r / 100
		}
	}
	if floor > 0 && b.Floors > 0 && floor > b.Floors {
		n++
	}
	return n
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
