package address

// A ruleContext limits where a rewrite rule applies.
type ruleContext uint8

const (
	anywhere    ruleContext = iota
	afterAlnum              // the previous output rune is a digit or letter: 3号楼
	afterDigit              // the previous output rune is a digit: 3楼, 3F
	beforeDigit             // the next input rune is a digit: 负1, 第2
	atStart                 // nothing has been output yet: 中国贵州
	atEnd                   // the match ends the input or a bracket: 12号旁
)

// A rule rewrites from to to where its context holds.
type rule struct {
	from, to []rune
	ctx      ruleContext
}

// rewrite builds a rule from strings.
func rewrite(from, to string, ctx ruleContext) rule {
	return rule{from: []rune(from), to: []rune(to), ctx: ctx}
}

// rewriteRules are tried at each position in order; the first that matches
// wins, so longer forms come before their prefixes.
var rewriteRules = []rule{
	// Noise around the address.
	rewrite("附近", "", anywhere),
	rewrite("旁边", "", anywhere),
	rewrite("斜对面", "", anywhere),
	rewrite("对面", "", anywhere),
	rewrite("隔壁", "", anywhere),
	rewrite("周边", "", anywhere),
	rewrite("一带", "", anywhere),
	rewrite("门口", "", anywhere),
	rewrite("旁", "", atEnd),
	rewrite("联系电话", "", anywhere),
	rewrite("联系方式", "", anywhere),
	rewrite("电话号码", "", anywhere),
	rewrite("电话", "", anywhere),
	rewrite("手机号码", "", anywhere),
	rewrite("手机号", "", anywhere),
	rewrite("手机", "", anywhere),
	rewrite("TEL", "", anywhere),
	rewrite("中华人民共和国", "", atStart),
	rewrite("中国", "", atStart),
	// Old and short division names.
	// 黔 is the province only before the city or a county-level unit:
	// 黔中嘉园 and 黔桂南路 are names.
	rewrite("黔六盘水", "贵州六盘水", anywhere),
	rewrite("黔钟山", "贵州钟山", anywhere),
	rewrite("黔六枝", "贵州六枝", anywhere),
	rewrite("黔水城", "贵州水城", anywhere),
	rewrite("黔盘州", "贵州盘州", anywhere),
	rewrite("黔盘县", "贵州盘县", anywhere),
	rewrite("水城县", "水城区", anywhere),
	rewrite("盘县", "盘州市", anywhere),
	// Committee suffixes: the community's short name ends in 社区.
	rewrite("社区居民委员会", "社区", anywhere),
	rewrite("社区居委会", "社区", anywhere),
	rewrite("居民委员会", "社区", anywhere),
	rewrite("居委会", "社区", anywhere),
	rewrite("街道办事处", "街道", anywhere),
	rewrite("街道办", "街道", anywhere),
	rewrite("办事处", "街道", anywhere),
	// Building, floor and room words.
	rewrite("号楼", "栋", afterAlnum),
	rewrite("号栋", "栋", afterAlnum),
	rewrite("栋楼", "栋", afterAlnum),
	rewrite("#楼", "栋", afterAlnum),
	rewrite("#", "栋", afterAlnum),
	rewrite("幢", "栋", afterAlnum),
	rewrite("座", "栋", afterAlnum),
	rewrite("楼", "层", afterDigit),
	rewrite("F", "层", afterDigit),
	rewrite("户", "室", afterDigit),
	rewrite("负", "-", beforeDigit),
	rewrite("地下", "-", beforeDigit),
	rewrite("第", "", beforeDigit),
}

// isRuleStart reports whether some rule's first rune is c, so most
// positions skip the rule scan.
func isRuleStart(c rune) bool {
	switch c {
	case '附', '旁', '斜', '对', '隔', '周', '一', '门', '联', '电', '手', 'T', '中',
		'黔', '水', '盘', '社', '居', '街', '办', '号', '栋', '#', '幢', '座', '楼',
		'F', '户', '负', '地', '第':
		return true
	}
	return false
}

