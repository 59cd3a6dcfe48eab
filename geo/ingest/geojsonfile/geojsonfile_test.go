package geojsonfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

const sample = `{"type":"FeatureCollection","name":"grids",
"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4544"}},
"features":[
{"type":"Feature","properties":{"WGBM":"520201011001003","HS":412,"名称":"第3网格"},
 "geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]]]}},
{"type":"Feature","properties":{"WGBM":520201011001004,"x":null,"flag":true},
 "geometry":{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3,7]]]}},
{"type":"Feature","properties":{},"geometry":null}
]}`

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grids.geojson")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "grids" || l.SRS.EPSG != 4544 || len(l.Features) != 3 {
		t.Fatalf("layer %q srs %+v features %d, want grids, 4544, 3", l.Name, l.SRS, len(l.Features))
	}
	if got, want := strings.Join(l.Fields, ","), "WGBM,HS,名称,x,flag"; got != want {
		t.Errorf("fields %s, want %s", got, want)
	}
	f := &l.Features[1]
	if v, _ := l.Get(f, "WGBM"); v != "520201011001004" {
		t.Errorf("numeric code reads %q, want 520201011001004", v)
	}
	if v, _ := l.Get(f, "flag"); v != "true" {
		t.Errorf("flag %q, want true", v)
	}
	if v, _ := l.Get(&l.Features[0], "x"); v != "" {
		t.Errorf("absent x %q, want empty", v)
	}
	if mls, ok := f.Geometry.(orb.MultiLineString); !ok || len(mls) != 2 || mls[1][1] != (orb.Point{3, 3}) {
		t.Errorf("geometry %#v, want 2 lines ending at 3,3", f.Geometry)
	}
	if _, ok := l.Features[0].Geometry.(orb.Polygon); !ok || l.Features[2].Geometry != nil || l.Features[2].Index != 3 {
		t.Errorf("geometries %T %T index %d", l.Features[0].Geometry, l.Features[2].Geometry, l.Features[2].Index)
	}
}

func TestFaults(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"not json", `{"type":`, "t.geojson: invalid JSON"},
		{"not a collection", `{"type":"Feature","features":[]}`, "want FeatureCollection"},
		{"bad crs", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"gcj02"}},"features":[]}`, "names no EPSG code"},
		{"bad geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[1,2]]}}]}`,
			"t.geojson: feature 1: coordinates do not match"},
		{"odd type", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[1,2]}}]}`,
			"feature 1: geometry type \"Circle\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode([]byte(c.data), "t", "t.geojson")
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ingest.ErrFormat) {
				t.Errorf("Decode = %v, want an ingest error containing %q", err, c.want)
			}
		})
	}
}

func TestCRS84(t *testing.T) {
	l, err := Decode([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}`), "t", "t")
	if err != nil || l.SRS.EPSG != 4326 {
		t.Errorf("CRS84: %+v %v, want EPSG 4326", l, err)
	}
	l, err = Decode([]byte(`{"type":"FeatureCollection","features":[]}`), "t", "t")
	if err != nil || !l.SRS.IsZero() {
		t.Errorf("no crs member: %+v %v, want no SRS", l, err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[1,2]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Decode(data, "f", "f.geojson")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.geojson: ") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, ft := range l.Features {
			if len(ft.Props) != len(l.Fields) {
				t.Fatalf("feature %d has %d props for %d fields", ft.Index, len(ft.Props), len(l.Fields))
			}
		}
	})
}
