package address

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are the starting inputs of the fuzzers: every form the
// normaliser handles, and some hostile ones.
var fuzzSeeds = []string{
	"六盘水钟山区人民中路十二号凉都花园3栋二单元501",
	"钟山区 荷城街道 人民中路12号3-2-501",
	"贵州省六盘水市人民中路12号附近",
	"黔六盘水水城县双水街道ＡＢ座　一〇二室 电话:13812345678",
	"钟山区钟山区人民中路十一号楼负一楼",
	"盘县亦资街道七号点社区居委会二十二社区 (0858)8221234 138 1234 5678",
	"凉都花园3#楼2单元五百零一", "3-2-50113812345678", "地下二层", "第三单元", "附附近近",
	"六盘水六盘水六盘水市", "十十十号", "--1层", "\xff\xfe", "\x00", "", "号楼号楼", "一〇〇〇〇〇〇〇〇〇号",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q, not valid UTF-8", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q: not idempotent", s, n, n, again)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Parse(s)
		for _, part := range append([]string{p.Province, p.City, p.District, p.Subdistrict, p.Community,
			p.Road, p.Estate, p.Building, p.Room, p.String()}, p.Rest...) {
			if !utf8.ValidString(part) {
				t.Fatalf("Parse(%q) has a part %q that is not valid UTF-8", s, part)
			}
		}
		if p.Number < 0 || p.Unit < 0 {
			t.Fatalf("Parse(%q) = %+v: negative door or unit number", s, p)
		}
		if q := Parse(Normalize(s)); q.String() != p.String() {
			t.Fatalf("Parse(%q) = %s but Parse of its normal form = %s", s, p, q)
		}
	})
}

func FuzzGeocode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	x, _ := miniIndex(f)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := x.Geocode(s)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrInvalidText) {
				t.Fatalf("Geocode(%q) = %v, want one of the input errors", s, err)
			}
			return
		}
		if r.Best == nil || r.Best.Confidence < 0 || r.Best.Confidence > 1 || len(r.Alternatives) > MaxAlternatives {
			t.Fatalf("Geocode(%q) = %+v, want a best answer with confidence in [0, 1]", s, r)
		}
		if r.Best.Building != nil && r.Best.Grid != r.Best.Building.Grid {
			t.Fatalf("Geocode(%q): grid %s is not the building's %s", s, r.Best.Grid, r.Best.Building.Grid)
		}
	})
}
