package address

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"issue example 1", "六盘水钟山区人民中路十二号凉都花园3栋二单元501", "六盘水钟山区人民中路12号凉都花园3栋2单元501"},
		{"issue example 2", "钟山区 荷城街道 人民中路12号3-2-501", "钟山区荷城街道人民中路12号3-2-501"},
		{"issue example 3", "贵州省六盘水市人民中路12号附近", "贵州省六盘水市人民中路12号"},
		{"numeral unit", "二单元", "2单元"},
		{"numeral eleven", "十一号", "11号"},
		{"numeral twenty", "二十号", "20号"},
		{"numeral digitwise ring zero", "一〇二室", "102室"},
		{"numeral positional room", "五百零一室", "501室"},
		{"numeral room after unit", "2单元五零一", "2单元501"},
		{"numeral two as liang", "两单元", "2单元"},
		{"basement floor", "负一楼", "-1层"},
		{"basement 地下", "地下二层", "-2层"},
		{"numerals in names kept", "六盘水市六枝特区二屯社区", "六盘水市六枝特区二屯社区"},
		{"numeral community kept", "二十二社区", "二十二社区"},
		{"numeral alley kept", "兴隆三巷5号", "兴隆三巷5号"},
		{"lane ordinal in digits", "繁荣3巷2号望城新村4幢", "繁荣三巷2号望城新村4栋"},
		{"lane ordinal with 第", "繁荣第三巷2号", "繁荣三巷2号"},
		{"lane ordinal with 第 and digits", "繁荣第3巷2号", "繁荣三巷2号"},
		{"lane ordinal past ten", "繁荣12巷", "繁荣十二巷"},
		{"lane ordinal twenty", "繁荣20巷", "繁荣二十巷"},
		{"alley 弄", "长乐2弄3号", "长乐二弄3号"},
		{"alley 条 and 胡同", "东四10条 南锣5胡同", "东四十条南锣五胡同"},
		{"door number before 巷 is no ordinal", "荷花3号巷2号", "荷花3号巷2号"},
		{"numbered road kept", "2号路5号", "2号路5号"},
		{"ring road kept", "一环路12号", "一环路12号"},
		{"full-width digits", "３号", "3号"},
		{"full-width letter seat", "Ａ座", "A栋"},
		{"lower-case letter", "b座", "B栋"},
		{"号楼", "3号楼", "3栋"},
		{"幢", "3幢", "3栋"},
		{"hash", "3#", "3栋"},
		{"hash with 楼", "3#楼", "3栋"},
		{"栋 kept", "3栋", "3栋"},
		{"floor F", "5F", "5层"},
		{"floor 楼", "5楼", "5层"},
		{"第 dropped", "第三单元", "3单元"},
		{"户 as room", "501户", "501室"},
		{"黔", "黔六盘水", "贵州六盘水"},
		{"old county 水城县", "水城县双水街道", "水城区双水街道"},
		{"old county 盘县", "盘县亦资街道", "盘州市亦资街道"},
		{"committee suffix 社区居委会", "钟环社区居委会", "钟环社区"},
		{"committee suffix 居民委员会", "钟环社区居民委员会", "钟环社区"},
		{"committee suffix bare 居委会", "钟环居委会", "钟环社区"},
		{"街道办事处", "荷城街道办事处", "荷城街道"},
		{"doubled district", "钟山区 钟山区人民中路", "钟山区人民中路"},
		{"short before full", "六盘水六盘水市", "六盘水市"},
		{"doubled province", "贵州贵州省", "贵州省"},
		{"no collapse across names", "六盘水市盘州市盘州路", "六盘水市盘州市盘州路"},
		{"road after district kept", "钟山区钟山路", "钟山区钟山路"},
		{"mobile phone", "人民中路12号 13812345678", "人民中路12号"},
		{"mobile spaced", "人民中路12号 电话:138 1234 5678", "人民中路12号"},
		{"landline", "人民中路12号 0858-8221234", "人民中路12号"},
		{"landline bracketed", "人民中路12号(0858)8221234", "人民中路12号"},
		{"phone glued to room", "3-2-50113812345678", "3-2-501"},
		{"compact kept", "12-3-1001", "12-3-1001"},
		{"bracketed nearby", "人民中路12号(附近)", "人民中路12号"},
		{"对面", "人民中路12号对面", "人民中路12号"},
		{"final 旁", "人民中路12号旁", "人民中路12号"},
		{"punctuation", "钟山区，人民中路、12号。", "钟山区人民中路12号"},
		{"ideographic space", "钟山区\u3000人民中路", "钟山区人民中路"},
		{"china prefix", "中国贵州省", "贵州省"},
		{"traditional", "人民中路12號3樓", "人民中路12号3层"},
		{"stray hyphen", "人民中路-12号", "人民中路12号"},
		{"control chars dropped", "人民\x00中路\u200b12号", "人民中路12号"},
		{"invalid UTF-8 dropped", "人民\xff中路", "人民中路"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNumeralValue(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"十", 10, true}, {"十二", 12, true}, {"二十", 20, true}, {"二十一", 21, true},
		{"一百零二", 102, true}, {"一百二十", 120, true}, {"一百二", 120, true}, {"三千五百", 3500, true},
		{"一〇二", 102, true}, {"五零一", 501, true}, {"两", 2, true}, {"十十", 0, false}, {"百", 0, false},
	}
	for _, tc := range cases {
		got, ok := numeralValue([]rune(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("numeralValue(%s) = %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCheckInput(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want error
	}{
		{"address", "人民中路12号", nil},
		{"with newline", "人民中路\n12号", nil},
		{"empty", "", ErrEmpty},
		{"spaces", "  \u3000 ", ErrEmpty},
		{"punctuation only", "，。!!", ErrEmpty},
		{"too long", strings.Repeat("路", MaxInputBytes/3+1), ErrTooLong},
		{"invalid UTF-8", "人民\xc3\x28", ErrInvalidText},
		{"GBK bytes", "\xc8\xcb\xc3\xf1", ErrInvalidText},
		{"NUL", "人民\x00中路", ErrInvalidText},
		{"escape", "人民\x1b[31m", ErrInvalidText},
		{"replacement char", "人民\uFFFD中路", ErrInvalidText},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckInput(tc.in)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("CheckInput(%q) = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, in := range []string{
		"附附近近", "钟山区钟山区钟山区", "黔黔", "六盘水六盘水六盘水市", "盘县县", "一一号", "十十号",
		"号号楼楼", "3#楼#楼", "负负一楼", "居委居委会会", "(附近)(附近)", "旁旁",
	} {
		once := Normalize(in)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize(Normalize(%q)) = %q, want %q", in, twice, once)
		}
	}
}
