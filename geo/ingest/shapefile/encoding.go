package shapefile

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// A codec decodes a table's text to UTF-8.
type codec struct {
	name string
	enc  encoding.Encoding // nil for UTF-8
	dec  *encoding.Decoder
}

// codecs maps normalised encoding names (upper case, without spaces,
// hyphens and underscores) as .cpg files and users spell them to the
// encoding used. GB2312 and CP936 decode as GBK, their superset; GBK's
// own superset GB18030 is kept apart so the report says what the file
// declared.
var codecs = map[string]string{
	"UTF8": "UTF-8", "65001": "UTF-8", "CP65001": "UTF-8",
	"ASCII": "UTF-8", "USASCII": "UTF-8", "20127": "UTF-8",
	"GBK": "GBK", "CP936": "GBK", "936": "GBK", "MS936": "GBK", "WINDOWS936": "GBK",
	"ANSI936": "GBK", "GB2312": "GBK", "EUCCN": "GBK", "20936": "GBK", "CP20936": "GBK",
	"GB18030": "GB18030", "54936": "GB18030", "CP54936": "GB18030",
	"BIG5": "Big5", "950": "Big5", "CP950": "Big5",
	"LATIN1": "ISO-8859-1", "ISO88591": "ISO-8859-1", "88591": "ISO-8859-1", "28591": "ISO-8859-1",
	"1252": "windows-1252", "CP1252": "windows-1252", "WINDOWS1252": "windows-1252", "ANSI1252": "windows-1252",
}

// ldids maps the dBase language driver ids (header byte 29) that name an
// encoding unambiguously. 0x57 ("ANSI", the writer's system code page) and
// 0 (none) are not in it: those tables are detected.
var ldids = map[byte]string{
	0x4D: "GBK", 0x7A: "GBK", // Chinese GBK (PRC)
	0x4F: "Big5", 0x78: "Big5",
	0x03: "windows-1252", 0x58: "windows-1252",
}

// lookupCodec returns the codec of an encoding name as a .cpg or a user
// spells it; an unknown name is an error naming it.
func lookupCodec(name string) (*codec, error) {
	key := strings.ToUpper(strings.TrimSpace(name))
	if n, ok := strings.CutPrefix(key, "LDID/"); ok {
		for id, c := range ldids {
			if fmt.Sprint(id) == n {
				return newCodec(c), nil
			}
		}
		return nil, fmt.Errorf("unknown encoding %q", name)
	}
	key = strings.NewReplacer(" ", "", "-", "", "_", "").Replace(key)
	c, ok := codecs[key]
	if !ok {
		return nil, fmt.Errorf("unknown encoding %q (known: UTF-8, GBK, CP936, GB2312, GB18030, 936, 65001, Big5, ISO-8859-1, 1252)", name)
	}
	return newCodec(c), nil
}

func newCodec(name string) *codec {
	c := &codec{name: name}
	switch name {
	case "GBK":
		c.enc = simplifiedchinese.GBK
	case "GB18030":
		c.enc = simplifiedchinese.GB18030
	case "Big5":
		c.enc = traditionalchinese.Big5
	case "ISO-8859-1":
		c.enc = charmap.ISO8859_1
	case "windows-1252":
		c.enc = charmap.Windows1252
	}
	if c.enc != nil {
		c.dec = c.enc.NewDecoder()
	}
	return c
}

// decode returns b as UTF-8 text. ASCII passes through; bytes invalid in
// the encoding become U+FFFD (a multi-byte character cut by the field's
// width is the usual cause), as GDAL's recoding does.
func (c *codec) decode(b []byte) string {
	ascii := true
	for _, x := range b {
		if x >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	if c.dec == nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := c.dec.Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// chooseCodec picks the table's encoding: the declared one, else the
// .cpg, else the language driver id, else detected. It returns the codec
// and how it was chosen.
func chooseCodec(declared string, cpg []byte, t *table) (*codec, string, error) {
	if declared != "" {
		c, err := lookupCodec(declared)
		return c, "declared", err
	}
	if cpg != nil {
		if name := strings.TrimSpace(strings.TrimPrefix(string(cpg), "\uFEFF")); name != "" {
			c, err := lookupCodec(name)
			return c, "cpg", err
		}
	}
	if name, ok := ldids[t.ldid]; ok {
		return newCodec(name), "ldid", nil
	}
	return detect(t), "detected", nil
}

// detect chooses between the encodings a table without a declaration is
// found in: UTF-8 when all its text is valid UTF-8 (ASCII included), else
// GB18030 (which decodes GBK and GB2312) when all of it is valid GB18030
// and reads like Chinese, else windows-1252 (European text from a Western
// desktop). Latin-1 accented letters followed by an ASCII letter ("ção")
// happen to be valid GBK pairs, but pairs whose second byte is ASCII are
// the rare extension characters in Chinese text: more than one in ten
// makes the table Latin.
func detect(t *table) *codec {
	if t.all(utf8.Valid) {
		return newCodec("UTF-8")
	}
	var pairs, asciiTrail int
	valid := t.all(func(b []byte) bool {
		p, a, ok := scanGB18030(b)
		pairs += p
		asciiTrail += a
		return ok
	})
	if valid && asciiTrail*10 <= pairs {
		return newCodec("GB18030")
	}
	return newCodec("windows-1252")
}

// scanGB18030 checks that b is valid GB18030, counting its multi-byte
// characters and those whose second byte is in the ASCII range.
func scanGB18030(b []byte) (chars, asciiTrail int, ok bool) {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80 || c == 0xFF || i+1 >= len(b):
			return chars, asciiTrail, false
		}
		d := b[i+1]
		switch {
		case d >= 0x30 && d <= 0x39:
			if i+3 >= len(b) || b[i+2] < 0x81 || b[i+2] == 0xFF || b[i+3] < 0x30 || b[i+3] > 0x39 {
				return chars, asciiTrail, false
			}
			i += 4
		case d >= 0x40 && d <= 0x7E:
			asciiTrail++
			i += 2
		case d >= 0x80 && d <= 0xFE:
			i += 2
		default:
			return chars, asciiTrail, false
		}
		chars++
	}
	return chars, asciiTrail, true
}

// all reports whether ok holds for every field name and character value
// of t.
func (t *table) all(ok func([]byte) bool) bool {
	for _, f := range t.fields {
		if !ok(f.rawName) {
			return false
		}
	}
	for i := 0; i < t.records; i++ {
		r, _ := t.record(i)
		for j := range t.fields {
			f := &t.fields[j]
			if f.typ == 'C' && !ok(f.value(r)) {
				return false
			}
		}
	}
	return true
}
