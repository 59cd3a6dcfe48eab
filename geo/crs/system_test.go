package crs

import (
	"errors"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

func TestParseSystem(t *testing.T) {
	cases := []struct {
		in   string
		want *System
	}{
		{"EPSG:4544", gkSystems[4544-gkFirst]},
		{"epsg:4523", gkSystems[4523-gkFirst]},
		{"4544", gkSystems[4544-gkFirst]},
		{" 4490 ", SysCGCS2000},
		{"urn:ogc:def:crs:EPSG::4490", SysCGCS2000},
		{"urn:ogc:def:crs:EPSG:9.8.15:4326", SysWGS84},
		{"http://www.opengis.net/def/crs/EPSG/0/4490", SysCGCS2000},
		{"https://www.opengis.net/def/crs/EPSG/0/3857", SysWebMercator},
		{"http://www.opengis.net/def/crs/OGC/1.3/CRS84", SysCRS84},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", SysCRS84},
		{"urn:ogc:def:crs:OGC::CRS84", SysCRS84},
		{"CRS84", SysCRS84},
		{"wgs84", SysWGS84},
		{"WGS-84", SysWGS84},
		{"cgcs2000", SysCGCS2000},
		{"gcj02", SysGCJ02},
		{"GCJ-02", SysGCJ02},
		{"bd09", SysBD09},
		{"bd09ll", SysBD09},
		{"webmercator", SysWebMercator},
		{"EPSG:3857", SysWebMercator},
	}
	for _, tc := range cases {
		got, err := ParseSystem(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSystem(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "EPSG:", "EPSG:32648", "4555", "epsg:4490x", "urn:ogc:def:crs:EPSG:4490",
		"http://www.opengis.net/def/crs/EPSG/0/", "http://example.com/def/crs/EPSG/0/4490", "mercator", "-4326", "99999999999"} {
		if got, err := ParseSystem(bad); !errors.Is(err, ErrUnknownCRS) {
			t.Errorf("ParseSystem(%q) = %v, %v, want ErrUnknownCRS", bad, got, err)
		}
	}
}

func TestByEPSG(t *testing.T) {
	cases := []struct {
		code      int
		name      string
		projected bool
		latFirst  bool
	}{
		{4326, "WGS 84", false, true},
		{4490, "China Geodetic Coordinate System 2000", false, true},
		{3857, "WGS 84 / Pseudo-Mercator", true, false},
		{4491, "CGCS2000 / Gauss-Kruger zone 13", true, true},
		{4496, "CGCS2000 / Gauss-Kruger zone 18", true, true},
		{4507, "CGCS2000 / Gauss-Kruger CM 105E", true, true},
		{4523, "CGCS2000 / 3-degree Gauss-Kruger zone 35", true, true},
		{4544, "CGCS2000 / 3-degree Gauss-Kruger CM 105E", true, true},
		{4554, "CGCS2000 / 3-degree Gauss-Kruger CM 135E", true, true},
	}
	for _, tc := range cases {
		s, err := ByEPSG(tc.code)
		if err != nil {
			t.Fatalf("ByEPSG(%d): %v", tc.code, err)
		}
		if s.EPSG() != tc.code || s.Name() != tc.name || s.Projected() != tc.projected || s.AuthorityLatFirst() != tc.latFirst {
			t.Errorf("ByEPSG(%d) = %d %q projected %v latFirst %v, want %q %v %v",
				tc.code, s.EPSG(), s.Name(), s.Projected(), s.AuthorityLatFirst(), tc.name, tc.projected, tc.latFirst)
		}
		if want := "http://www.opengis.net/def/crs/EPSG/0/" + strconv.Itoa(tc.code); s.URI() != want {
			t.Errorf("ByEPSG(%d).URI() = %q, want %q", tc.code, s.URI(), want)
		}
		if back, err := ParseSystem(s.URI()); err != nil || back != s {
			t.Errorf("ParseSystem(%q) = %v, %v, want %v", s.URI(), back, err, s)
		}
	}
	for _, bad := range []int{0, 4214, 4490 - 1, 4555, 32648, -1} {
		if _, err := ByEPSG(bad); !errors.Is(err, ErrUnknownCRS) {
			t.Errorf("ByEPSG(%d) error = %v, want ErrUnknownCRS", bad, err)
		}
	}
}

func TestSystems(t *testing.T) {
	all := Systems()
	if len(all) != 4+64+2 {
		t.Fatalf("Systems() has %d, want 70", len(all))
	}
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.String()] {
			t.Errorf("Systems() lists %s twice", s)
		}
		seen[s.String()] = true
		if (s.URI() == "") != (s == SysGCJ02 || s == SysBD09) {
			t.Errorf("%s.URI() = %q", s, s.URI())
		}
	}
	if SysCRS84.AuthorityLatFirst() || SysCRS84.URI() != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" || SysCRS84.String() != "CRS84" {
		t.Errorf("CRS84 = latFirst %v, %q, %q", SysCRS84.AuthorityLatFirst(), SysCRS84.URI(), SysCRS84)
	}
}

// TestOffsetSystems checks that the GCJ-02 and BD-09 systems convert as
// the CRS functions do.
func TestOffsetSystems(t *testing.T) {
	p := orb.Point{116.377817, 39.911954}
	if got, want := SysGCJ02.FromWGS84(p), FromWGS84(GCJ02, p); got != want {
		t.Errorf("SysGCJ02.FromWGS84(%v) = %v, want %v", p, got, want)
	}
	if got, want := SysBD09.ToWGS84(p), ToWGS84(BD09, p); got != want {
		t.Errorf("SysBD09.ToWGS84(%v) = %v, want %v", p, got, want)
	}
	if got := SysCGCS2000.ToWGS84(p); got != p {
		t.Errorf("SysCGCS2000.ToWGS84(%v) = %v, want identity", p, got)
	}
}
