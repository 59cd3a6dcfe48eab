package address

// A tokenKind says what a token of a normalised address is.
type tokenKind uint8

const (
	tokWord     tokenKind = iota // text the gazetteer does not know
	tokName                      // a gazetteer name
	tokNumber                    // a bare number: 501
	tokDoor                      // 12号
	tokBuilding                  // 3栋, A栋
	tokUnit                      // 2单元
	tokFloor                     // 5层, -1层
	tokRoom                      // 501室
	tokCompact                   // 12-3-501
)

// maxNumberDigits bounds the digits of one number token; longer runs are
// words (phone numbers are removed before).
const maxNumberDigits = 6

// A token is a stretch [start, end) of the normalised runes.
type token struct {
	kind       tokenKind
	start, end int
	num        int    // the number of a numeric token
	nums       []int  // the groups of a compact token
	text       string // a building's number or letter
	entry      int32  // a name's gazetteer entry
}

// tokenPenalty is the cost of one more token in tokenize: among
// segmentations that leave as much unknown, the one with fewer tokens wins.
const tokenPenalty = 0.01

// A step is tokenize's choice at one position: the token that starts there
// (kind tokWord for one unknown rune) and the cost of the rest from there.
type step struct {
	tok  token
	cost float64
}

// tokenize splits normalised runes into tokens. It chooses, among the ways
// to read the runes as gazetteer names, numbers with their words and
// unknown runes, the one that leaves the fewest runes unknown, then the one
// with the fewest tokens: 黄土坡花园北路 reads 黄土坡 | 花园北路 rather than
// the estate 黄土坡花园 and an unknown 北路. Consecutive unknown runes form
// one word.
func tokenize(rs []rune, g *trie) []token {
	steps := make([]step, len(rs)+1)
	var buf []nameMatch
	for i := len(rs) - 1; i >= 0; i-- {
		best := step{tok: token{kind: tokWord, start: i, end: i + 1}, cost: steps[i+1].cost + 1}
		consider := func(t token, extra float64) {
			if c := steps[t.end].cost + extra; c < best.cost-1e-9 {
				best = step{tok: t, cost: c}
			}
		}
		if rs[i] == '-' {
			consider(token{kind: tokWord, start: i, end: i + 1, entry: -1}, 2*tokenPenalty) // a hyphen that joins nothing
		}
		if t, ok := lexNumber(rs, i); ok {
			consider(t, tokenPenalty)
		} else if t, ok := lexLetters(rs, i); ok {
			consider(t, tokenPenalty)
		}
		buf = g.matches(rs, i, buf[:0])
		for k := len(buf) - 1; k >= 0; k-- {
			consider(token{kind: tokName, start: i, end: buf[k].end, entry: buf[k].ei}, tokenPenalty)
		}
		steps[i] = best
	}
	return collectTokens(steps, len(rs))
}

// collectTokens follows tokenize's choices from the start, dropping skipped
// hyphens and joining unknown runes into words.
func collectTokens(steps []step, n int) []token {
	toks := make([]token, 0, 12)
	for i := 0; i < n; {
		t := steps[i].tok
		i = t.end
		switch {
		case t.kind == tokWord && t.entry == -1:
		case t.kind == tokWord && len(toks) > 0 && toks[len(toks)-1].kind == tokWord && toks[len(toks)-1].end == t.start:
			toks[len(toks)-1].end = t.end
		default:
			toks = append(toks, t)
		}
	}
	return toks
}

// readDigits reads up to maxNumberDigits digits at rs[i:].
func readDigits(rs []rune, i int) (v, end int, ok bool) {
	end = i
	for end < len(rs) && isDigit(rs[end]) {
		if end-i == maxNumberDigits {
			return 0, 0, false
		}
		v = v*10 + int(rs[end]-'0')
		end++
	}
	return v, end, end > i
}

// lexNumber reads a number and the word after it: 12号, 3栋, 2单元, 5层,
// -1层, 501室, 12-3-501, or a bare 501.
func lexNumber(rs []rune, i int) (token, bool) {
	neg := rs[i] == '-'
	start := i
	if neg {
		i++
	}
	v, j, ok := readDigits(rs, i)
	if !ok {
		return token{}, false
	}
	t := token{kind: tokNumber, start: start, end: j, num: v}
	next := runeAt(rs, j)
	if neg {
		if next != '层' {
			return token{}, false
		}
		t.kind, t.num, t.end = tokFloor, -v, j+1
		return t, true
	}
	switch next {
	case '号':
		t.kind, t.end = tokDoor, j+1
	case '栋':
		t.kind, t.end, t.text = tokBuilding, j+1, string(rs[i:j])
	case '单':
		t.kind, t.end = tokUnit, j+1
		if runeAt(rs, j+1) == '元' {
			t.end++
		}
	case '层':
		t.kind, t.end = tokFloor, j+1
	case '室':
		t.kind, t.end = tokRoom, j+1
	case '-':
		return lexCompact(rs, t)
	default:
		if k := lettersEnd(rs, j); k > j && runeAt(rs, k) == '栋' {
			t.kind, t.end, t.text = tokBuilding, k+1, string(rs[i:k])
		}
	}
	return t, true
}

// lexCompact reads the groups of 12-3-501 after the first number of t.
func lexCompact(rs []rune, t token) (token, bool) {
	nums := []int{t.num}
	j := t.end
	for len(nums) < 3 && runeAt(rs, j) == '-' {
		v, end, ok := readDigits(rs, j+1)
		if !ok {
			break
		}
		nums = append(nums, v)
		j = end
	}
	if len(nums) == 1 {
		return t, true
	}
	t.kind, t.nums, t.end = tokCompact, nums, j
	if runeAt(rs, j) == '室' || runeAt(rs, j) == '号' {
		t.end++
	}
	return t, true
}

// lexLetters reads a building letter or code: A栋, B2栋.
func lexLetters(rs []rune, i int) (token, bool) {
	if !isUpper(rs[i]) {
		return token{}, false
	}
	k := i
	for k < len(rs) && isAlnum(rs[k]) {
		k++
	}
	if runeAt(rs, k) != '栋' {
		return token{}, false
	}
	return token{kind: tokBuilding, start: i, end: k + 1, text: string(rs[i:k])}, true
}

// lettersEnd returns the end of the run of capital letters at rs[i:].
func lettersEnd(rs []rune, i int) int {
	for i < len(rs) && isUpper(rs[i]) {
		i++
	}
	return i
}

func runeAt(rs []rune, i int) rune {
	if i < 0 || i >= len(rs) {
		return 0
	}
	return rs[i]
}
