package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScannerErrors(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"array separator", `[1 2]`, "malformed JSON at byte 3: want ',' or ']'"},
		{"trailing comma", `{"a":1,}`, "malformed JSON at byte 7: want a member name"},
		{"data after value", `{} x`, "malformed JSON at byte 3: unexpected data after the value"},
		{"unterminated string", `"ab`, "malformed JSON at byte 3: unterminated string"},
		{"control character", "\"a\x01\"", "malformed JSON at byte 2: control character in string"},
		{"bad escape", `"\x"`, "malformed JSON at byte 2: bad escape"},
		{"bad fraction", `1.`, "malformed JSON at byte 2: want digits after '.'"},
		{"bad exponent", `1e+`, "malformed JSON at byte 3: want digits in exponent"},
		{"bad literal", `nul`, "malformed JSON at byte 0: want a value"},
		{"missing colon", `{"a" 1}`, "malformed JSON at byte 5: unexpected '1', want ':'"},
		{"too deep", strings.Repeat("[", 65) + strings.Repeat("]", 65), "malformed JSON at byte 65: nesting deeper than 64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewScanner([]byte(c.in))
			err := s.Skip()
			if err == nil {
				err = s.End()
			}
			if err == nil || err.Error() != c.want {
				t.Errorf("scanning %q: %v, want %s", c.in, err, c.want)
			}
		})
	}
}

func TestScannerStrings(t *testing.T) {
	cases := []struct {
		name, in, want string
		escaped        bool
	}{
		{"plain", `"钟环社区"`, "钟环社区", false},
		{"escapes", `"a\"b\\c\/d\n\t\u00e9"`, "a\"b\\c/d\n\té", true},
		{"surrogate pair", `"\ud83d\ude00"`, "😀", true},
		{"lone surrogate", `"\ud83dx"`, "\uFFFDx", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewScanner([]byte(c.in))
			got, err := s.Str()
			if err != nil || string(got) != c.want || s.Escaped() != c.escaped {
				t.Errorf("Str(%s) = %q, %v (escaped %v), want %q (escaped %v)", c.in, got, err, s.Escaped(), c.want, c.escaped)
			}
		})
	}
	s := NewScanner([]byte("\"a\xffb\""))
	s.UTF8 = true
	if _, err := s.Str(); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("Str with UTF8 set accepted invalid UTF-8: %v", err)
	}
}

// FuzzScanner checks the scanner against encoding/json: it accepts
// exactly the texts json.Valid accepts (short of its depth cap), and
// decodes each string as json.Unmarshal does.
func FuzzScanner(f *testing.F) {
	for _, in := range []string{`{"points":[[104.8,26.5]]}`, `[1,-0.5e+3,true,false,null,"\u00e9\ud83d\ude00"]`,
		`{"a":{"b":[{}]}}`, `"\ud800"`, `[1 2]`, `{"a":1,}`, "\"a\xffb\"", `01`, `-`, `1.e5`} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := NewScanner(in)
		err := s.Skip()
		if err == nil {
			err = s.End()
		}
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("scanning %q: error %T, want *SyntaxError", in, err)
		}
		if err != nil && strings.Contains(err.Error(), "nesting deeper") {
			return
		}
		if valid := json.Valid(in); valid != (err == nil) {
			t.Fatalf("scanning %q: error %v, json.Valid says %v", in, err, valid)
		}
		if err != nil || len(in) == 0 || in[0] != '"' {
			return
		}
		var want string
		if jerr := json.Unmarshal(in, &want); jerr != nil {
			t.Fatalf("json.Unmarshal(%q): %v", in, jerr)
		}
		got, _ := NewScanner(in).Text()
		if utf8.ValidString(want) && got != want && utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q, json.Unmarshal gives %q", in, got, want)
		}
	})
}
