package address

// A piece is a stretch of an unknown word with the level its suffix gives.
type piece struct {
	start, end int
	lvl        level // levelNone when the suffix says nothing
}

// A suffix is a word that ends a part of a given level: 省, 街道, 路.
type suffix struct {
	text   []rune
	lvl    level
	strong bool // always a cut, whatever came before
}

// suffixes are tried at each position in order, longer forms first.
var suffixes = []suffix{
	{[]rune("小区"), levelEstate, false},
	{[]rune("社区"), levelCommunity, true},
	{[]rune("街道"), levelSubdistrict, true},
	{[]rune("特区"), levelDistrict, false},
	{[]rune("省"), levelProvince, true},
	{[]rune("市"), levelCity, false},
	{[]rune("区"), levelDistrict, false},
	{[]rune("县"), levelDistrict, false},
	{[]rune("镇"), levelSubdistrict, true},
	{[]rune("乡"), levelSubdistrict, true},
	{[]rune("大道"), levelRoad, false},
	{[]rune("大街"), levelRoad, false},
	{[]rune("胡同"), levelRoad, false},
	{[]rune("路"), levelRoad, false},
	{[]rune("街"), levelRoad, false},
	{[]rune("巷"), levelRoad, false},
	{[]rune("弄"), levelRoad, false},
}

// estateEndings are the last characters of most estate names; a trailing
// piece ending in one is an estate.
func isEstateEnding(c rune) bool {
	switch c {
	case '园', '苑', '城', '府', '庭', '居', '湾', '里', '区', '寓', '厦', '场', '楼', '舍', '村', '院', '邸', '轩', '阁', '墅':
		return true
	}
	return false
}

// segmentWord splits an unknown word into pieces by the suffixes of the
// address levels: 六盘水市钟山区荷城街道 -> 六盘水市 | 钟山区 | 荷城街道.
// cur is the level of the part before the word; roadFree says no road has
// been read yet; beforeNumber says a door number follows the word, which
// makes an unmarked last piece the road.
func segmentWord(w []rune, cur level, roadFree, beforeNumber bool) []piece {
	var out []piece
	p := 0
	for i := 0; i < len(w); {
		sf, lvl, ok := suffixAt(w, i, p, cur, roadFree)
		if !ok {
			i++
			continue
		}
		e := i + len(sf.text)
		out = append(out, piece{start: p, end: e, lvl: lvl})
		cur, p, i = max(cur, lvl), e, e
		roadFree = roadFree && lvl != levelRoad
	}
	if p < len(w) {
		out = append(out, piece{start: p, end: len(w), lvl: tailLevel(w[p:], cur, roadFree, beforeNumber)})
	}
	return out
}

// suffixAt returns the suffix that ends a piece at w[i:], with the level it
// gives after cur, if one does and the piece (from p) has a name before it.
func suffixAt(w []rune, i, p int, cur level, roadFree bool) (suffix, level, bool) {
	for _, sf := range suffixes {
		if sf.text[0] != w[i] || !hasPrefixAt(w, i, sf.text) {
			continue
		}
		e := i + len(sf.text)
		if e-p < 2 {
			return suffix{}, 0, false
		}
		lvl, ok := suffixLevel(sf, cur, roadFree)
		if !ok || (!sf.strong && hasPrefixAt(w, e, []rune("社区"))) {
			return suffix{}, 0, false
		}
		return sf, lvl, true
	}
	return suffix{}, 0, false
}

// suffixLevel says which level a suffix gives after cur, and whether it
// cuts at all: 市 is the city first and a county-level city after it; 区
// cuts only above the district; 路 only while no road has been read.
func suffixLevel(sf suffix, cur level, roadFree bool) (level, bool) {
	switch {
	case sf.strong:
		return sf.lvl, true
	case sf.lvl == levelCity:
		if cur < levelCity {
			return levelCity, true
		}
		return levelDistrict, cur < levelDistrict
	case sf.lvl == levelDistrict:
		return levelDistrict, cur < levelDistrict
	case sf.lvl == levelRoad:
		return levelRoad, roadFree
	}
	return sf.lvl, true
}

// tailLevel classifies the last piece of a word, which has no suffix.
func tailLevel(t []rune, cur level, roadFree, beforeNumber bool) level {
	switch {
	case beforeNumber && roadFree && !isEstateEnding(t[len(t)-1]):
		return levelRoad
	case cur >= levelRoad || isEstateEnding(t[len(t)-1]):
		return levelEstate
	}
	return levelNone
}
