package cityio

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestTestCityIsValid(t *testing.T) {
	if err := Validate(testCity(t)); err != nil {
		t.Fatalf("Validate(testCity) = %v, want nil", err)
	}
}

func TestRoundTrip(t *testing.T) {
	want := testCity(t)
	dir := t.TempDir()
	m := Meta{Synthetic: true, Source: "hand-built test city", Generator: json.RawMessage(`{"name": "test", "seed": 1}`)}
	if err := WriteMeta(dir, want, m); err != nil {
		t.Fatalf("WriteMeta: %v", err)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read(Write(c)) differs from c:\n%s", firstDiff(got, want))
	}
	_, gotMeta, err := ReadMeta(os.DirFS(dir))
	if err != nil {
		t.Fatalf("ReadMeta: %v", err)
	}
	if !gotMeta.Synthetic || gotMeta.Source != m.Source || string(gotMeta.Generator) != `{"name":"test","seed":1}` {
		t.Errorf("ReadMeta = %+v, want synthetic, source and compact generator of %+v", gotMeta, m)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Errorf("Write left %d files in dir, want 6 (no temporary files)", len(entries))
	}
}

// firstDiff describes the first differing element of two cities.
func firstDiff(got, want *geo.City) string {
	pairs := []struct {
		name      string
		got, want any
	}{
		{"header", [3]any{got.Code, got.Name, got.Province}, [3]any{want.Code, want.Name, want.Province}},
		{"units", got.Units, want.Units}, {"grids", got.Grids, want.Grids},
		{"buildings", got.Buildings, want.Buildings}, {"stations", got.Stations, want.Stations},
		{"streets", got.Streets, want.Streets},
	}
	for _, p := range pairs {
		if reflect.DeepEqual(p.got, p.want) {
			continue
		}
		g, _ := json.Marshal(p.got)
		w, _ := json.Marshal(p.want)
		return p.name + ":\ngot  " + truncate(string(g), 2000) + "\nwant " + truncate(string(w), 2000)
	}
	return "no difference found"
}

func TestWriteDeterministic(t *testing.T) {
	c := testCity(t)
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, c); err != nil {
		t.Fatalf("Write: %v", err)
	}
	// Shuffle the slices: the output must not depend on their order.
	shuffled := *c
	shuffled.Grids = append([]*geo.Grid(nil), c.Grids...)
	shuffled.Grids[0], shuffled.Grids[4] = shuffled.Grids[4], shuffled.Grids[0]
	shuffled.Buildings = append([]*geo.Building(nil), c.Buildings...)
	shuffled.Buildings[1], shuffled.Buildings[3] = shuffled.Buildings[3], shuffled.Buildings[1]
	if err := Write(b, &shuffled); err != nil {
		t.Fatalf("Write: %v", err)
	}
	for _, name := range []string{"city.json", "units.geojson", "grids.geojson", "buildings.geojson", "stations.geojson", "streets.geojson"} {
		x, err1 := os.ReadFile(filepath.Join(a, name))
		y, err2 := os.ReadFile(filepath.Join(b, name))
		if err1 != nil || err2 != nil {
			t.Fatalf("reading %s: %v %v", name, err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two writes of the same city", name)
		}
	}
}