// applyRules rewrites rs left to right with rewriteRules.
func applyRules(rs []rune) []rune {
	out := make([]rune, 0, len(rs)+4)
	for i := 0; i < len(rs); {
		if isRuleStart(rs[i]) {
			if ru, ok := matchRule(rs, i, out); ok {
				out = append(out, ru.to...)
				i += len(ru.from)
				continue
			}
		}
		out = append(out, rs[i])
		i++
	}
	return out
}

// matchRule returns the first rule that matches rs at i in its context.
func matchRule(rs []rune, i int, out []rune) (rule, bool) {
	for _, ru := range rewriteRules {
		if ru.from[0] != rs[i] || !hasPrefixAt(rs, i, ru.from) {
			continue
		}
		if contextHolds(ru.ctx, rs, i+len(ru.from), out) {
			return ru, true
		}
	}
	return rule{}, false
}

func contextHolds(ctx ruleContext, rs []rune, end int, out []rune) bool {
	var prev rune
	if len(out) > 0 {
		prev = out[len(out)-1]
	}
	switch ctx {
	case afterAlnum:
		return isAlnum(prev)
	case afterDigit:
		return isDigit(prev)
	case beforeDigit:
		return end < len(rs) && isDigit(rs[end])
	case atStart:
		return len(out) == 0
	case atEnd:
		return end == len(rs) || rs[end] == ')'
	}
	return true
}

func hasPrefixAt(rs []rune, i int, p []rune) bool {
	if len(rs)-i < len(p) {
		return false
	}
	for k, c := range p {
		if rs[i+k] != c {
			return false
		}
	}
	return true
}

// convertNumerals turns runs of Chinese numerals into ASCII digits where
// they are numbers of the address (before a number word, or after one at
// the end) and leaves them alone inside names.
func convertNumerals(rs []rune) []rune {
	var out []rune
	for i := 0; i < len(rs); {
		if !isNumeral(rs[i]) {
			if out != nil {
				out = append(out, rs[i])
			}
			i++
			continue
		}
		j := i
		for j < len(rs) && isNumeral(rs[j]) {
			j++
		}
		v, ok := numeralValue(rs[i:j])
		if ok && numeralIsNumber(rs, i, j) {
			if out == nil {
				out = append(make([]rune, 0, len(rs)), rs[:i]...)
			}
			out = appendInt(out, v)
		} else if out != nil {
			out = append(out, rs[i:j]...)
		}
		i = j
	}
	if out == nil {
		return rs
	}
	return out
}

// numeralIsNumber reports whether the numerals rs[i:j] are a number of the
// address rather than part of a name.
func numeralIsNumber(rs []rune, i, j int) bool {
	if j < len(rs) && isNumberWordAfter(rs[j]) {
		return true
	}
	if j < len(rs) && (isHan(rs[j]) || isUpper(rs[j])) {
		return false
	}
	return i > 0 && isNumberWordBefore(rs[i-1])
}

// isNumberWordAfter reports whether c, following a number, makes it a
// door, building, unit, floor or room number.
func isNumberWordAfter(c rune) bool {
	switch c {
	case '号', '栋', '幢', '座', '楼', '单', '层', '室', '户', '期', 'F', '#', '-':
		return true
	}
	return false
}

// isNumberWordBefore reports whether c, before a number that ends the
// address, makes it a room (二单元五零一) or the next number of a series.
func isNumberWordBefore(c rune) bool {
	switch c {
	case '元', '栋', '幢', '座', '号', '层', '楼', '室', '-', '第':
		return true
	}
	return isDigit(c)
}

func appendInt(out []rune, v int) []rune {
	if v == 0 {
		return append(out, '0')
	}
	var buf [20]rune
	n := len(buf)
	for v > 0 {
		n--
		buf[n] = rune('0' + v%10)
		v /= 10
	}
	return append(out, buf[n:]...)
}

