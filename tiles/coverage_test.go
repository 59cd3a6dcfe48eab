package tiles

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// TestGridCoverageProperty renders the test city with a coverage share per
// grid and an uncovered flag per building and checks that every grid and
// building in the z14 tiles carries the value it was given, rounded to 3
// decimals, and that TileJSON declares both fields.
func TestGridCoverageProperty(t *testing.T) {
	s := testCity(t, testSeed(t, 1))
	shares := map[geo.GridCode]float64{}
	for i, g := range s.City.Grids {
		if i%7 == 3 {
			continue // no share: the property is left out
		}
		shares[g.Code] = float64(i%11) / 9.87654
	}
	uncovered := map[geo.BuildingID]bool{}
	for i, b := range s.City.Buildings {
		uncovered[b.ID] = i%3 == 0
	}
	r, err := NewRenderer(s, Options{
		GridCoverage: func(code geo.GridCode) (float64, bool) {
			v, ok := shares[code]
			return v, ok
		},
		BuildingUncovered: func(id geo.BuildingID) bool { return uncovered[id] },
	})
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	gridID := map[uint64]*geo.Grid{}
	for _, g := range s.City.Grids {
		gridID[uint64(g.ID)] = g
	}
	seenGrids, seenBuildings := 0, 0
	for k := range KeysIn(r.Bound(), 14, 14) {
		data, err := r.Render(k)
		if err != nil {
			t.Fatalf("Render(%s): %v", k, err)
		}
		for _, l := range decode(t, k, data) {
			for _, f := range l.Features {
				id := uint64(f.ID.(float64))
				switch l.Name {
				case LayerGrids:
					seenGrids++
					g := gridID[id]
					got, has := f.Properties["coverage"]
					want, ok := shares[g.Code]
					if has != ok {
						t.Errorf("tile %s grid %s: coverage present %v, want %v", k, g.Code, has, ok)
					} else if ok && got != math.Round(math.Min(want, 1)*1000)/1000 {
						t.Errorf("tile %s grid %s: coverage %v, want %.3f", k, g.Code, fmtAny(got), want)
					}
				case LayerBuildings:
					seenBuildings++
					want := 0.0
					if uncovered[geo.BuildingID(id)] {
						want = 1
					}
					if got := f.Properties["uncovered"]; got != want {
						t.Errorf("tile %s building %d: uncovered %v, want %v", k, id, fmtAny(got), want)
					}
				}
			}
		}
	}
	if seenGrids == 0 || seenBuildings == 0 {
		t.Fatalf("saw %d grids and %d buildings in the z14 tiles, want some of each", seenGrids, seenBuildings)
	}
	checkDeclared(t, r, map[string]string{LayerGrids: "coverage", LayerBuildings: "uncovered"}, true)
	checkDeclared(t, newTestRenderer(t, 1), map[string]string{LayerGrids: "coverage", LayerBuildings: "uncovered"}, false)
}

// checkDeclared checks whether the TileJSON of r lists the fields.
func checkDeclared(t *testing.T, r *Renderer, fields map[string]string, want bool) {
	t.Helper()
	doc, err := r.TileJSON("/tiles/{z}/{x}/{y}")
	if err != nil {
		t.Fatalf("TileJSON: %v", err)
	}
	for _, vl := range doc.VectorLayers {
		if name, ok := fields[vl.ID]; ok {
			if _, got := vl.Fields[name]; got != want {
				t.Errorf("TileJSON layer %s declares %q: %v, want %v", vl.ID, name, got, want)
			}
		}
	}
}

func TestPropBuilderShare(t *testing.T) {
	info := &LayerInfo{ID: "x", Fields: []Field{fieldCoverage}}
	cases := []struct {
		name string
		in   float64
		want float64
		tags int
	}{
		{"rounds", 0.12345, 0.123, 2},
		{"clamps above", 1.5, 1, 2},
		{"clamps below", -0.2, 0, 2},
		{"NaN left out", math.NaN(), 0, 0},
		{"Inf left out", math.Inf(1), 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &valueDict{}
			tags, err := (&propBuilder{info: info, dict: d}).share("coverage", c.in).done()
			if err != nil || len(tags) != c.tags {
				t.Fatalf("share(%v) = %v, %v; want %d tags", c.in, tags, err, c.tags)
			}
			if c.tags == 0 {
				return
			}
			v := dictValue(t, d, tags[1])
			if v.DoubleValue == nil || *v.DoubleValue != c.want {
				t.Errorf("share(%v) value = %v, want %v", c.in, v, c.want)
			}
		})
	}
}
