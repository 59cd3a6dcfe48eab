package cityio

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
)

// reencode rewrites every layer of fsys through orb's GeoJSON encoder
// (another property order, float ids, shortest floats), applying fn to
// every coordinate and turning one-part MultiPolygons into Polygons.
func reencode(t *testing.T, fsys fstest.MapFS, fn func(orb.Point) orb.Point) {
	t.Helper()
	for _, l := range layers {
		fc, err := geojson.UnmarshalFeatureCollection(fsys[l.File()].Data)
		if err != nil {
			t.Fatalf("orb reading %s: %v", l.File(), err)
		}
		for _, f := range fc.Features {
			if f.Geometry == nil {
				continue
			}
			f.Geometry = transformAll(orb.Clone(f.Geometry), fn)
			if mp, ok := f.Geometry.(orb.MultiPolygon); ok && len(mp) == 1 {
				f.Geometry = mp[0]
			}
		}
		data, err := json.MarshalIndent(fc, "", " ")
		if err != nil {
			t.Fatalf("orb writing %s: %v", l.File(), err)
		}
		fsys[l.File()] = &fstest.MapFile{Data: data}
	}
}

func transformAll(g orb.Geometry, fn func(orb.Point) orb.Point) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return fn(g)
	case orb.LineString:
		for i := range g {
			g[i] = fn(g[i])
		}
	case orb.MultiPolygon:
		for _, poly := range g {
			for _, r := range poly {
				for i := range r {
					r[i] = fn(r[i])
				}
			}
		}
	}
	return g
}

func TestReadForeignGeoJSON(t *testing.T) {
	want := testCity(t)
	fsys := cityFS(t, want, Meta{})
	reencode(t, fsys, func(p orb.Point) orb.Point { return p })
	if !strings.Contains(string(fsys["grids.geojson"].Data), `"type": "Polygon"`) {
		t.Fatalf("re-encoded grids hold no Polygon: the test does not test what it says")
	}
	got, err := ReadFS(fsys)
	if err != nil {
		t.Fatalf("ReadFS(orb-encoded files) = %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadFS(orb-encoded files) differs:\n%s", firstDiff(got, want))
	}
}

func TestReadConvertsGCJ02(t *testing.T) {
	want := testCity(t)
	fsys := cityFS(t, want, Meta{})
	toGCJ := func(p orb.Point) orb.Point { return crs.FromWGS84(crs.GCJ02, p) }
	reencode(t, fsys, toGCJ)
	meta := fsys["city.json"]
	meta.Data = []byte(strings.Replace(string(meta.Data), `"crs": "wgs84"`, `"crs": "gcj02"`, 1))

	got, err := ReadFS(fsys)
	if err != nil {
		t.Fatalf("ReadFS(GCJ-02 city) = %v", err)
	}
	in := toGCJ(want.Buildings[0].Point)
	if d := geo.Distance(in, want.Buildings[0].Point); d < 100 {
		t.Fatalf("GCJ-02 offset is only %.1f m: the test does not test conversion", d)
	}
	for i, b := range got.Buildings {
		if d := geo.Distance(b.Point, want.Buildings[i].Point); d > 0.01 {
			t.Errorf("building %d: GCJ-02 %v read as %v, %.4f m from WGS-84 %v, want within 0.01 m",
				b.ID, toGCJ(want.Buildings[i].Point), b.Point, d, want.Buildings[i].Point)
		}
	}
	for i, g := range got.Grids {
		for j, p := range g.Geometry[0][0] {
			if d := geo.Distance(p, want.Grids[i].Geometry[0][0][j]); d > 0.01 {
				t.Errorf("grid %s vertex %d is %.4f m off after GCJ-02 conversion", g.Code, j, d)
			}
		}
	}
}

func TestReadAcceptsByteOrderMark(t *testing.T) {
	fsys := cityFS(t, testCity(t), Meta{})
	for _, name := range []string{"city.json", "grids.geojson"} {
		fsys[name].Data = append([]byte("\xEF\xBB\xBF"), fsys[name].Data...)
	}
	if _, err := ReadFS(fsys); err != nil {
		t.Errorf("ReadFS(files with a UTF-8 BOM) = %v, want nil", err)
	}
}
