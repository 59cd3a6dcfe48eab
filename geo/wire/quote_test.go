package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAppendString checks the quoter against encoding/json (without its
// HTML escaping), and that the copying fast path writes exactly what the
// rune-by-rune path writes.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"钟环社区第3网格", "a\"b\\c\n\t\x01", "贵州省六盘水市人民中路12号", "", "ｘ３号", "a\u2028b", "\xff<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendString(nil, s)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		// encoding/json writes \b and \f short; the quoter writes \u0008
		// and \u000c, which read back the same.
		w := bytes.TrimSuffix(want.Bytes(), []byte("\n"))
		w = bytes.ReplaceAll(bytes.ReplaceAll(w, []byte(`\b`), []byte(`\u0008`)), []byte(`\f`), []byte(`\u000c`))
		if !bytes.Equal(got, w) && !strings.Contains(s, `\`) {
			t.Fatalf("AppendString(%q) = %s, encoding/json writes %s", s, got, w)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != strings.ToValidUTF8(s, "\uFFFD") && utf8.ValidString(s) {
			t.Fatalf("AppendString(%q) = %s reads back as %q, %v", s, got, back, err)
		}
		if utf8.ValidString(s) && strings.IndexByte(s, 0xE2) < 0 {
			if fast, slow := appendPlainString(nil, s), appendEscapedString(nil, s); !bytes.Equal(fast, slow) {
				t.Fatalf("%q: fast path %s, rune by rune %s", s, fast, slow)
			}
		}
	})
}
