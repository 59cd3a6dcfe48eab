package address

import "slices"

// laneSuffixes are the words that end a lane or alley name after an
// ordinal: 繁荣三巷, 长乐二弄, 胡同 and the northern 条 and 里.
var laneSuffixes = [][]rune{[]rune("胡同"), []rune("巷"), []rune("弄"), []rune("条"), []rune("里")}

// maxLaneOrdinal bounds the ordinals read as a lane's; a longer number
// before 巷 is no lane ordinal anyone writes.
const maxLaneOrdinal = 999

// laneOrdinals writes the ordinal of a lane in Chinese numerals, the form
// lanes are named in, so 繁荣3巷, 繁荣第三巷 and 繁荣第3巷 all read
// 繁荣三巷: one lane, never 繁荣巷 number 3 (DOMAIN.md, lanes). The ordinal
// must follow a name (a Han character other than a number word) and stand
// right before a lane word; the number after the lane (繁荣3巷2号) is the
// door number and stays as it is.
func laneOrdinals(rs []rune) []rune {
	for k := 0; k < len(rs); k++ {
		if !startsLaneSuffix(rs, k) {
			continue
		}
		start, value, ok := ordinalBefore(rs, k)
		if !ok {
			continue
		}
		written := chineseNumeral(value)
		rs = slices.Replace(rs, start, k, written...)
		k = start + len(written)
	}
	return rs
}

// startsLaneSuffix reports whether a lane word starts at rs[k].
func startsLaneSuffix(rs []rune, k int) bool {
	for _, suf := range laneSuffixes {
		if k+len(suf) <= len(rs) && slices.Equal(rs[k:k+len(suf)], suf) {
			return true
		}
	}
	return false
}

// ordinalBefore reads the ordinal that ends at rs[k]: ASCII digits or
// Chinese numerals, with an optional 第 before them, after a name. It
// returns where the ordinal (with its 第) starts and its value.
func ordinalBefore(rs []rune, k int) (start, value int, ok bool) {
	// One kind of numeral: ASCII digits, or Chinese numerals (东四10条 is
	// lane 10 of 东四, not lane 四10).
	same := isNumeral
	if k > 0 && isDigit(rs[k-1]) {
		same = isDigit
	}
	i := k
	for i > 0 && same(rs[i-1]) {
		i--
	}
	if i == k {
		return 0, 0, false
	}
	digits := rs[i:k]
	start = i
	if i > 0 && rs[i-1] == '第' {
		start = i - 1
	} else if !isDigit(digits[0]) {
		return 0, 0, false // 繁荣三巷 already reads as named
	}
	if start == 0 || !isHan(rs[start-1]) || isNumberWord(rs[start-1]) {
		return 0, 0, false
	}
	if isDigit(digits[0]) {
		value, ok = asciiValue(digits)
	} else {
		value, ok = numeralValue(digits)
	}
	if !ok || value < 1 || value > maxLaneOrdinal {
		return 0, 0, false
	}
	return start, value, true
}

// isNumberWord reports whether r is a word that ends a number (号, 栋, 层,
// 室, 元): a digit after it starts a new number, not a lane's ordinal.
func isNumberWord(r rune) bool {
	switch r {
	case '号', '栋', '层', '室', '元', '单', '第':
		return true
	}
	return false
}

// asciiValue reads a run of mixed ASCII digits; Chinese numerals mixed in
// make it no number.
func asciiValue(rs []rune) (int, bool) {
	v := 0
	for _, r := range rs {
		if !isDigit(r) || v > maxLaneOrdinal {
			return 0, false
		}
		v = v*10 + int(r-'0')
	}
	return v, true
}

// chineseNumeral writes n (1..999) as people write an ordinal: 三, 十二,
// 二十, 一百零五.
func chineseNumeral(n int) []rune {
	const digits = "零一二三四五六七八九"
	d := []rune(digits)
	var out []rune
	h, t, u := n/100, n/10%10, n%10
	if h > 0 {
		out = append(out, d[h], '百')
		if t == 0 && u > 0 {
			out = append(out, '零')
		}
	}
	if t > 0 {
		if t > 1 || h > 0 {
			out = append(out, d[t])
		}
		out = append(out, '十')
	}
	if u > 0 {
		out = append(out, d[u])
	}
	return out
}
