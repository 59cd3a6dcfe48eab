package cityio

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzStringFastPath checks that the copying fast path of string encoding
// writes exactly what the rune-by-rune path writes.
func FuzzStringFastPath(f *testing.F) {
	for _, s := range []string{"钟环社区第3网格", "a\"b\\c\n\t\x01", "贵州省六盘水市人民中路12号", "", "ｘ３号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0xE2) >= 0 {
			return
		}
		if fast, slow := appendPlainString(nil, s), appendEscapedString(nil, s); !bytes.Equal(fast, slow) {
			t.Fatalf("%q: fast path %s, rune by rune %s", s, fast, slow)
		}
	})
}
