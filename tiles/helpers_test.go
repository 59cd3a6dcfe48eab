package tiles

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
)

// newTestRenderer returns a renderer of the test city of the given seed.
func newTestRenderer(t testing.TB, seed uint64) *Renderer {
	t.Helper()
	r, err := NewRenderer(testCity(t, seed), Options{})
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

// decode decodes a tile with orb's MVT decoder (an empty tile has no layers).
func decode(t testing.TB, k Key, data []byte) mvt.Layers {
	t.Helper()
	if len(data) == 0 {
		return nil
	}
	ls, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("tile %s: mvt.Unmarshal: %v", k, err)
	}
	return ls
}

// specArea returns twice the area of a ring by the MVT 2.1 surveyor's
// formula in tile coordinates: positive for exterior rings.
func specArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// checkPolygons reports polygons whose rings break the 2.1 rules: an
// exterior ring with positive area, then holes with negative area inside
// it, every ring closed with at least four points.
func checkPolygons(t testing.TB, where string, g orb.Geometry) {
	t.Helper()
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		t.Errorf("%s: geometry %T, want a polygon", where, g)
		return
	}
	for pi, p := range mp {
		for ri, r := range p {
			a := specArea(r)
			if len(r) < 4 || !r.Closed() {
				t.Errorf("%s: polygon %d ring %d has %d points (closed %v)", where, pi, ri, len(r), r.Closed())
			}
			if ri == 0 && a <= 0 {
				t.Errorf("%s: polygon %d exterior ring has area %g, want > 0", where, pi, a/2)
			}
			if ri > 0 && a >= 0 {
				t.Errorf("%s: polygon %d hole %d has area %g, want < 0", where, pi, ri, a/2)
			}
			if ri > 0 && !p[0].Bound().Union(r.Bound()).Equal(p[0].Bound()) {
				t.Errorf("%s: polygon %d hole %d bound %v outside exterior %v", where, pi, ri, r.Bound(), p[0].Bound())
			}
		}
	}
}

func fmtAny(v any) string { return fmt.Sprintf("%v (%T)", v, v) }

// dictValue decodes value i of a dictionary with orb's protocol buffer
// types.
func dictValue(t testing.TB, d *valueDict, i uint32) *vectortile.Tile_Value {
	t.Helper()
	b := d.appendValue(nil, i)
	n, k := binary.Uvarint(b)
	if k <= 0 || int(n) != len(b)-k {
		t.Fatalf("dictionary value %d (% x) has a bad length prefix", i, b)
	}
	var v vectortile.Tile_Value
	if err := v.Unmarshal(b[k:]); err != nil {
		t.Fatalf("decoding dictionary value %d (% x): %v", i, b, err)
	}
	return &v
}
