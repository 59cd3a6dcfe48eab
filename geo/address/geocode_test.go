package address

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func TestGeocodeBuilding(t *testing.T) {
	x, c := miniIndex(t)
	cases := []struct {
		name, in         string
		district, road   string
		number           int
		building         string
		minConf, maxConf float64
		matched          []string
	}{
		{"issue example 1", "六盘水钟山区人民中路十二号凉都花园3栋二单元501", "钟山区", "人民中路", 12, "3", 0.95, 1,
			[]string{"district", "road", "number", "estate", "building"}},
		{"issue example 2", "钟山区 荷城街道 人民中路12号3-2-501", "钟山区", "人民中路", 12, "3", 0.95, 1,
			[]string{"district", "subdistrict", "road", "number", "building"}},
		{"standalone door", "钟山区人民中路14号", "钟山区", "人民中路", 14, "", 0.95, 1, []string{"district", "road", "number"}},
		{"district short form breaks the tie", "水城人民中路12号", "水城区", "人民中路", 12, "", 0.6, 0.9, []string{"district", "road", "number"}},
		{"misspelt road", "钟山区人明中路14号", "钟山区", "人民中路", 14, "", 0.6, 0.9, []string{"district", "road", "number"}},
		{"misspelt road suffix", "钟山大到5号", "钟山区", "钟山大道", 5, "", 0.6, 0.9, []string{"road", "number"}},
		{"estate and lettered building", "荷城花园B座", "钟山区", "钟山大道", 1, "B", 0.9, 1, []string{"estate", "building"}},
		{"numeral community", "七号点社区凤凰路8号", "钟山区", "凤凰路", 8, "", 0.95, 1, []string{"community", "road", "number"}},
		{"estate of another district", "阳光小区2栋", "水城区", "人民中路", 20, "2", 0.9, 1, []string{"estate", "building"}},
		{"old district name", "水城县人民中路20号1栋", "水城区", "人民中路", 20, "1", 0.95, 1,
			[]string{"district", "road", "number", "building"}},
		{"compact after estate", "凉都花园5-1-301", "钟山区", "人民中路", 12, "5", 0.9, 1, []string{"estate", "building"}},
		{"wrong district lowers confidence", "水城区钟山大道5号", "钟山区", "钟山大道", 5, "", 0.3, 0.7, []string{"road", "number"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := findBuilding(t, c, tc.district, tc.road, tc.number, tc.building)
			r, err := x.Geocode(tc.in)
			if err != nil {
				t.Fatalf("Geocode(%q) = %v", tc.in, err)
			}
			b := r.Best
			if b.Building != want || b.Grid != want.Grid || b.Point != want.Point {
				t.Fatalf("Geocode(%q) = %+v, want building %d (%s) in %s", tc.in, b, want.ID, StandardAddress(want), want.Grid)
			}
			if b.Confidence < tc.minConf || b.Confidence > tc.maxConf {
				t.Errorf("Geocode(%q) confidence = %.3f, want %.2f-%.2f (%s)", tc.in, b.Confidence, tc.minConf, tc.maxConf, b.Reason)
			}
			if !slices.Equal(b.Matched, tc.matched) {
				t.Errorf("Geocode(%q) matched = %v, want %v", tc.in, b.Matched, tc.matched)
			}
			if b.Reason == "" {
				t.Errorf("Geocode(%q) has no reason", tc.in)
			}
		})
	}
}

func TestGeocodeWithoutBuilding(t *testing.T) {
	x, _ := miniIndex(t)
	g := func(comm geo.DivisionCode, seq int) geo.GridCode {
		code, err := geo.NewGridCode(comm, seq)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	cases := []struct {
		name    string
		in      string
		grid    geo.GridCode
		grids   []geo.GridCode
		maxConf float64
	}{
		{"estate without building spans two grids", "凉都花园", g(520201014001, 1),
			[]geo.GridCode{g(520201014001, 1), g(520201014001, 2)}, 0.7},
		{"estate in one grid", "阳光小区", g(520204002001, 2), []geo.GridCode{g(520204002001, 2)}, 0.9},
		{"road in one district", "钟山区钟山大道", g(520201014002, 1), []geo.GridCode{g(520201014002, 1)}, 0.6},
		{"road without district", "人民中路12号", g(520201014001, 1),
			[]geo.GridCode{g(520201014001, 1), g(520201014001, 2), g(520204002001, 1)}, 0.6},
		{"community only", "钟环社区", g(520201014001, 1), []geo.GridCode{g(520201014001, 1), g(520201014001, 2)}, 0.5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := x.Geocode(tc.in)
			if err != nil {
				t.Fatalf("Geocode(%q) = %v", tc.in, err)
			}
			b := r.Best
			if b.Building != nil || b.Grid != tc.grid || !slices.Equal(b.Grids, tc.grids) {
				t.Errorf("Geocode(%q) = building %v grid %s grids %v, want no building, grid %s, grids %v",
					tc.in, b.Building, b.Grid, b.Grids, tc.grid, tc.grids)
			}
			if b.Confidence <= 0 || b.Confidence > tc.maxConf {
				t.Errorf("Geocode(%q) confidence = %.3f, want in (0, %.2f]", tc.in, b.Confidence, tc.maxConf)
			}
		})
	}
}

