package shapefile

import (
	"encoding/binary"
	"math"
	"runtime"
	"testing"
)

// polySHP builds a .shp/.shx pair holding one polygon record of a shell
// with a hole and one polyline record.
func polySHP() (shp, shx []byte) {
	ring := func(x0, y0, x1, y1 float64) [][2]float64 {
		return [][2]float64{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}
	}
	parts := [][][2]float64{ring(0, 0, 10, 10), {{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}}}
	rec := func(typ uint32, parts [][][2]float64) []byte {
		var n int
		for _, p := range parts {
			n += len(p)
		}
		c := make([]byte, 44+4*len(parts)+16*n)
		binary.LittleEndian.PutUint32(c, typ)
		binary.LittleEndian.PutUint32(c[36:], uint32(len(parts)))
		binary.LittleEndian.PutUint32(c[40:], uint32(n))
		o, k := 44+4*len(parts), 0
		for i, p := range parts {
			binary.LittleEndian.PutUint32(c[44+4*i:], uint32(k))
			for _, q := range p {
				binary.LittleEndian.PutUint64(c[o:], math.Float64bits(q[0]))
				binary.LittleEndian.PutUint64(c[o+8:], math.Float64bits(q[1]))
				o += 16
				k++
			}
		}
		return c
	}
	shp, shx = nullSHP(0)
	binary.LittleEndian.PutUint32(shp[32:], typePolygon)
	for i, c := range [][]byte{rec(typePolygon, parts), rec(typePolyLine, parts[:1])} {
		e := make([]byte, 8)
		binary.BigEndian.PutUint32(e, uint32(len(shp)/2))
		binary.BigEndian.PutUint32(e[4:], uint32(len(c)/2))
		shx = append(shx, e...)
		h := make([]byte, 8)
		binary.BigEndian.PutUint32(h, uint32(i+1))
		binary.BigEndian.PutUint32(h[4:], uint32(len(c)/2))
		shp = append(append(shp, h...), c...)
	}
	binary.BigEndian.PutUint32(shp[24:], uint32(len(shp)/2))
	binary.BigEndian.PutUint32(shx[24:], uint32(len(shx)/2))
	return shp, shx
}

// FuzzSHP feeds arbitrary .shp and .shx bytes through the record index and
// the geometry decoder: errors are fine, panics are not.
func FuzzSHP(f *testing.F) {
	shp, shx := polySHP()
	f.Add(shp, shx)
	f.Add(shp, []byte(nil))
	n, nx := nullSHP(3)
	f.Add(n, nx)
	f.Fuzz(func(t *testing.T, shp, shx []byte) {
		recs, err := spans(shp, shx, "f.shp", "f.shx")
		if err != nil {
			return
		}
		for _, s := range recs {
			if s.off < 0 || s.off+s.n > int64(len(shp)) {
				t.Fatalf("span %+v outside the %d-byte file", s, len(shp))
			}
			_, _ = decodeRecord(shp[s.off : s.off+s.n])
		}
	})
}

// FuzzDBF feeds arbitrary .dbf bytes through the header parser, the
// encoding detection and every value's formatting.
func FuzzDBF(f *testing.F) {
	f.Add(makeDBF(0, []dbfField{{"NAME", 'C', 10}, {"N", 'N', 5}, {"D", 'D', 8}, {"L", 'L', 1}},
		[][]string{{"\xd6\xd3\xc9\xbd", "12.5", "20240101", "T"}, {"abc", "*", "", "?"}}, map[int]bool{1: true}))
	f.Add(makeDBF(0x4D, []dbfField{{"X", 'F', 20}}, [][]string{{"1e308"}}, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseDBF(b)
		if err != nil {
			return
		}
		cd, _, err := chooseCodec("", nil, tb)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < tb.records; i++ {
			r, _ := tb.record(i)
			for j := range tb.fields {
				fd := &tb.fields[j]
				if fd.typ == 'C' {
					cd.decode(fd.value(r))
				} else {
					formatValue(fd.typ, fd.value(r))
				}
			}
		}
	})
}

// TestHostileHeaders checks headers declaring huge counts fail fast
// without allocating from the declared sizes.
func TestHostileHeaders(t *testing.T) {
	shp, shx := polySHP()
	binary.LittleEndian.PutUint32(shp[100+8+40:], math.MaxUint32) // points
	dbf := makeDBF(0, []dbfField{{"A", 'C', 1}}, [][]string{{"a"}, {"b"}}, nil)
	binary.LittleEndian.PutUint32(dbf[4:], math.MaxUint32) // records
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err1 := Parse(Files{Source: "h.shp", SHP: shp, SHX: shx, DBF: makeDBF(0, nil, [][]string{{}, {}}, nil)}, Options{})
	_, err2 := parseDBF(dbf)
	runtime.ReadMemStats(&after)
	if err1 == nil || err2 == nil {
		t.Fatalf("hostile headers accepted: %v, %v", err1, err2)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("reading hostile headers allocated %d bytes", d)
	}
}
