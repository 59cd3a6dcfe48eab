package address

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// decide turns scored candidates into the best answer and alternatives.
func (x *Index) decide(ev *evidence, cs []cand) (*Match, []Match) {
	if len(cs) == 0 {
		return x.unitAnswer(ev), nil
	}
	n := 1
	for n < len(cs) && cs[n].score >= cs[0].score-1e-9 {
		n++
	}
	if n > 1 {
		return x.gridAnswer(ev, cs, n)
	}
	margin := math.Inf(1)
	if len(cs) > 1 {
		margin = cs[0].score - cs[1].score
	}
	conf := buildingConfidence(ev, &cs[0], margin)
	best := x.buildingMatch(ev, &cs[0], conf)
	var alts []Match
	for i := 1; i < len(cs) && len(alts) < MaxAlternatives; i++ {
		c := &cs[i]
		alt := baseQuality(ev, c) * (1 - conf) * math.Exp(-(cs[0].score-c.score)/4)
		alts = append(alts, x.buildingMatch(ev, c, round3(alt)))
	}
	return &best, alts
}

// buildingConfidence estimates how likely candidate c is the building the
// address means: the quality of what matched, lowered for every clash and
// for a runner-up close behind.
func buildingConfidence(ev *evidence, c *cand, margin float64) float64 {
	q := baseQuality(ev, c)
	switch c.bld {
	case -1:
		q *= 0.5
	case -2:
		q *= 0.7
	}
	if c.estate == -1 {
		q *= 0.7
	}
	q *= math.Pow(0.6, float64(c.strong)) * math.Pow(0.85, float64(c.weak)) * math.Pow(0.8, float64(c.odd))
	switch {
	case margin < 1:
		q *= 0.6
	case margin < 2:
		q *= 0.8
	case margin < 3:
		q *= 0.92
	}
	q *= math.Pow(0.97, float64(min(ev.unknown, 5)))
	if disagrees(ev, c) {
		q = min(q, MaxDisagreeingConfidence)
	}
	return round3(q)
}

// MaxDisagreeingConfidence caps the confidence of an answer that disagrees
// with any part the address gave (another door number, estate, building or
// unit name, a road given but not matched, a unit or floor the building
// lacks): such an answer may be the best there is, but is never confident.
const MaxDisagreeingConfidence = 0.85

// disagrees reports whether candidate c contradicts a part the address gave.
func disagrees(ev *evidence, c *cand) bool {
	return c.numDelta > 0 || c.estate == -1 || c.bld < 0 || c.strong+c.weak+c.odd > 0 ||
		c.roadDist < 0 && ev.pr.roadTok >= 0
}

// baseQuality is the confidence the matched parts alone give.
func baseQuality(ev *evidence, c *cand) float64 {
	switch {
	case c.roadDist == 0 && c.numDelta == 0:
		return 0.97
	case c.roadDist > 0 && c.numDelta == 0 && c.estate == 1 && c.bld == 1:
		return 0.95
	case c.roadDist > 0 && c.numDelta == 0:
		return 0.9 - 0.08*c.roadDist
	case c.estate == 1 && len(ev.roads) > 0 && c.roadDist < 0:
		return 0.7 // the estate agrees but the road does not
	case c.estate == 1 && c.estDist == 0:
		return 0.95
	case c.estate == 1:
		return 0.85
	case c.roadDist == 0 && c.numDelta > 0:
		return 0.5
	case c.roadDist >= 0 && c.numDelta < 0:
		return 0.7
	}
	return 0.3
}

// buildingMatch builds the answer naming candidate c's building.
func (x *Index) buildingMatch(ev *evidence, c *cand, conf float64) Match {
	b := x.buildings[c.b]
	return Match{
		Building:   b,
		Grid:       b.Grid,
		Point:      b.Point,
		Confidence: conf,
		Matched:    matchedParts(c),
		Reason:     x.reason(ev, c),
	}
}

// gridAnswer answers for n equally good candidates: the grid most of them
// lie in, and every grid they span.
func (x *Index) gridAnswer(ev *evidence, cs []cand, n int) (*Match, []Match) {
	counts := make(map[geo.GridCode]int)
	var grids []geo.GridCode
	var sum orb.Point
	for _, c := range cs[:n] {
		b := x.buildings[c.b]
		if counts[b.Grid] == 0 {
			grids = append(grids, b.Grid)
		}
		counts[b.Grid]++
		sum[0] += b.Point[0]
		sum[1] += b.Point[1]
	}
	slices.Sort(grids)
	major := grids[0]
	for _, g := range grids {
		if counts[g] > counts[major] {
			major = g
		}
	}
	top := &cs[0]
	share := float64(counts[major]) / float64(n)
	conf := gridQuality(ev, top) * share * math.Pow(0.6, float64(top.strong)) * math.Pow(0.85, float64(top.weak))
	best := &Match{
		Grid:       major,
		Grids:      grids,
		Point:      orb.Point{sum[0] / float64(n), sum[1] / float64(n)},
		Confidence: round3(conf),
		Matched:    matchedParts(top),
		Reason:     fmt.Sprintf("%s names %d buildings, not one; they lie in %d grid(s)", x.what(ev, top), n, len(grids)),
	}
	var alts []Match
	for i := 0; i < n && len(alts) < MaxAlternatives; i++ {
		alts = append(alts, x.buildingMatch(ev, &cs[i], round3(conf/float64(n))))
	}
	return best, alts
}