func TestWriteLayerFormat(t *testing.T) {
	c := testCity(t)
	for _, l := range Layers() {
		t.Run(string(l), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteLayer(&buf, c, l); err != nil {
				t.Fatalf("WriteLayer: %v", err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
			if err != nil {
				t.Fatalf("orb cannot read the output: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if got, want := len(lines), len(fc.Features)+2; got != want {
				t.Errorf("%d lines for %d features, want one line per feature plus 2", got, len(fc.Features))
			}
			for _, line := range lines[1 : len(lines)-1] {
				if !json.Valid([]byte(strings.TrimSuffix(line, ","))) {
					t.Errorf("line is not one JSON feature: %s", line)
				}
			}
		})
	}
}

func TestWriteLayerUnitsText(t *testing.T) {
	c := testCity(t)
	var buf bytes.Buffer
	if err := WriteLayer(&buf, c, LayerUnits); err != nil {
		t.Fatalf("WriteLayer: %v", err)
	}
	lines := strings.Split(buf.String(), "\n")
	want := `{"type":"Feature","id":"5202","properties":{"code":"5202","name":"六盘水市","level":"city"},"geometry":null},`
	if lines[1] != want {
		t.Errorf("city line = %s\nwant %s", lines[1], want)
	}
	if !strings.HasPrefix(lines[4], `{"type":"Feature","id":"520201002001","properties":{"code":"520201002001","name":"钟环社区居民委员会","level":"community","parent":"520201002"},"geometry":{"type":"MultiPolygon","coordinates":[[[[104.83,26.59],[104.8307,26.59],`) {
		t.Errorf("community line = %s", lines[4])
	}
}

func TestWriteRefusesInvalid(t *testing.T) {
	c := testCity(t)
	c.Grids[0].Name = ""
	dir := t.TempDir()
	err := Write(dir, c)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("Write(invalid) = %v, want ErrInvalid", err)
	}
	wantProblem(t, err, LayerGrids, tGridA1.String(), "empty name")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Write(invalid) wrote %d files, want none", len(entries))
	}
}

func TestNormalizeOrientsAndSnaps(t *testing.T) {
	cw := orb.Ring{{1, 1}, {1, 2.000000004}, {2, 2}, {2, 1}, {1, 1}} // clockwise, unsnapped
	c := &geo.City{Grids: []*geo.Grid{{Geometry: orb.MultiPolygon{{cw}}}}}
	Normalize(c)
	got := c.Grids[0].Geometry[0][0]
	want := orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Normalize ring = %v, want %v", got, want)
	}
	if b := c.Grids[0].Bound; b != (orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{2, 2}}) {
		t.Errorf("Bound = %v, want [1 1]-[2 2]", b)
	}
}

func TestSnapCoordRoundTrips(t *testing.T) {
	for _, v := range []float64{104.8304, -0.00000005, 26.123456789, 179.9999999, -90, 1e-7, 0.1 + 0.2} {
		s := SnapCoord(v)
		if SnapCoord(s) != s {
			t.Errorf("SnapCoord(SnapCoord(%v)) = %v, want %v (idempotent)", v, SnapCoord(s), s)
		}
		e := &encoder{}
		e.coord(s)
		var back float64
		if err := json.Unmarshal(e.buf, &back); err != nil || back != s {
			t.Errorf("coord(%v) wrote %s, which reads back as %v (%v)", s, e.buf, back, err)
		}
		if i := strings.IndexByte(string(e.buf), '.'); i >= 0 && len(e.buf)-i-1 > 7 {
			t.Errorf("coord(%v) wrote %s, more than 7 decimals", s, e.buf)
		}
	}
}

func TestNormalizeToleratesNil(t *testing.T) {
	c := testCity(t)
	c.Grids = append([]*geo.Grid{nil}, c.Grids...)
	c.Buildings = append(c.Buildings, nil)
	Normalize(c)
	Normalize(nil)
	if c.Grids[len(c.Grids)-1] != nil || c.Grids[0] == nil {
		t.Errorf("Normalize did not sort the nil grid last")
	}
	if err := Validate(c); err == nil {
		t.Errorf("Validate(city with nil grid) = nil, want an error")
	}
	if err := Validate(nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("Validate(nil) = %v, want ErrInvalid", err)
	}
}

func TestWriteLayerErrors(t *testing.T) {
	c := testCity(t)
	if err := WriteLayer(io.Discard, c, LayerCity); !errors.Is(err, ErrUnknownLayer) {
		t.Errorf("WriteLayer(city) = %v, want ErrUnknownLayer", err)
	}
	c.Buildings[2].Point[1] = math.Inf(-1)
	err := WriteLayer(io.Discard, c, LayerBuildings)
	if err == nil || !strings.Contains(err.Error(), "feature #2: non-finite coordinate") {
		t.Errorf("WriteLayer(infinite point) = %v, want a non-finite coordinate error for feature #2", err)
	}
}

func TestParseLayer(t *testing.T) {
	cases := []struct {
		in   string
		want Layer
		ok   bool
	}{
		{"grids", LayerGrids, true},
		{"buildings.geojson", LayerBuildings, true},
		{"city", "", false},
		{"Grids", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		got, err := ParseLayer(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseLayer(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