// dropPhones removes phone numbers: a run of digits, hyphens and plus
// signs holding seven digits in a row or ten in all (13812345678,
// 0858-8221234, +86), a mobile number written 138 1234 5678, and a
// bracketed area code before a number it removed.
func dropPhones(rs []rune) []rune {
	out := rs[:0]
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) && rs[i] != '+' {
			out = append(out, rs[i])
			i++
			continue
		}
		j, longest, total := scanPhoneRun(rs, i)
		if end, ok := spacedMobile(rs, i); ok {
			i = end
			continue
		}
		if longest >= 7 || total >= 10 || rs[i] == '+' {
			if rs[i] == '+' {
				out = dropAreaCode(out)
				i = j
				continue
			}
			keep := trailingPhoneStart(rs, i, j)
			for keep > i && rs[keep-1] == '-' {
				keep--
			}
			if keep == i {
				out = dropAreaCode(out)
			}
			out = append(out, rs[i:keep]...)
			i = j
			continue
		}
		out = append(out, rs[i:j]...)
		i = j
	}
	return out
}

// trailingPhoneStart returns where a phone number typed straight after an
// address number begins in the run rs[i:j] (3-2-501 13812345678 without
// the space): a mobile number (1, then 3-9, then nine digits) or a
// landline with its area code (0858-8221234) ending the run. It returns i
// when the run is all phone.
func trailingPhoneStart(rs []rune, i, j int) int {
	if j-i > 11 && isMobileAt(rs, j-11) {
		return j - 11
	}
	h := j - 1
	for h >= i && isDigit(rs[h]) {
		h--
	}
	if h < i || rs[h] != '-' || j-h-1 < 7 || j-h-1 > 8 {
		return i
	}
	for _, n := range [2]int{4, 3} {
		if s := h - n; s >= i && rs[s] == '0' && allDigits(rs[s:h]) {
			return s
		}
	}
	return i
}

// isMobileAt reports whether the eleven runes at rs[k:] are a mobile number.
func isMobileAt(rs []rune, k int) bool {
	if rs[k] != '1' || rs[k+1] < '3' || rs[k+1] > '9' {
		return false
	}
	return allDigits(rs[k : k+11])
}

func allDigits(rs []rune) bool {
	for _, c := range rs {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// scanPhoneRun returns the end of the run of digits, hyphens and plus signs
// starting at i, its longest stretch of digits and its count of digits.
func scanPhoneRun(rs []rune, i int) (end, longest, total int) {
	run := 0
	for end = i; end < len(rs); end++ {
		c := rs[end]
		if isDigit(c) {
			run++
			total++
			longest = max(longest, run)
			continue
		}
		if c != '-' && c != '+' {
			break
		}
		run = 0
	}
	return end, longest, total
}

// spacedMobile reports whether a mobile number written in groups
// (138 1234 5678) starts at i, and where it ends.
func spacedMobile(rs []rune, i int) (int, bool) {
	if rs[i] != '1' {
		return 0, false
	}
	k := i
	for _, n := range [3]int{3, 4, 4} {
		if k > i {
			if k >= len(rs) || (rs[k] != ' ' && rs[k] != '-') {
				return 0, false
			}
			k++
		}
		for c := 0; c < n; c++ {
			if k >= len(rs) || !isDigit(rs[k]) {
				return 0, false
			}
			k++
		}
	}
	if k < len(rs) && isDigit(rs[k]) {
		return 0, false
	}
	return k, true
}

// dropAreaCode removes a bracketed area code, (0858), that ends out.
func dropAreaCode(out []rune) []rune {
	n := len(out)
	if n < 5 || out[n-1] != ')' {
		return out
	}
	k := n - 2
	for k >= 0 && isDigit(out[k]) {
		k--
	}
	if k >= 0 && out[k] == '(' && n-2-k >= 3 && out[k+1] == '0' {
		return out[:k]
	}
	return out
}