// gridQuality is the confidence in the grid of an answer without a
// building, before the share of candidates in that grid.
func gridQuality(ev *evidence, c *cand) float64 {
	switch {
	case c.roadDist == 0 && c.numDelta == 0:
		return 0.9
	case c.estate == 1 && c.estDist == 0:
		return 0.88
	case c.roadDist > 0 || c.estate == 1:
		return 0.75
	case c.roadDist == 0 && c.numDelta < 0:
		return 0.6
	}
	return 0.4
}

// unitAnswer answers an address that names no road or estate found, from
// the most specific unit it names.
func (x *Index) unitAnswer(ev *evidence) *Match {
	var best *ref
	for _, m := range ev.admin {
		for i := range m.refs {
			rf := &m.refs[i]
			if best == nil || rf.lvl > best.lvl || (rf.lvl == best.lvl && best.weak && !rf.weak) {
				best = rf
			}
		}
	}
	if best == nil {
		if len(ev.pr.rs) == 0 {
			return noMatch("nothing is left of the address once noise is removed")
		}
		return noMatch("no road, estate or unit of the city is recognised")
	}
	u := x.unitGrids[best.code]
	grids := u.codes
	if len(grids) == 0 {
		return noMatch(fmt.Sprintf("%s is recognised but has no grids", best.name))
	}
	conf := 0.6 / float64(len(grids))
	if best.weak {
		conf *= 0.7
	}
	return &Match{
		Grid:       grids[0],
		Grids:      slices.Clone(grids),
		Point:      u.centre,
		Confidence: round3(conf),
		Matched:    []string{levelName(best.lvl)},
		Reason:     fmt.Sprintf("only the %s %s is recognised; it spans %d grid(s)", levelName(best.lvl), best.name, len(grids)),
	}
}

// matchedParts lists the parts of the address that agree with c.
func matchedParts(c *cand) []string {
	var m []string
	for l := levelDistrict; l <= levelCommunity; l++ {
		if c.units&(1<<l) != 0 {
			m = append(m, levelName(l))
		}
	}
	if c.roadDist >= 0 {
		m = append(m, "road")
	}
	if c.numDelta == 0 {
		m = append(m, "number")
	}
	if c.estate == 1 {
		m = append(m, "estate")
	}
	if c.bld == 1 {
		m = append(m, "building")
	}
	return m
}

// what names what the address gave, for reasons: 人民中路12号, 凉都花园.
func (x *Index) what(ev *evidence, c *cand) string {
	b := x.buildings[c.b]
	switch {
	case c.roadDist >= 0 && c.numDelta == 0:
		return b.Address.Door()
	case c.estate == 1:
		return b.Address.Estate
	case c.roadDist >= 0:
		return b.Address.Road
	}
	return "the address"
}

// reason says why candidate c was chosen.
func (x *Index) reason(ev *evidence, c *cand) string {
	b := x.buildings[c.b]
	var parts []string
	switch {
	case c.roadDist == 0 && c.numDelta == 0:
		parts = append(parts, b.Address.Door()+" matched")
	case c.roadDist > 0:
		parts = append(parts, fmt.Sprintf("road read as %s (edit cost %.1f)", b.Address.Road, c.roadDist))
	case c.roadDist == 0 && c.numDelta > 0:
		parts = append(parts, fmt.Sprintf("no door %d号 on %s; nearest is %s", ev.number, b.Address.Road, b.Address.Door()))
	}
	if c.estate == 1 {
		parts = append(parts, "estate "+b.Address.Estate+" matched")
	}
	switch c.bld {
	case 1:
		parts = append(parts, "building "+b.Address.Building+"栋 matched")
	case -1, -2:
		parts = append(parts, "building "+ev.building+"栋 not found")
	}
	if c.strong+c.weak > 0 {
		parts = append(parts, strconv.Itoa(c.strong+c.weak)+" unit name(s) disagree")
	}
	if len(parts) == 0 {
		return "partial match"
	}
	return strings.Join(parts, "; ")
}

// levelName returns the English name of an address level.
func levelName(l level) string {
	switch l {
	case levelDistrict:
		return "district"
	case levelSubdistrict:
		return "subdistrict"
	case levelCommunity:
		return "community"
	}
	return "unit"
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
