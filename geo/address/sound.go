package address

import (
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// homophoneCost is the edit cost of swapping a character for one that
// sounds the same (贝 for 北, 溪 for 西): the commonest typo of pinyin
// input methods, so cheaper than any other edit.
const homophoneCost = 0.4

// nearSoundCost is the edit cost of swapping a character for one that
// sounds the same in the south-western Mandarin of Guizhou, which does not
// tell s from sh, z from zh, c from ch, n from l, nor -n from -ng (三 for
// 山, 林 for 灵): the fuzzy-pinyin options of every input method.
const nearSoundCost = 0.6

// A sound holds the toneless pinyin readings of a character, exact and
// folded as the dialect hears them.
type sound struct {
	exact, near []string
}

// A soundTable caches the sounds of characters.
type soundTable map[rune]sound

// readings returns the sound of r, from the cache or the dictionary.
func (t soundTable) readings(r rune) sound {
	if s, ok := t[r]; ok {
		return s
	}
	return soundOf(r)
}

// learn caches the sound of every character of s and returns them.
func (t soundTable) learn(s []rune) []sound {
	out := make([]sound, len(s))
	for i, r := range s {
		snd, ok := t[r]
		if !ok {
			snd = soundOf(r)
			t[r] = snd
		}
		out[i] = snd
	}
	return out
}

// soundOf looks r up in the pinyin dictionary.
func soundOf(r rune) sound {
	exact := toneless(r)
	near := make([]string, 0, len(exact))
	for _, p := range exact {
		if f := dialectFold(p); !containsString(near, f) {
			near = append(near, f)
		}
	}
	return sound{exact: exact, near: near}
}

// dialectFold folds a toneless reading the way Guizhou speech merges
// sounds: zh, ch, sh to z, c, s; n to l; a final -ng to -n.
func dialectFold(p string) string {
	for _, pair := range [][2]string{{"zh", "z"}, {"ch", "c"}, {"sh", "s"}} {
		if rest, ok := strings.CutPrefix(p, pair[0]); ok {
			p = pair[1] + rest
			break
		}
	}
	if rest, ok := strings.CutPrefix(p, "n"); ok && rest != "" && rest != "g" {
		p = "l" + rest
	}
	if rest, ok := strings.CutSuffix(p, "ng"); ok && rest != "" {
		p = rest + "n"
	}
	return p
}

// toneless looks r up in the pinyin dictionary and strips the tones.
func toneless(r rune) []string {
	raw, ok := pinyin.PinyinDict[int(r)]
	if !ok {
		return nil
	}
	parts := strings.Split(raw, ",")
	out := parts[:0]
	for _, p := range parts {
		var b strings.Builder
		for _, c := range p {
			b.WriteRune(baseVowel(c))
		}
		if s := b.String(); !containsString(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// baseVowel maps a toned vowel to its plain letter (ü to v).
func baseVowel(c rune) rune {
	switch c {
	case 'ā', 'á', 'ǎ', 'à':
		return 'a'
	case 'ē', 'é', 'ě', 'è':
		return 'e'
	case 'ī', 'í', 'ǐ', 'ì':
		return 'i'
	case 'ō', 'ó', 'ǒ', 'ò':
		return 'o'
	case 'ū', 'ú', 'ǔ', 'ù':
		return 'u'
	case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		return 'v'
	case 'ń', 'ň', 'ǹ':
		return 'n'
	case 'ḿ':
		return 'm'
	}
	return c
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// soundCost is the cost of writing a character that sounds qa where one
// that sounds na was meant, given they differ: homophoneCost when they
// share a reading, nearSoundCost when they do in the dialect, 1 otherwise.
func soundCost(na, qa sound) float64 {
	for _, x := range na.exact {
		if containsString(qa.exact, x) {
			return homophoneCost
		}
	}
	for _, x := range na.near {
		if containsString(qa.near, x) {
			return nearSoundCost
		}
	}
	return 1
}

// distance is the edit distance from name to q, rune-aware, with
// homophones cheaper than other substitutions; nr and qr hold the readings
// of their runes. Insertions and deletions cost 1.
func distance(name, q []rune, nr, qr []sound) float64 {
	var rowBuf [2][32]float64
	prev, cur := rowBuf[0][:0], rowBuf[1][:0]
	for j := 0; j <= len(q); j++ {
		prev = append(prev, float64(j))
	}
	for i := 1; i <= len(name); i++ {
		cur = append(cur[:0], float64(i))
		for j := 1; j <= len(q); j++ {
			sub := 0.0
			if name[i-1] != q[j-1] {
				sub = soundCost(nr[i-1], qr[j-1])
			}
			cur = append(cur, min(prev[j-1]+sub, prev[j]+1, cur[j-1]+1))
		}
		prev, cur = cur, prev
	}
	return prev[len(q)]
}
