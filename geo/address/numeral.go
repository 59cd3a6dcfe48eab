package address

// maxNumeralRunes bounds the Chinese numerals read as one number; longer
// runs are left alone (no address number needs more).
const maxNumeralRunes = 8

// digitOf returns the value of a Chinese digit (一 to 九, 零, 〇, ○, 两) and
// whether r is one.
func digitOf(r rune) (int, bool) {
	switch r {
	case '零', '〇', '○':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// multiplierOf returns the value of 十, 百 and 千.
func multiplierOf(r rune) (int, bool) {
	switch r {
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	}
	return 0, false
}

// isNumeral reports whether r is a Chinese digit or multiplier.
func isNumeral(r rune) bool {
	if _, ok := digitOf(r); ok {
		return true
	}
	_, ok := multiplierOf(r)
	return ok
}

// numeralValue reads a run of Chinese numerals: positional (十二 = 12,
// 一百零二 = 102, 二十 = 20) when it holds a multiplier, digit by digit
// (五零一 = 501, 一〇二 = 102) when it does not. It reports false for a run
// that is not a well-formed number.
func numeralValue(rs []rune) (int, bool) {
	if len(rs) == 0 || len(rs) > maxNumeralRunes {
		return 0, false
	}
	positional := false
	for _, r := range rs {
		if _, ok := multiplierOf(r); ok {
			positional = true
			break
		}
	}
	if !positional {
		v := 0
		for _, r := range rs {
			d, ok := digitOf(r)
			if !ok {
				return 0, false
			}
			v = v*10 + d
		}
		return v, true
	}
	return positionalValue(rs)
}

// positionalValue reads numerals with multipliers: 十一, 二十, 一百零二,
// 三千五百. A trailing digit after 百 or 千 with no 零 is the next place
// down, as people say it (一百二 = 120).
func positionalValue(rs []rune) (int, bool) {
	total, digit, haveDigit, lastMul, zero := 0, 0, false, 10000, false
	for _, r := range rs {
		if d, ok := digitOf(r); ok {
			if haveDigit {
				return 0, false
			}
			if d == 0 {
				zero = true
				continue
			}
			digit, haveDigit = d, true
			continue
		}
		m, _ := multiplierOf(r)
		if m >= lastMul {
			return 0, false
		}
		if !haveDigit {
			if m != 10 {
				return 0, false
			}
			digit = 1 // 十二, 一百一十: a bare 十 is one ten
		}
		total += digit * m
		digit, haveDigit, lastMul, zero = 0, false, m, false
	}
	if haveDigit {
		if !zero && lastMul >= 100 && lastMul < 10000 {
			total += digit * lastMul / 10
		} else {
			total += digit
		}
	}
	return total, true
}
