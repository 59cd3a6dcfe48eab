package address

import (
	"unicode"
	"unicode/utf8"
)

// maxNormalizePasses bounds the passes Normalize makes to reach a fixed
// point; one or two suffice for anything people type.
const maxNormalizePasses = 4

// Normalize returns the canonical spelling of an address, the form Parse
// and the Index work on:
//
//   - full-width letters, digits and punctuation become ASCII, letters are
//     upper-cased (３号 -> 3号, Ａ座 -> A栋), a few traditional characters
//     become simplified (號 -> 号);
//   - Chinese numerals before a number word, or after one at the end, become
//     digits (十二号 -> 12号, 二单元 -> 2单元, 一〇二室 -> 102室,
//     负一楼 -> -1层); numerals inside names (六盘水, 二屯社区) are kept;
//   - a lane's ordinal is written in Chinese numerals, without 第
//     (繁荣3巷, 繁荣第三巷 -> 繁荣三巷; also 弄, 条, 里, 胡同), so a lane is
//     never read as a road and a door number;
//   - building words 号楼, 栋, 幢, 座 and # become 栋; floors 楼, F become
//     层; 第 before a number is dropped;
//   - 黔 before the city or a county-level unit becomes 贵州 (黔中嘉园 and
//     黔桂南路 are names), 水城县 becomes 水城区 and 盘县 becomes 盘州市;
//     居委会, 居民委员会 and 社区居委会 become 社区, 街道办事处 becomes 街道;
//   - phone numbers and their labels, noise such as 附近, 对面, 旁边 and a
//     final 旁, spaces, punctuation and brackets are removed, and a doubled
//     prefix (钟山区钟山区, 六盘水六盘水市) is kept once.
//
// Normalize is idempotent: Normalize(Normalize(s)) == Normalize(s). Invalid
// UTF-8 and control characters are dropped, never passed on.
func Normalize(s string) string {
	rs := normalizeRunes(fold(s))
	for pass := 1; pass < maxNormalizePasses; pass++ {
		next := normalizeRunes(append([]rune(nil), rs...))
		if runesEqual(next, rs) {
			break
		}
		rs = next
	}
	return string(rs)
}

// normalizeRunes runs one pass of every step after folding.
func normalizeRunes(rs []rune) []rune {
	rs = dropPhones(rs)
	rs = dropSpaces(rs)
	rs = convertNumerals(rs)
	rs = laneOrdinals(rs)
	rs = applyRules(rs)
	rs = tidy(rs)
	return collapseDoubles(rs)
}

// fold decodes s into runes, folding width, case, punctuation, dashes and
// traditional characters, and dropping invalid bytes and control characters.
func fold(s string) []rune {
	out := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		if r == utf8.RuneError {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r == 0x3000 || r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case r < 0x80:
		case isDash(r):
			r = '-'
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsSpace(r):
			r = ' '
		default:
			r = simplified(r)
		}
		out = append(out, r)
	}
	return out
}

// isDash reports whether r is one of the dashes people type for a hyphen.
func isDash(r rune) bool {
	switch r {
	case '—', '–', '‐', '‑', '―', '−', '─', '～', '〜':
		return true
	}
	return false
}

// simplified maps the traditional characters common in addresses to their
// simplified forms.
func simplified(r rune) rune {
	switch r {
	case '號':
		return '号'
	case '樓':
		return '楼'
	case '棟':
		return '栋'
	case '區':
		return '区'
	case '縣':
		return '县'
	case '單':
		return '单'
	case '層':
		return '层'
	case '貴':
		return '贵'
	case '門':
		return '门'
	}
	return r
}

// dropSpaces removes the spaces fold left; they only separated parts.
func dropSpaces(rs []rune) []rune {
	out := rs[:0]
	for _, r := range rs {
		if r != ' ' {
			out = append(out, r)
		}
	}
	return out
}

// tidy removes brackets, punctuation and symbols, and keeps a hyphen only
// where it joins numbers (12-3-501) or marks a basement floor (-1层).
func tidy(rs []rune) []rune {
	out := rs[:0]
	for i, r := range rs {
		switch {
		case r == '-':
			if keepHyphen(rs, i, out) {
				out = append(out, r)
			}
		case isDigit(r) || isUpper(r) || isHan(r):
			out = append(out, r)
		case r < 0x80:
			// ASCII punctuation and symbols separate parts; drop them.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			out = append(out, r)
		}
	}
	return out
}

// keepHyphen decides whether the hyphen at rs[i] is kept, given the output
// so far: before a digit, and after a letter or digit or before a floor.
func keepHyphen(rs []rune, i int, out []rune) bool {
	if i+1 >= len(rs) || !isDigit(rs[i+1]) {
		return false
	}
	if len(out) > 0 && (isDigit(out[len(out)-1]) || isUpper(out[len(out)-1])) {
		return true
	}
	j := i + 1
	for j < len(rs) && isDigit(rs[j]) {
		j++
	}
	return j < len(rs) && rs[j] == '层'
}

// collapseDoubles keeps one copy of a doubled division name: a run of two
// to eight Han characters ending in a division word and written twice
// (钟山区钟山区 -> 钟山区), or a short name written before its full form
// (六盘水六盘水市 -> 六盘水市, 贵州贵州省 -> 贵州省).
func collapseDoubles(rs []rune) []rune {
	out := rs[:0]
	for i := 0; i < len(rs); {
		if k := doubledLen(rs, i); k > 0 {
			i += k // drop the first copy and look again: ABABAB -> ABAB -> AB
			continue
		}
		out = append(out, rs[i])
		i++
	}
	return out
}

// doubledLen returns the length of the longest doubled division name at
// rs[i:], or 0.
func doubledLen(rs []rune, i int) int {
	for k := min(8, (len(rs)-i)/2); k >= 2; k-- {
		if doubledAt(rs, i, k) {
			return k
		}
	}
	return 0
}

// doubledAt reports whether the k runes at rs[i:] are a division name
// written again right after, in full or with its division word added.
func doubledAt(rs []rune, i, k int) bool {
	x := rs[i : i+k]
	if rs[i] != rs[i+k] || !runesEqual(x, rs[i+k:i+2*k]) || !hanRun(x) {
		return false
	}
	if isDivisionEnd(x[k-1]) {
		return true
	}
	return i+2*k < len(rs) && isDivisionEnd(rs[i+2*k])
}

// isDivisionEnd reports whether c ends a division name or starts the word
// that does: 省, 市, 区, 县, 镇, 乡, 道 (街道), and 特 (特区), 街 (街道),
// 社 (社区) after a short name.
func isDivisionEnd(c rune) bool {
	switch c {
	case '省', '市', '区', '县', '镇', '乡', '道', '特', '街', '社':
		return true
	}
	return false
}

func hanRun(rs []rune) bool {
	for _, r := range rs {
		if !isHan(r) {
			return false
		}
	}
	return true
}

func runesEqual(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }

func isAlnum(r rune) bool { return isDigit(r) || isUpper(r) }

// isHan reports whether r is a Chinese character (〇 included).
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r)
}
