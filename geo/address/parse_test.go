package address

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Parts
	}{
		{"issue example 1", "六盘水钟山区人民中路十二号凉都花园3栋二单元501",
			Parts{City: "六盘水市", District: "钟山区", Road: "人民中路", Number: 12, Estate: "凉都花园", Building: "3", Unit: 2, Room: "501"}},
		{"issue example 2", "钟山区 荷城街道 人民中路12号3-2-501",
			Parts{District: "钟山区", Subdistrict: "荷城街道", Road: "人民中路", Number: 12, Building: "3", Unit: 2, Room: "501"}},
		{"issue example 3", "贵州省六盘水市人民中路12号附近",
			Parts{Province: "贵州省", City: "六盘水市", Road: "人民中路", Number: 12}},
		{"standard with community", "贵州省六盘水市钟山区荷城街道钟环社区人民中路12号凉都花园3栋2单元5楼501室",
			Parts{Province: "贵州省", City: "六盘水市", District: "钟山区", Subdistrict: "荷城街道", Community: "钟环社区",
				Road: "人民中路", Number: 12, Estate: "凉都花园", Building: "3", Unit: 2, Floor: 5, Room: "501"}},
		{"compact building-unit-room", "凉都花园12-3-1001", Parts{Estate: "凉都花园", Building: "12", Unit: 3, Room: "1001"}},
		{"compact building-room", "人民中路12号3-501", Parts{Road: "人民中路", Number: 12, Building: "3", Room: "501"}},
		{"floor F and room", "人民中路12号3F", Parts{Road: "人民中路", Number: 12, Floor: 3}},
		{"basement", "人民中路12号负一楼", Parts{Road: "人民中路", Number: 12, Floor: -1}},
		{"room 室", "人民中路12号501室", Parts{Road: "人民中路", Number: 12, Room: "501"}},
		{"bare room after building", "凉都花园3栋501", Parts{Estate: "凉都花园", Building: "3", Room: "501"}},
		{"lettered building", "荷城花园Ａ座", Parts{Estate: "荷城花园", Building: "A"}},
		{"building after estate as 号", "凉都花园3号2单元", Parts{Estate: "凉都花园", Building: "3", Unit: 2}},
		{"short district and city", "贵州六盘水钟山人民中路12号", Parts{Province: "贵州省", City: "六盘水市", District: "钟山区", Road: "人民中路", Number: 12}},
		{"old county name", "水城县双水街道小山路3号", Parts{District: "水城区", Subdistrict: "双水街道", Road: "小山路", Number: 3}},
		{"黔", "黔六盘水市人民中路12号", Parts{Province: "贵州省", City: "六盘水市", Road: "人民中路", Number: 12}},
		{"community with committee suffix", "钟环社区居委会人民中路12号", Parts{Community: "钟环社区", Road: "人民中路", Number: 12}},
		{"community named after a road", "人民中路社区人民中路12号", Parts{Community: "人民中路社区", Road: "人民中路", Number: 12}},
		{"numeral in community name", "七号点社区凤凰路8号", Parts{Community: "7号点社区", Road: "凤凰路", Number: 8}},
		{"road and estate without door", "人民中路凉都花园", Parts{Road: "人民中路", Estate: "凉都花园"}},
		{"estate with 小区", "钟山区阳光小区2栋", Parts{District: "钟山区", Estate: "阳光小区", Building: "2"}},
		{"phone and noise", "钟山区人民中路12号旁 电话13812345678", Parts{District: "钟山区", Road: "人民中路", Number: 12}},
		{"unplaced rest", "钟山区人民中路12号3栋4单元5层501室999", Parts{District: "钟山区", Road: "人民中路", Number: 12, Building: "3", Unit: 4, Floor: 5, Room: "501", Rest: []string{"999"}}},
		{"nothing", "", Parts{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Parse(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPartsString(t *testing.T) {
	p := Parts{Province: "贵州省", City: "六盘水市", District: "钟山区", Subdistrict: "荷城街道", Road: "人民中路",
		Number: 12, Estate: "凉都花园", Building: "3", Unit: 2, Floor: -1, Room: "501", Rest: []string{"x"}}
	want := "贵州省六盘水市钟山区荷城街道人民中路12号凉都花园3栋2单元-1层501室"
	if got := p.String(); got != want {
		t.Errorf("Parts.String() = %s, want %s", got, want)
	}
}

// TestParseStandardAddresses parses every standard address of the fixture
// city with the built-in gazetteer alone (as the import does) and checks
// the parts come back: an estate named after a district (钟山尚城,
// 水城花园) must not lose its first characters to the district.
func TestParseStandardAddresses(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	bad := 0
	for _, b := range fixtureCity(t).Buildings {
		a := b.Address
		in := StandardAddress(b)
		p := Parse(in)
		if p.Road != a.Road || p.Number != a.Number || p.Estate != a.Estate || p.Building != a.Building || len(p.Rest) > 0 {
			if bad++; bad <= 5 {
				t.Errorf("Parse(%q) = road %q number %d estate %q building %q rest %q; want %q %d %q %q",
					in, p.Road, p.Number, p.Estate, p.Building, p.Rest, a.Road, a.Number, a.Estate, a.Building)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d standard addresses do not parse back", bad)
	}
}