func TestGeocodeNearNumber(t *testing.T) {
	x, c := miniIndex(t)
	r, err := x.Geocode("钟山区钟山大道4号")
	if err != nil {
		t.Fatal(err)
	}
	want := findBuilding(t, c, "钟山区", "钟山大道", 5, "")
	if r.Best.Building != want || r.Best.Confidence > 0.6 || !strings.Contains(r.Best.Reason, "no door 4号") {
		t.Errorf("Geocode(钟山区钟山大道4号) = %+v, want building %d with a low confidence and a reason", r.Best, want.ID)
	}
}

func TestGeocodeNoMatch(t *testing.T) {
	x, _ := miniIndex(t)
	for _, in := range []string{"北京市海淀区中关村大街1号", "附近", "xyz"} {
		r, err := x.Geocode(in)
		if err != nil {
			t.Fatalf("Geocode(%q) = %v, want a result", in, err)
		}
		if r.Best == nil || r.Best.Confidence != 0 || r.Best.Building != nil || r.Best.Grid != 0 || r.Best.Reason == "" {
			t.Errorf("Geocode(%q) = %+v, want confidence 0, no building or grid, and a reason", in, r.Best)
		}
	}
}

func TestGeocodeBadInput(t *testing.T) {
	x, _ := miniIndex(t)
	cases := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"blank", " \t ", ErrEmpty},
		{"huge", strings.Repeat("人民中路", 200), ErrTooLong},
		{"binary", "\x00\x01\x02\xff", ErrInvalidText},
		{"latin-1 bytes", "Stra\xdfe", ErrInvalidText},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := x.Geocode(tc.in)
			if !errors.Is(err, tc.want) {
				t.Errorf("Geocode(%q) error = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

func TestGeocodeAlternatives(t *testing.T) {
	x, _ := miniIndex(t)
	r, err := x.Geocode("凉都花园")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Alternatives) != MaxAlternatives {
		t.Fatalf("Geocode(凉都花园) gave %d alternatives, want %d", len(r.Alternatives), MaxAlternatives)
	}
	for _, a := range r.Alternatives {
		if a.Building == nil || a.Building.Address.Estate != "凉都花园" || a.Confidence > r.Best.Confidence {
			t.Errorf("alternative %+v is not a 凉都花园 building less sure than the best (%.3f)", a, r.Best.Confidence)
		}
	}
}

func TestGeocodeBatch(t *testing.T) {
	x, _ := miniIndex(t)
	in := make([]string, 0, 300)
	for i := range 100 {
		in = append(in, "钟山区人民中路14号", "", "荷城花园A座")
		_ = i
	}
	for _, workers := range []int{1, 3, 0} {
		out, err := x.GeocodeBatch(context.Background(), in, workers)
		if err != nil {
			t.Fatalf("GeocodeBatch(workers %d) = %v", workers, err)
		}
		if len(out) != len(in) {
			t.Fatalf("GeocodeBatch(workers %d) gave %d results, want %d", workers, len(out), len(in))
		}
		for i, o := range out {
			single, serr := x.Geocode(in[i])
			if !errors.Is(o.Err, serr) && (o.Err == nil) != (serr == nil) {
				t.Fatalf("result %d error = %v, want %v", i, o.Err, serr)
			}
			if serr == nil && o.Best.Building != single.Best.Building {
				t.Fatalf("result %d = %v, want %v as Geocode gives", i, o.Best.Building, single.Best.Building)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.GeocodeBatch(ctx, in, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("GeocodeBatch(cancelled) = %v, want context.Canceled", err)
	}
}

func TestReverse(t *testing.T) {
	x, c := miniIndex(t)
	for _, b := range c.Buildings {
		p := orb.Point{b.Point.Lon() + 0.00001, b.Point.Lat()}
		got, d := x.Reverse(p)
		if got != b || d <= 0 || d > 2 {
			t.Fatalf("Reverse(%v) = %v at %.2f m, want building %d about 1 m away", p, got, d, b.ID)
		}
		addr, gb, _ := x.ReverseAddress(b.Point)
		if gb != b || addr != StandardAddress(b) {
			t.Errorf("ReverseAddress(%v) = %s, want %s", b.Point, addr, StandardAddress(b))
		}
	}
	if b, _ := NewCityIndex(&geo.City{}).Reverse(orb.Point{104.8, 26.6}); b != nil {
		t.Errorf("Reverse on an empty index = %v, want nil", b)
	}
}

func TestStandardAddressRoundTrip(t *testing.T) {
	x, c := miniIndex(t)
	for _, b := range c.Buildings {
		s := StandardAddress(b)
		r, err := x.Geocode(s)
		if err != nil {
			t.Fatalf("Geocode(%q) = %v", s, err)
		}
		if r.Best.Building != b || r.Best.Confidence < 0.95 {
			t.Errorf("Geocode(StandardAddress(%d) = %q) = %+v, want the building with confidence >= 0.95", b.ID, s, r.Best)
		}
	}
}

func TestGeocodeDeterministic(t *testing.T) {
	x, _ := miniIndex(t)
	y, _ := miniIndex(t)
	for _, in := range []string{"人民中路12号", "凉都花园", "人明中路14号", "钟环社区"} {
		a, _ := x.Geocode(in)
		b, _ := y.Geocode(in)
		if a.Best.Grid != b.Best.Grid || a.Best.Confidence != b.Best.Confidence || a.Best.Reason != b.Best.Reason ||
			len(a.Alternatives) != len(b.Alternatives) {
			t.Errorf("Geocode(%q) differs between two indexes of the same city: %+v vs %+v", in, a.Best, b.Best)
		}
	}
}
